import { App, Duration } from 'cdk8s';
import { StickyIngress, StickyStrategy } from '../lib';
import { ExampleApp, namespacedChart } from './registry';
import { httpDebugServer } from './sticky-debug';

/**
 * The same app inside an Istio-injected namespace. Envoy, not kube-proxy, picks the pod there
 * (istio/istio#6011), so stickiness comes from a DestinationRule consistent hash on a cookie named
 * `route`; the Istio ingress gateway serves the host through a Kubernetes Ingress of class `istio`.
 */
export const stickyMesh: ExampleApp = {
  name: 'sticky-mesh',
  description: 'http-debug-server x3 in an Istio-injected namespace, sticky through a DestinationRule cookie consistent hash',
  build(app: App) {
    const chart = namespacedChart(app, 'sticky-mesh', { mesh: true });
    const debug = httpDebugServer(chart);
    new StickyIngress(chart, 'sticky', {
      name: 'http-debug',
      backend: debug,
      host: 'debug.example.com',
      strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route', path: '/', ttl: Duration.hours(48) } }),
    });
  },
};
