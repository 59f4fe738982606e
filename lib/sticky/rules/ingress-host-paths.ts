import { show } from '../../core';
import { Derivation, ErrorCollector, Rule } from '../../registry';
import { TRAFFIC_OBJECTS } from '../../routing/traffic-objects';
import { STICKY_INGRESS_FACTS, cookieIngresses, errorMessage, otherIngressesOfClass } from '../facts';

/**
 * An nginxCookie StickyIngress's host and path that another Ingress of the class (in any namespace)
 * already routes: ingress-nginx's admission webhook checks host + path across every namespace and rejects
 * the second Ingress; without the webhook one of them silently wins.
 */
export const INGRESS_HOST_PATH_CLASHES: Rule = new Derivation('host and path routed by two Ingresses', (registry) => {
  const { ingresses } = registry.get(TRAFFIC_OBJECTS);
  const errors = new ErrorCollector();
  for (const { sticky, s, ingress } of cookieIngresses(registry.get(STICKY_INGRESS_FACTS))) {
    for (const other of otherIngressesOfClass(ingresses, s, null, ingress.className)) {
      const twice = ingress.paths.filter((p) => other.routes.includes(`${ingress.host} ${p.path} ${p.pathType}`));
      if (twice.length === 0) continue;
      errors.add(sticky, errorMessage(s.owner, `Ingress '${other.name}' already routes host ${show(ingress.host)} path ${twice.map((p) => show(p.path)).join(', ')} (${twice[0].pathType}): ingress-nginx's admission webhook rejects the second Ingress for a host and path ("is already defined in ingress"), and without the webhook one of them silently wins`,
        'route each host and path through one Ingress: add the path to one StickyIngress, or use another host or path'));
    }
  }
  return errors.result;
}, { readsObjects: true });
