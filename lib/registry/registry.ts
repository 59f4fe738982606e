import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { Json } from '../core/json';
import type { Derivation } from './derivation';
import type { FactKind, Registered } from './fact-kind';

/**
 * The key under which a root construct keeps its registry: a non-enumerable property, as aws-cdk's
 * `Aspects.of` keeps a scope's aspects. No child construct (the tree's shape is public), no module state.
 */
const REGISTRY = Symbol('cdk8s-noops app registry');

/** What {@link AppRegistry.facts} returns for a kind nobody registered. */
const NO_FACTS: readonly never[] = Object.freeze([]);

/** One validation pass announced with {@link AppRegistry.validationPass}. */
interface Pass {
  /** Every construct of the tree, in tree order (pre-order). */
  readonly constructs: readonly IConstruct[];
  /** Its API objects, once asked for. */
  objects?: readonly ApiObject[];
}

/**
 * The home of app-wide rules: one per App (per root construct), found from any construct of the tree.
 * Constructs register typed facts as they create their objects ({@link register}); rules are
 * {@link Derivation}s over those facts, computed once per version of the facts however many constructs
 * ask ({@link get}); rules that must see every API object of the tree (hand-written ones too) read
 * {@link apiObjects}, collected once per validation pass.
 */
export class AppRegistry {
  /** The registry of `scope`'s app (its root construct), created on first use. */
  public static of(scope: IConstruct): AppRegistry {
    const root = scope.node.root;
    const existing = (root as { [REGISTRY]?: AppRegistry })[REGISTRY];
    if (existing) return existing;
    const registry = new AppRegistry(root);
    Object.defineProperty(root, REGISTRY, { value: registry, configurable: true, enumerable: false, writable: false });
    return registry;
  }

  /** The registry of `scope`'s app if one was created, without creating one. */
  public static peek(scope: IConstruct): AppRegistry | undefined {
    return (scope.node.root as { [REGISTRY]?: AppRegistry })[REGISTRY];
  }

  private _version = 0;
  private readonly byKind = new Map<FactKind<unknown>, Array<Registered<unknown>>>();
  private readonly derived = new Map<Derivation<unknown>, { readonly version: number; readonly value: unknown }>();
  private readonly computations = new Map<Derivation<unknown>, number>();
  private readonly slots = new Map<symbol, unknown>();
  private pass?: Pass;
  private renders?: WeakMap<ApiObject, Json | undefined>;

  private constructor(
    /** The root construct (usually the App). */
    public readonly root: IConstruct,
  ) {}

  /** Bumped by every registration: a value derived from the facts is current while this is unchanged. */
  public get version(): number {
    return this._version;
  }

  /** Registers `fact`, of kind `kind`, on behalf of `owner` (a construct of this registry's tree). */
  public register<T>(kind: FactKind<T>, owner: IConstruct, fact: T): void {
    if (owner.node.root !== this.root) throw new Error(`AppRegistry: '${owner.node.path}' belongs to another app; register it with AppRegistry.of(owner)`);
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, (list = []));
    list.push({ owner, fact });
    this._version++;
  }

  /** The facts of `kind`, in registration order. */
  public facts<T>(kind: FactKind<T>): ReadonlyArray<Registered<T>> {
    return (this.byKind.get(kind) as Array<Registered<T>> | undefined) ?? NO_FACTS;
  }

  /** `derivation`'s value for this app: computed on first ask, then again only after a registration. */
  public get<T>(derivation: Derivation<T>): T {
    const cached = this.derived.get(derivation);
    if (cached && cached.version === this._version) return cached.value as T;
    const version = this._version;
    const value = derivation.compute(this);
    this.derived.set(derivation, { version, value });
    this.computations.set(derivation, (this.computations.get(derivation) ?? 0) + 1);
    return value;
  }

  /** How many times `derivation` was computed for this app (for tests and diagnostics). */
  public computationsOf(derivation: Derivation<unknown>): number {
    return this.computations.get(derivation) ?? 0;
  }

  /**
   * The state a module keeps for this app under `key` (a module-constant symbol), created by `create`
   * on first use: how a helper keeps per-app state without module-level state.
   */
  public slot<T>(key: symbol, create: () => T): T {
    if (this.slots.has(key)) return this.slots.get(key) as T;
    const value = create();
    this.slots.set(key, value);
    return value;
  }

  /**
   * Runs `validate` as one validation pass over `constructs` (every construct of the tree, in tree
   * order, as the caller already collected them): {@link constructs} and {@link apiObjects} answer from
   * that list instead of walking the tree. `NoopsApp` announces its pass; cdk8s's own synthesis does
   * not, and then each caller walks the tree.
   */
  public validationPass<T>(constructs: readonly IConstruct[], validate: () => T): T {
    const outer = this.pass;
    this.pass = { constructs };
    try {
      return validate();
    } finally {
      this.pass = outer;
    }
  }

  /** Every construct of the tree in tree order: the current pass's, or a walk of the tree. */
  public constructs(): readonly IConstruct[] {
    return this.pass?.constructs ?? this.root.node.findAll();
  }

  /** Every API object of the tree in tree order, hand-written ones included: the current pass's, or a walk of the tree. */
  public apiObjects(): readonly ApiObject[] {
    const pass = this.pass;
    if (!pass) return apiObjectsOf(this.root.node.findAll());
    return (pass.objects ??= apiObjectsOf(pass.constructs));
  }

  /** Runs `check` with {@link render} rendering each object at most once (nested calls share the outer memo). */
  public rendering<T>(check: () => T): T {
    const outer = this.renders;
    this.renders = outer ?? new WeakMap();
    try {
      return check();
    } finally {
      this.renders = outer;
    }
  }

  /** `o.toJson()`, or `undefined` when it throws; memoized inside {@link rendering}. */
  public render(o: ApiObject): Json | undefined {
    const memo = this.renders;
    if (memo?.has(o)) return memo.get(o);
    const json = tryRender(o);
    memo?.set(o, json);
    return json;
  }
}

/** `o.toJson()`, or `undefined` when it throws. */
export function tryRender(o: ApiObject): Json | undefined {
  try {
    return o.toJson();
  } catch {
    return undefined;
  }
}

function apiObjectsOf(constructs: readonly IConstruct[]): ApiObject[] {
  return constructs.filter((c): c is ApiObject => c instanceof ApiObject);
}
