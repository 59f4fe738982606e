import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Json } from './core/json';
import { AppRegistry, tryRender } from './registry/registry';

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
// Checks across the construct tree, on the app's registry (lib/registry): the helpers the constructs
// used before typed facts existed. New rules register facts and derive from them instead.

export { checkUniqueObjects, duplicateObjectErrors } from './registry/rules/unique-objects';

/** The registry slot of {@link addTreeValidation}'s families: family → members under the root. */
const TREE_CHECKS = Symbol('addTreeValidation families');
/** The registry slot of {@link firstWithKey}'s families. */
const FIRST_WITH_KEY = Symbol('firstWithKey families');

/** A {@link firstWithKey} family under one root: its members in creation order, and the index last built. */
interface KeyedFamily {
  readonly members: IConstruct[];
  index?: { readonly size: number; readonly first: Map<string, IConstruct> };
}

/**
 * Registers `member` for a check over the whole tree that runs once per validation pass for all the
 * members of `family` under the same root (the first member registered carries the validation), so
 * N constructs checking each other cost one pass over the tree, not N. `check` gets the members and
 * every ApiObject in the tree and returns error messages; {@link jsonOf} inside it renders each object
 * once for the pass. Nothing is reused from one pass to the next: the check reads rendered objects,
 * whose content can change between two syntheses.
 *
 * @deprecated use the registry's typed facts: register what the rule needs when the objects are created
 * (`AppRegistry.of(this).register(...)`, lib/registry/facts.ts) and derive the errors with a `Derivation`
 * (lib/registry/rules/), computed once per change of the facts instead of once per pass.
 */
export function addTreeValidation<T extends IConstruct>(family: object, member: T, check: (members: readonly T[], objects: readonly ApiObject[]) => string[]): void {
  const registry = AppRegistry.of(member);
  const families = registry.slot(TREE_CHECKS, () => new Map<object, IConstruct[]>());
  let members = families.get(family) as T[] | undefined;
  if (!members) {
    const list: T[] = (members = []);
    families.set(family, list);
    member.node.addValidation({ validate: () => registry.rendering(() => check(list, registry.apiObjects())) });
  }
  members.push(member);
}

/**
 * The rendered JSON ({@link jsonOf}) of the objects of `kind` whose apiVersion starts with `apiVersionPrefix`, skipping those that do not render.
 *
 * @deprecated use the registry's typed facts (see {@link addTreeValidation}) instead of rendering other constructs' objects.
 */
export function jsonOfKind(objects: readonly ApiObject[], kind: string, apiVersionPrefix: string): Json[] {
  const out: Json[] = [];
  for (const o of objects) {
    if (o.kind !== kind || !o.apiVersion.startsWith(apiVersionPrefix)) continue;
    const json = jsonOf(o);
    if (json) out.push(json);
  }
  return out;
}

/**
 * `o.toJson()`, or `undefined` when it throws; rendered once per tree check (see {@link addTreeValidation}).
 *
 * @deprecated use the registry's typed facts (see {@link addTreeValidation}) instead of rendering other constructs' objects.
 */
export function jsonOf(o: ApiObject): Json | undefined {
  const registry = AppRegistry.peek(o);
  return registry ? registry.render(o) : tryRender(o);
}

/**
 * The first member of `family` under `member`'s root (in creation order) with the same `key`; registers
 * `member`. The index is built once per change of the family, so each member's own validation (which
 * keeps its construct path in cdk8s's error list) costs O(1), not a walk over the tree. `key` must
 * read what is fixed once a member is created.
 */
export function firstWithKey<T extends IConstruct>(family: object, member: T, key: (m: T) => string): () => T {
  const families = AppRegistry.of(member).slot(FIRST_WITH_KEY, () => new Map<object, KeyedFamily>());
  let state = families.get(family);
  if (!state) families.set(family, (state = { members: [] }));
  const members = state.members as T[];
  members.push(member);
  const keyed = state;
  return () => {
    let index = keyed.index;
    if (!index || index.size !== members.length) {
      const first = new Map<string, IConstruct>();
      for (const m of members) if (!first.has(key(m))) first.set(key(m), m);
      keyed.index = index = { size: members.length, first };
    }
    return index.first.get(key(member)) as T;
  };
}
