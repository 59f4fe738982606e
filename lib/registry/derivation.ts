import type { AppRegistry } from './registry';

/** Options of a {@link Derivation}. */
export interface DerivationOptions {
  /**
   * `compute` also reads the tree's API objects ({@link AppRegistry.apiObjects}: hand-written ones
   * included), so the value is current only while the tree holds the same objects too: it is computed
   * again after a registration or when a validation pass finds other objects in the tree.
   * @default false
   */
  readonly readsObjects?: boolean;
}

/**
 * A value computed from an app's registered facts (an index, or a rule's errors by construct). Each
 * registry computes it at most once per version of its facts ({@link AppRegistry.version}): N constructs
 * asking for it cost one computation, and a fact registered since makes the next ask compute it again.
 * `compute` must depend on the registry's facts only (and on what is fixed once they are registered,
 * such as their owners' places in the tree), or also on the tree's API objects when declared with
 * `readsObjects`. Declare one as a module constant; the values live in each app's registry.
 */
export class Derivation<T> {
  /** See {@link DerivationOptions.readsObjects}. */
  public readonly readsObjects: boolean;

  public constructor(
    /** What is computed, for debugging. */
    public readonly name: string,
    /** Computes the value for one app. */
    public readonly compute: (registry: AppRegistry) => T,
    options: DerivationOptions = {},
  ) {
    this.readsObjects = options.readsObjects ?? false;
    Object.freeze(this);
  }
}
