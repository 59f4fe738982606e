import type { AppRegistry } from './registry';

/**
 * A value computed from an app's registered facts (an index, or a rule's errors by construct). Each
 * registry computes it at most once per version of its facts ({@link AppRegistry.version}): N constructs
 * asking for it cost one computation, and a fact registered since makes the next ask compute it again.
 * `compute` must depend on the registry's facts only (and on what is fixed once they are registered,
 * such as their owners' places in the tree). Declare one as a module constant; the values live in each
 * app's registry.
 */
export class Derivation<T> {
  public constructor(
    /** What is computed, for debugging. */
    public readonly name: string,
    /** Computes the value for one app. */
    public readonly compute: (registry: AppRegistry) => T,
  ) {
    Object.freeze(this);
  }
}
