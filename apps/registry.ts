import { App, Chart } from 'cdk8s';
import { MeshDataplane, MeshNamespace, Namespace } from '../lib';

/** One example app: a scenario rendered by `npm run synth` into `dist/`. */
export interface ExampleApp {
  /** The app's name; its charts' files start with it. */
  readonly name: string;
  /** One line on the scenario it reproduces. */
  readonly description: string;
  /** Adds the app's chart(s) to `app`. */
  build(app: App): void;
}

/** Options of {@link namespacedChart}. */
export interface NamespacedChartOptions {
  /** Label the namespace for Istio sidecar injection ({@link MeshNamespace}). @default false */
  readonly mesh?: boolean;
  /** Put the namespace in Istio's ambient mode, with a waypoint ({@link MeshDataplane.AMBIENT}); implies mesh. @default false */
  readonly ambient?: boolean;
}

/**
 * The example apps' convention: a chart whose objects live in a namespace of the same name, with the
 * Namespace rendered first in the chart so `kubectl apply -f dist/<name>.k8s.yaml` creates it before
 * the objects in it. (kcheck rejects the same object in two files of dist/, so every app — and every
 * canary stage — gets its own namespace.)
 */
export function namespacedChart(app: App, name: string, options: NamespacedChartOptions = {}): Chart {
  const chart = new Chart(app, name, { namespace: name });
  if (options.ambient) new MeshNamespace(chart, 'namespace', { name, dataplane: MeshDataplane.AMBIENT });
  else if (options.mesh) new MeshNamespace(chart, 'namespace', { name });
  else new Namespace(chart, 'namespace', { name });
  return chart;
}
