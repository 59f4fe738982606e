import { Derivation, ErrorCollector, Rule } from '../../registry';
import { ServiceRef, TRAFFIC_OBJECTS, hostIsService } from '../../routing/traffic-objects';
import type { VirtualServiceFact } from '../../routing/traffic-facts';
import { STICKY_INGRESS_FACTS, errorMessage } from '../facts';

/**
 * What makes an istioConsistentHash StickyIngress's hash ineffective for one of its Services: a
 * VirtualService that splits the Service by weight (Envoy hashes within one subset, istio/istio#9764),
 * and another DestinationRule for the same host (Istio applies one traffic policy per host). Per Service,
 * the splits first, then the DestinationRules.
 */
export const CONSISTENT_HASH_CONFLICTS: Rule = new Derivation('consistent hash defeated by a split or another DestinationRule', (registry) => {
  const { virtualServices, destinationRules } = registry.get(TRAFFIC_OBJECTS);
  const errors = new ErrorCollector();
  for (const [sticky, s] of registry.get(STICKY_INGRESS_FACTS)) {
    if (s.routing.affinity.kind !== 'hash') continue;
    const own = new Set(s.destinationRules);
    for (const ref of s.routing.services) {
      const svc: ServiceRef = { name: ref.service, namespace: ref.namespace };
      for (const split of weightedSplitsOf(svc, virtualServices)) {
        errors.add(sticky, errorMessage(s.owner, `istioConsistentHash on Service '${svc.name}', which VirtualService '${split.name}' splits by weight (${split.weights}): Envoy hashes within one subset, so a weighted split moves users between versions anyway (istio/istio#9764)`,
          'drop the StickyIngress strategy for this app and use the CanaryRelease sticky option (a cookie matched before the weighted route)'));
      }
      for (const other of destinationRules) {
        if (own.has(other.object) || !hostIsService(other.host, other.namespace, svc)) continue;
        errors.add(sticky, errorMessage(s.owner, `DestinationRule '${other.name}' also targets host '${svc.name}'; Istio applies only one traffic policy per host, so the consistent hash may be ignored`,
          `put the consistentHash into '${other.name}' instead of a second DestinationRule; if '${other.name}' belongs to a CanaryRelease, use its sticky option instead (a consistent hash does not hold across weighted subsets, istio/istio#9764)`));
      }
    }
  }
  return errors.result;
}, { readsObjects: true });

/**
 * VirtualServices in the app whose HTTP routes split the Service's traffic by weight (a route with more
 * than one destination, one of them the Service) — what a CanaryRelease renders for a weighted stage.
 */
function weightedSplitsOf(svc: ServiceRef, virtualServices: readonly VirtualServiceFact[]): Array<{ name: string; weights: string }> {
  const out: Array<{ name: string; weights: string }> = [];
  for (const vs of virtualServices) {
    const split = vs.http.find((route) => route.length >= 2 && route.some((d) => hostIsService(d.host, vs.namespace, svc)));
    if (split) out.push({ name: vs.name, weights: split.map((d) => `${d.subset ?? d.host}=${d.weight ?? 0}`).join(', ') });
  }
  return out;
}
