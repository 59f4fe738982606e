import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';

/** The value of the `app.kubernetes.io/managed-by` label on everything this library renders. */
export const MANAGED_BY = 'cdk8s-noops';

/** A JSON object as it appears in a manifest. */
export type Json = { [key: string]: any };

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

/** The namespace objects under `scope` land in (`undefined` = the kubectl context's namespace). */
export function namespaceOf(scope: IConstruct): string | undefined {
  return Chart.of(scope).namespace;
}

/** Removes `undefined` values and empty arrays/objects from a shallow object (for tidy manifests). */
export function compact<T extends Json>(obj: T): T {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}
