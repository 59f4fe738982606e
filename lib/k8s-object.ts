import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { Json } from './core/json';

// Defined in lib/core (which the renderers in lib/k8s use without depending on constructs); exported here as before.
export { type Json, compact } from './core/json';

/** Options for {@link manifest}. */
export interface ManifestOptions {
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.namespace`. @default - the chart's namespace */
  readonly namespace?: string;
  /** `metadata.labels`. @default - none */
  readonly labels?: Record<string, string>;
  /** `metadata.annotations`. @default - none */
  readonly annotations?: Record<string, string>;
  /** Everything besides `apiVersion`, `kind` and `metadata` (usually `spec`, or `data`). */
  readonly body: Json;
}

/**
 * Creates a plain `ApiObject`. The generated L1 classes (cdk8s-plus-27's `k8s`, Kubernetes 1.27) map
 * their input through schema-bound `toJson_*` functions that silently drop every field they do not
 * know — including fields that `ApiObject.addJsonPatch` adds — so a user's escape hatch would vanish.
 * A plain `ApiObject` keeps `addJsonPatch` working for any field; our own tests validate every
 * rendered object against the Kubernetes schemas instead.
 */
export function manifest(scope: Construct, id: string, apiVersion: string, kind: string, options: ManifestOptions): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion,
    kind,
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: options.labels,
      annotations: options.annotations,
    },
    ...options.body,
  });
}

/**
 * An `ApiObject` of a cluster-scoped kind (Namespace, ClusterRole...): rendered without
 * `metadata.namespace`, which cdk8s otherwise fills in with the chart's namespace.
 */
class ClusterScopedApiObject extends ApiObject {
  public override toJson(): any {
    const json = super.toJson();
    if (json.metadata) delete json.metadata.namespace;
    return json;
  }
}

/** Creates a plain `ApiObject` (see {@link manifest}) of a cluster-scoped kind: never rendered with a namespace. */
export function clusterScopedManifest(scope: Construct, id: string, apiVersion: string, kind: string, options: Omit<ManifestOptions, 'namespace'>): ApiObject {
  return new ClusterScopedApiObject(scope, id, {
    apiVersion,
    kind,
    metadata: { name: options.name, labels: options.labels, annotations: options.annotations },
    ...options.body,
  });
}

/** The object a construct's children are kept in when one of our constructs seeds it (see {@link withChildSlots}). */
class ChildSlots {}

/**
 * Returns `scope` after giving it, if it has no children yet, a children table of its own hidden class.
 *
 * Why: the `constructs` library keeps every node's children in a plain `{}` keyed by child id, and V8
 * gives the hidden class of `{}` at most 1,536 transitions (one per first property name ever added to
 * an empty `{}`). One chart per service puts a different id first in each chart's table, so after about
 * 1,500 charts that limit is reached for the whole process: from then on every `{}` that gets a
 * property name not seen before gets a hidden class of its own, allocated in the old generation.
 * Rendering, which builds objects key by key, then runs several times slower, with tens of thousands
 * of page faults and extra major GCs (measured: 3,000 charts synthesized in 0.9-1.1 s instead of
 * 0.45 s). A table of its own class takes the ids' transitions off `{}`. It behaves exactly like `{}`
 * for everything `constructs` does with it (`in`, lookup, `delete`, `Object.values` order).
 * Each of our constructs passes its scope through this before `super(scope, id)`; do the same in a construct
 * of your own that is the first child of many charts.
 *
 * @example
 * class Service extends Construct {
 *   constructor(scope: Construct, id: string) {
 *     super(withChildSlots(scope), id);
 *   }
 * }
 */
export function withChildSlots<T extends IConstruct>(scope: T): T {
  const node = (scope as any)?.node;
  if (node == null) return scope; // let constructs report the missing scope
  if (node._children === undefined && Object.prototype.hasOwnProperty.call(node, '_children')) node._children = new ChildSlots();
  return scope;
}

/** The namespace objects under `scope` land in (`undefined` = the kubectl context's namespace). */
export function namespaceOf(scope: IConstruct): string | undefined {
  return Chart.of(scope).namespace;
}

// The app-wide rule that no two objects share group, kind, namespace and name (lib/registry), as it was exported here.
export { checkUniqueObjects, duplicateObjectErrors } from './registry/rules/unique-objects';
