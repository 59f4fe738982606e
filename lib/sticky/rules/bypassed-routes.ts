import { Derivation, ErrorCollector, Rule } from '../../registry';
import { ServiceRef, TRAFFIC_OBJECTS, hostIsService } from '../../routing/traffic-objects';
import type { VirtualServiceFact } from '../../routing/traffic-facts';
import { STICKY_INGRESS_FACTS, errorMessage } from '../facts';

/**
 * nginxCookie and clientIp on a Service that a VirtualService routes by subset or weight: an Ingress
 * controller (endpoints) or kube-proxy (ClusterIP) picks among the pods of every version the Service
 * selects, around the VirtualService, so each version gets traffic in proportion to its pods.
 */
export const BYPASSED_ROUTES: Rule = new Derivation('sticky Service routed by a VirtualService', (registry) => {
  const { virtualServices } = registry.get(TRAFFIC_OBJECTS);
  const errors = new ErrorCollector();
  for (const [sticky, { owner, routing }] of registry.get(STICKY_INGRESS_FACTS)) {
    const kind = routing.affinity.kind;
    if (kind !== 'cookie' && kind !== 'clientIp') continue;
    const services: ServiceRef[] = kind === 'clientIp' ? [{ name: routing.service.service, namespace: routing.service.namespace }]
      : [...new Map((routing.ingress?.paths ?? []).map((p) => [p.backend.service, { name: p.backend.service, namespace: p.backend.namespace }])).values()];
    const layer = kind === 'clientIp' ? 'kube-proxy picks' : 'ingress-nginx sends each request to one of';
    for (const svc of services) {
      for (const vs of subsetRoutesOf(svc, virtualServices)) {
        errors.add(sticky, errorMessage(owner, `${kind === 'clientIp' ? 'clientIp' : 'nginxCookie'} on Service '${svc.name}', which VirtualService '${vs.name}' routes by ${vs.how}: ${layer} the Service's pods of every version directly, around the VirtualService, so each version gets traffic in proportion to its pods whatever the stage`,
          'serve the release through its Istio gateway (CanaryGateway) and keep users on a version with the CanaryRelease sticky option'));
      }
    }
  }
  return errors.result;
}, { readsObjects: true });

/**
 * VirtualServices that route `svc` by subset (any stage of a CanaryRelease, 100/0 included) or split it
 * by weight between destinations: what an Ingress controller or kube-proxy bypasses.
 */
function subsetRoutesOf(svc: ServiceRef, virtualServices: readonly VirtualServiceFact[]): Array<{ name: string; how: string }> {
  const out: Array<{ name: string; how: string }> = [];
  for (const vs of virtualServices) {
    // Requests for the Service's host (SERVICES mode: the Service over every release) or to it as a destination.
    const forHost = vs.hosts.some((h) => hostIsService(h, vs.namespace, svc));
    const mine = forHost ? vs.http : vs.http.filter((r) => r.some((d) => hostIsService(d.host, vs.namespace, svc)));
    if (mine.length === 0) continue;
    const subsets = [...new Set(mine.flat().map((d) => d.subset).filter((x): x is string => typeof x === 'string'))];
    if (subsets.length) out.push({ name: vs.name, how: `subset (${subsets.join(', ')})` });
    else if (mine.some((r) => r.length > 1)) out.push({ name: vs.name, how: 'weight between destinations' });
  }
  return out;
}
