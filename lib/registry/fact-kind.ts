import { IConstruct } from 'constructs';

/**
 * A kind of fact that constructs register in their app's {@link AppRegistry} when they create objects
 * (a fixed nodePort, a selector in a namespace, an OSBA Secret name...): a typed key. Declare one as a
 * module constant; the facts themselves live in each app's registry, never in the module.
 */
export class FactKind<T> {
  /** For the type checker only: the type of this kind's facts. */
  declare private readonly factType?: T;

  public constructor(
    /** What the facts say, for messages and debugging. */
    public readonly name: string,
  ) {
    Object.freeze(this);
  }
}

/** A fact as registered: what it says, and the construct that registered it (where its rule's errors are reported). */
export interface Registered<T> {
  /** The construct that registered the fact. */
  readonly owner: IConstruct;
  /** The fact. */
  readonly fact: T;
}
