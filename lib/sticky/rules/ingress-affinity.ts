import { Derivation, ErrorCollector, Rule } from '../../registry';
import { TRAFFIC_OBJECTS } from '../../routing/traffic-objects';
import { STICKY_INGRESS_FACTS, cookieIngresses, errorMessage, otherIngressesOfClass } from '../facts';

/**
 * ingress-nginx keeps one affinity setting per Service (upstream), taken from the first-created Ingress
 * that routes to it (kubernetes/ingress-nginx#4211): another Ingress of the class in the namespace with
 * other (or no) affinity annotations for one of an nginxCookie StickyIngress's Services makes the
 * stickiness depend on creation order.
 */
export const INGRESS_AFFINITY_CONFLICTS: Rule = new Derivation('Service routed with other cookie affinity', (registry) => {
  const { ingresses } = registry.get(TRAFFIC_OBJECTS);
  const errors = new ErrorCollector();
  for (const { sticky, s, ingress } of cookieIngresses(registry.get(STICKY_INGRESS_FACTS))) {
    const own = new Set(ingress.paths.map((p) => p.backend.service));
    for (const other of otherIngressesOfClass(ingresses, s, s.routing.namespace, ingress.className)) {
      const shared = other.services.filter((n) => own.has(n));
      if (shared.length === 0 || other.affinity === s.ingressAffinity) continue;
      errors.add(sticky, errorMessage(s.owner, `Ingress '${other.name}' also routes to Service ${shared.map((n) => `'${n}'`).join(', ')} ${other.affinity === '{}' ? 'without cookie affinity' : 'with other cookie-affinity settings'}: ingress-nginx keeps one affinity setting per Service, from whichever Ingress was created first (kubernetes/ingress-nginx#4211), so whether sessions stick would depend on the order the Ingresses are applied`,
        `route those paths through this StickyIngress (addPath, or another host with the same nginxCookie settings), or give Ingress '${other.name}' a Service of its own`));
    }
  }
  return errors.result;
}, { readsObjects: true });
