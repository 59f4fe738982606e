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
 * A validation pass that cdk8s runs without announcing it (`App.synth()`, `Testing.synth()`: one per
 * chart), seen through the root's validation, which cdk8s runs first in every pass. The tree is walked
 * at most once for it, on first ask.
 */
interface ImplicitPass {
  /** The registry's version when the pass began: a registration (a construct created since) ends it. */
  readonly version: number;
  /** Every construct of the tree, in tree order, once asked for. */
  constructs?: readonly IConstruct[];
  /** Its API objects, once asked for. */
  objects?: readonly ApiObject[];
}

/** What a derivation's value was computed from. */
interface Stamp {
  /** The facts' version. */
  readonly version: number;
  /** The objects' version ({@link AppRegistry.objectsVersion}), for a derivation that reads objects. */
  readonly objects: number;
}

/**
 * The home of app-wide rules: one per App (per root construct), found from any construct of the tree.
 * Constructs register typed facts as they create their objects ({@link register}); rules are
 * {@link Derivation}s over those facts, computed once per version of the facts however many constructs
 * ask ({@link get}); rules that must see every API object of the tree (hand-written ones too) read
 * {@link apiObjects}, collected once per validation pass, and declare it (`readsObjects`) so that they
 * are computed again when the objects change. Creating a registry adds a validation to the root that
 * tells it when cdk8s begins a validation pass.
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
  private _objectsVersion = 0;
  private readonly byKind = new Map<FactKind<unknown>, Array<Registered<unknown>>>();
  private readonly derived = new Map<Derivation<unknown>, { readonly stamp: Stamp; readonly value: unknown }>();
  private readonly computations = new Map<Derivation<unknown>, number>();
  private readonly slots = new Map<symbol, unknown>();
  private pass?: Pass;
  private implicitPass?: ImplicitPass;
  /** The API objects the last look at the tree found (see {@link objectsVersion}). */
  private objectsSeen?: readonly ApiObject[];

  private constructor(
    /** The root construct (usually the App). */
    public readonly root: IConstruct,
  ) {
    // cdk8s validates the tree in pre-order, so the root's validations run first in each of its passes.
    root.node.addValidation({ validate: () => this.beginImplicitPass() });
  }

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

  /**
   * Bumped whenever a look at the tree ({@link apiObjects}) finds other API objects than the previous one
   * (hand-written objects added or removed; ours register facts as well). At most one look per validation pass.
   */
  public get objectsVersion(): number {
    return this._objectsVersion;
  }

  /**
   * `derivation`'s value for this app: computed on first ask, then again only after a registration (or,
   * for one that reads objects, when the tree's API objects changed: see {@link objectsVersion}).
   */
  public get<T>(derivation: Derivation<T>): T {
    if (derivation.readsObjects) this.apiObjects(); // brings objectsVersion up to date (one walk per pass)
    const stamp: Stamp = { version: this._version, objects: derivation.readsObjects ? this._objectsVersion : 0 };
    const cached = this.derived.get(derivation);
    if (cached && cached.stamp.version === stamp.version && cached.stamp.objects === stamp.objects) return cached.value as T;
    const value = derivation.compute(this);
    this.derived.set(derivation, { stamp, value });
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
   * not, and then the tree is walked once for the pass it runs (see {@link ImplicitPass}).
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

  /**
   * Every construct of the tree in tree order: the announced pass's; else, during a pass cdk8s runs, one
   * walk of the tree for the pass (until a construct of ours registers a fact); else a walk of the tree.
   */
  public constructs(): readonly IConstruct[] {
    if (this.pass) return this.pass.constructs;
    const implicit = this.currentImplicitPass();
    if (!implicit) return this.root.node.findAll();
    return (implicit.constructs ??= this.root.node.findAll());
  }

  /** Every API object of the tree in tree order, hand-written ones included (from {@link constructs}). */
  public apiObjects(): readonly ApiObject[] {
    const pass = this.pass ?? this.currentImplicitPass();
    const objects = pass ? (pass.objects ??= apiObjectsOf(this.constructs())) : apiObjectsOf(this.constructs());
    if (objects !== this.objectsSeen) {
      if (!this.objectsSeen || !sameObjects(this.objectsSeen, objects)) this._objectsVersion++;
      this.objectsSeen = objects;
    }
    return objects;
  }

  private beginImplicitPass(): string[] {
    if (!this.pass) this.implicitPass = { version: this._version };
    return [];
  }

  private currentImplicitPass(): ImplicitPass | undefined {
    const implicit = this.implicitPass;
    return implicit && implicit.version === this._version ? implicit : undefined;
  }
}

function sameObjects(a: readonly ApiObject[], b: readonly ApiObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
