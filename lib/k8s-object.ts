import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { CLUSTER_SCOPED_KINDS, objectKey } from './core/identity';
import { Json } from './core/json';

// Defined in lib/core (which the renderers in lib/k8s use without depending on constructs); exported here as before.
export { type Json, compact } from './core/json';
export { MANAGED_BY } from './core/labels';

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

// ------------------------------------------------------------------------------------------------
// Checks across the construct tree, run once per synth for every member of a construct family

type Registry = WeakMap<object, WeakMap<IConstruct, IConstruct[]>>;
const TREE_CHECKS: Registry = new WeakMap();
const FAMILIES: Registry = new WeakMap();
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
  const root = member.node.root;
  const { list, created } = membersOf<T>(TREE_CHECKS, family, root);
  if (created) {
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
  list.push(member);
}

/** The live list of `family`'s members under `root` in `registry`, and whether it was just created. */
function membersOf<T extends IConstruct>(registry: Registry, family: object, root: IConstruct): { list: T[]; created: boolean } {
  let byRoot = registry.get(family);
  if (!byRoot) registry.set(family, (byRoot = new WeakMap()));
  const list = byRoot.get(root) as T[] | undefined;
  if (list) return { list, created: false };
  const fresh: T[] = [];
  byRoot.set(root, fresh);
  return { list: fresh, created: true };
}

/** The rendered JSON ({@link jsonOf}) of the objects of `kind` whose apiVersion starts with `apiVersionPrefix`, skipping those that do not render. */
export function jsonOfKind(objects: readonly ApiObject[], kind: string, apiVersionPrefix: string): Json[] {
  const out: Json[] = [];
  for (const o of objects) {
    if (o.kind !== kind || !o.apiVersion.startsWith(apiVersionPrefix)) continue;
    const json = jsonOf(o);
    if (json) out.push(json);
  }
  return out;
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

const FIRST_BY_KEY = new WeakMap<readonly IConstruct[], { readonly size: number; readonly first: Map<string, IConstruct> }>();

/**
 * The first member of `family` under `member`'s root (in creation order) with the same `key`; registers
 * `member`. The index is built once per change of the family, so each member's own validation (which
 * keeps its construct path in cdk8s's error list) costs O(1), not a walk over the tree.
 */
export function firstWithKey<T extends IConstruct>(family: object, member: T, key: (m: T) => string): () => T {
  const members = membersOf<T>(FAMILIES, family, member.node.root).list;
  members.push(member);
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

// ------------------------------------------------------------------------------------------------
// One object per identity

/** Family of {@link checkUniqueObjects}. */
const UNIQUE_OBJECTS = {};

/**
 * Registers `member` (one of our constructs) for the app-wide rule that no two API objects share API
 * group, kind, namespace and name. Two such objects are one object to the apiserver: `kubectl apply`
 * keeps the last one written and silently drops the other (a WebApp's Service replaced by a database's,
 * say), and in one file the second overwrites the first. Objects without a namespace (the kubectl
 * context's) are compared with each other only. One pass over the tree per synth for the whole app.
 */
export function checkUniqueObjects(member: IConstruct): void {
  addTreeValidation(UNIQUE_OBJECTS, member, (_members, objects) => duplicateObjectErrors(objects));
}

/** The errors of {@link checkUniqueObjects} for `objects`, one per object that repeats an earlier one's identity. */
export function duplicateObjectErrors(objects: readonly ApiObject[]): string[] {
  const first = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const o of objects) {
    const name = o.metadata.name;
    if (typeof name !== 'string') continue; // a token: resolved later, cannot be compared here
    const key = objectKey(o.apiVersion, o.kind, o.metadata.namespace, name);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, o);
      continue;
    }
    const namespace = o.metadata.namespace;
    const where = CLUSTER_SCOPED_KINDS.has(o.kind) ? '' : namespace === undefined ? ' (no namespace)' : ` in namespace '${namespace}'`;
    const a = jsonOf(earlier);
    const identical = a !== undefined && JSON.stringify(a) === JSON.stringify(jsonOf(o));
    errors.push(identical
      ? `duplicate object: ${o.kind} '${name}'${where} is rendered twice, identically, by '${earlier.node.path}' and '${o.node.path}'; ` +
        'render it once (e.g. in a chart the others depend on) so that changing one copy cannot silently lose to the other'
      : `duplicate object: ${o.kind} '${name}'${where} is rendered by both '${earlier.node.path}' and '${o.node.path}', with different content; ` +
        'the apiserver sees one object, so applying both keeps only the last. Give one of them another name or namespace');
  }
  return errors;
}
