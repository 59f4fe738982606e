import { IConstruct } from 'constructs';
import { Derivation } from './derivation';
import type { Registered } from './fact-kind';
import type { AppRegistry } from './registry';

/**
 * Every construct's place in tree order (pre-order), for rules that report the later of two clashing
 * constructs. Derived from the facts' version: a construct's place never changes once it is in the tree
 * (new constructs are appended), and a construct that registers a fact bumps the version.
 */
export const TREE_ORDER = new Derivation<ReadonlyMap<IConstruct, number>>('tree order', (registry) => {
  const order = new Map<IConstruct, number>();
  for (const c of registry.constructs()) order.set(c, order.size);
  return order;
});

/** The facts of `group` whose owners come before `owner` in tree order, in tree order. */
export function earlierInTree<T>(registry: AppRegistry, group: ReadonlyArray<Registered<T>>, owner: IConstruct): Array<Registered<T>> {
  if (group.length < 2) return [];
  const order = registry.get(TREE_ORDER);
  const place = (c: IConstruct) => order.get(c) ?? Infinity;
  const mine = place(owner);
  return group.filter((r) => place(r.owner) < mine).sort((a, b) => place(a.owner) - place(b.owner));
}
