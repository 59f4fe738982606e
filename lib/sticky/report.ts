// How the app-wide rules of StickyIngress (lib/sticky/rules/) are reported: by the first StickyIngress
// registered, for all of them, in the order the checks always ran.
import { IConstruct } from 'constructs';
import { AppRegistry, Derivation, Rule, errorsFor } from '../registry';
import { BYPASSED_ROUTES } from './rules/bypassed-routes';
import { CATCH_ALL_CONFLICTS } from './rules/catch-all';
import { CLIENT_IP_BEHIND_INGRESS } from './rules/client-ip-behind-ingress';
import { CLIENT_IP_IN_MESH } from './rules/client-ip-in-mesh';
import { CONSISTENT_HASH_CONFLICTS } from './rules/consistent-hash';
import { INGRESS_AFFINITY_CONFLICTS } from './rules/ingress-affinity';
import { INGRESS_HOST_PATH_CLASHES } from './rules/ingress-host-paths';
import { STICKY_INGRESSES, STICKY_INGRESS_FACTS, StickyIngressFact } from './facts';

/** The rules about one StickyIngress, in the order its errors are listed. */
const PER_STICKY_INGRESS: readonly Rule[] = [
  BYPASSED_ROUTES, CLIENT_IP_BEHIND_INGRESS, INGRESS_HOST_PATH_CLASHES, INGRESS_AFFINITY_CONFLICTS, CLIENT_IP_IN_MESH, CONSISTENT_HASH_CONFLICTS,
];

/**
 * Every StickyIngress rule's errors, reported on the first StickyIngress registered: the catch-all
 * conflicts of all of them first, then each StickyIngress's errors in turn, rule by rule.
 */
export const STICKY_INGRESS_ERRORS: Rule = new Derivation('StickyIngress errors', (registry) => {
  const members = [...registry.get(STICKY_INGRESS_FACTS).keys()];
  const errorsOf = (rule: Rule) => registry.get(rule);
  const errors = [
    ...members.flatMap((m) => errorsOf(CATCH_ALL_CONFLICTS).get(m) ?? []),
    ...members.flatMap((m) => PER_STICKY_INGRESS.flatMap((rule) => errorsOf(rule).get(m) ?? [])),
  ];
  return errors.length ? new Map([[members[0], errors]]) : new Map();
}, { readsObjects: true });

/**
 * Registers (or registers again, after a change) what the rules need to know about `sticky`; the first
 * StickyIngress registered reports every StickyIngress's errors.
 */
export function registerStickyIngress(sticky: IConstruct, fact: StickyIngressFact): void {
  const registry = AppRegistry.of(sticky);
  if (registry.facts(STICKY_INGRESSES).length === 0) sticky.node.addValidation({ validate: () => [...errorsFor(sticky, STICKY_INGRESS_ERRORS)] });
  registry.register(STICKY_INGRESSES, sticky, fact);
}
