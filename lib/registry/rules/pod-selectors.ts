import { Derivation } from '../derivation';
import { POD_SELECTORS } from '../facts';
import { ErrorCollector, Rule, groupBy } from '../rule';
import { earlierInTree } from '../tree-order';

/**
 * Two workloads in one namespace whose selectors match each other's pods: each Service routes to both
 * apps and the Deployments fight over the pods. Reported on the later owner in tree order, naming each
 * earlier one. (Every selector includes `app`, so only owners with the same `app` label are compared.)
 */
export const SELECTOR_OVERLAPS: Rule = new Derivation('selectors overlap in a namespace', (registry) => {
  const facts = registry.facts(POD_SELECTORS);
  const byApp = groupBy(facts, (f) => `${f.namespace ?? ''}\u0000${f.selector.app}`);
  const errors = new ErrorCollector();
  for (const r of facts) {
    const mine = r.fact;
    for (const { fact: other } of earlierInTree(registry, byApp.get(`${mine.namespace ?? ''}\u0000${mine.selector.app}`) ?? [], r.owner)) {
      if (matches(mine.selector, other.podLabels) || matches(other.selector, mine.podLabels)) {
        errors.add(r.owner, `${mine.owner}: selector ${JSON.stringify(mine.selector)} overlaps the selector ${JSON.stringify(other.selector)} of ${other.owner} in the same namespace (one matches the other's pods), so a Service would route to both apps and the Deployments would fight over the pods; `
          + 'give each app its own appLabel, or set selectVersion on both with different versions');
      }
    }
  }
  return errors.result;
});

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
