import { Derivation } from '../derivation';
import { NODE_PORTS } from '../facts';
import { ErrorCollector, Rule, groupBy } from '../rule';
import { earlierInTree } from '../tree-order';

/**
 * A fixed nodePort asked for twice in the app: node ports are allocated cluster-wide, so the apiserver
 * rejects the second Service. Reported on the later owner in tree order, naming each earlier one.
 */
export const NODE_PORT_CONFLICTS: Rule = new Derivation('nodePort used twice', (registry) => {
  const facts = registry.facts(NODE_PORTS);
  const byPort = groupBy(facts, (f) => String(f.nodePort));
  const errors = new ErrorCollector();
  for (const r of facts) {
    for (const other of earlierInTree(registry, byPort.get(String(r.fact.nodePort)) ?? [], r.owner)) {
      errors.add(r.owner, `${r.fact.owner}: nodePort ${r.fact.nodePort} is also used by ${other.fact.owner}, and node ports are allocated cluster-wide, so the apiserver would reject the second Service; `
        + 'give each Service its own nodePort, or leave nodePort out to let Kubernetes pick one');
    }
  }
  return errors.result;
});
