import { IConstruct } from 'constructs';
import { Derivation } from './derivation';
import type { Registered } from './fact-kind';
import { AppRegistry } from './registry';

/** A rule's errors, by the construct that reports them (each in its own validation, so under its own path). */
export type ErrorsByOwner = ReadonlyMap<IConstruct, readonly string[]>;

/** An app-wide rule: its errors by construct, derived from the registered facts once per version of them. */
export type Rule = Derivation<ErrorsByOwner>;

/** What {@link errorsFor} returns for a construct without errors. */
const NONE: readonly string[] = Object.freeze([]);

/** The errors `rule` reports on `owner` (for `owner`'s validation). */
export function errorsFor(owner: IConstruct, rule: Rule): readonly string[] {
  return AppRegistry.of(owner).get(rule).get(owner) ?? NONE;
}

/** Collects errors by owner, in the order they are added. */
export class ErrorCollector {
  private readonly errors = new Map<IConstruct, string[]>();

  /** Adds `error` for `owner`. */
  public add(owner: IConstruct, error: string): void {
    const list = this.errors.get(owner);
    if (list) list.push(error);
    else this.errors.set(owner, [error]);
  }

  /** The errors collected. */
  public get result(): ErrorsByOwner {
    return this.errors;
  }
}

/** `facts` grouped by `key`, each group in registration order. */
export function groupBy<T>(facts: ReadonlyArray<Registered<T>>, key: (fact: T) => string): Map<string, Array<Registered<T>>> {
  const groups = new Map<string, Array<Registered<T>>>();
  for (const r of facts) {
    const k = key(r.fact);
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}
