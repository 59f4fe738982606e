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

// ------------------------------------------------------------------------------------------------
// Checks across the construct tree, run once per synth for every member of a construct family

const TREE_CHECKS = new WeakMap<object, WeakMap<IConstruct, IConstruct[]>>();
let jsonMemo: WeakMap<ApiObject, Json | undefined> | undefined;

/**
 * Registers `member` for a check over the whole tree that runs once per validation pass for all the
 * members of `family` under the same root (the first member registered carries the validation), so
 * N constructs checking each other cost one pass over the tree, not N. `check` gets the members and
 * every ApiObject in the tree and returns error messages; {@link jsonOf} inside it renders each object
 * once for the whole pass. The result is reused until the current synchronous job ends (cdk8s's
 * `App.synth()` validates once per chart) unless another member joins the family meanwhile.
 */
export function addTreeValidation<T extends IConstruct>(family: object, member: T, check: (members: readonly T[], objects: readonly ApiObject[]) => string[]): void {
  let byRoot = TREE_CHECKS.get(family);
  if (!byRoot) TREE_CHECKS.set(family, (byRoot = new WeakMap()));
  const root = member.node.root;
  let members = byRoot.get(root) as T[] | undefined;
  if (!members) {
    const list: T[] = (members = []);
    byRoot.set(root, list);
    // cdk8s's App.synth() validates the whole app again for every chart it renders: keep the result for
    // the rest of this synchronous synth (while the family does not grow), so N charts cost one check.
    let cached: { readonly size: number; readonly errors: string[] } | undefined;
    member.node.addValidation({
      validate: () => {
        if (cached && cached.size === list.length) return cached.errors;
        const outer = jsonMemo;
        jsonMemo = outer ?? new WeakMap();
        try {
          const errors = check(list, root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject));
          cached = { size: list.length, errors };
          queueMicrotask(() => { cached = undefined; });
          return errors;
        } finally {
          jsonMemo = outer;
        }
      },
    });
  }
  members.push(member);
}

/** `o.toJson()`, or `undefined` when it throws; rendered once per tree check (see {@link addTreeValidation}). */
export function jsonOf(o: ApiObject): Json | undefined {
  if (jsonMemo?.has(o)) return jsonMemo.get(o);
  let json: Json | undefined;
  try {
    json = o.toJson();
  } catch {
    json = undefined;
  }
  jsonMemo?.set(o, json);
  return json;
}

const FAMILIES = new WeakMap<object, WeakMap<IConstruct, IConstruct[]>>();
const FIRST_BY_KEY = new WeakMap<readonly IConstruct[], { readonly size: number; readonly first: Map<string, IConstruct> }>();

/**
 * The first member of `family` under `member`'s root (in creation order) with the same `key`; registers
 * `member`. The index is built once per change of the family, so each member's own validation (which
 * keeps its construct path in cdk8s's error list) costs O(1), not a walk over the tree.
 */
export function firstWithKey<T extends IConstruct>(family: object, member: T, key: (m: T) => string): () => T {
  let byRoot = FAMILIES.get(family);
  if (!byRoot) FAMILIES.set(family, (byRoot = new WeakMap()));
  const root = member.node.root;
  let list = byRoot.get(root) as T[] | undefined;
  if (!list) byRoot.set(root, (list = []));
  list.push(member);
  const members = list;
  return () => {
    let cached = FIRST_BY_KEY.get(members);
    if (!cached || cached.size !== members.length) {
      const first = new Map<string, IConstruct>();
      for (const m of members) if (!first.has(key(m))) first.set(key(m), m);
      FIRST_BY_KEY.set(members, (cached = { size: members.length, first }));
    }
    return cached.first.get(key(member)) as T;
  };
}
