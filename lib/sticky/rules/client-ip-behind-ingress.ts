import { Derivation, ErrorCollector, Rule } from '../../registry';
import { TRAFFIC_OBJECTS } from '../../routing/traffic-objects';
import { STICKY_INGRESS_FACTS, errorMessage } from '../facts';

/**
 * clientIp on a Service that an Ingress of its namespace (any class) also routes to: behind an Ingress
 * controller the client is the controller's pod, so ClientIP affinity pins nothing.
 */
export const CLIENT_IP_BEHIND_INGRESS: Rule = new Derivation('clientIp Service behind an Ingress', (registry) => {
  const { ingresses } = registry.get(TRAFFIC_OBJECTS);
  const errors = new ErrorCollector();
  for (const [sticky, { owner, routing }] of registry.get(STICKY_INGRESS_FACTS)) {
    if (routing.affinity.kind !== 'clientIp') continue;
    const main = routing.service.service;
    for (const other of ingresses) {
      if (other.namespace !== routing.namespace || !other.services.includes(main)) continue;
      errors.add(sticky, errorMessage(owner, `clientIp on Service '${main}', which Ingress '${other.name}' also routes to: behind an Ingress controller kube-proxy sees the controller's pods, not the clients, so requests through it are not sticky`,
        `use StickyStrategy.nginxCookie for traffic through the Ingress (one StickyIngress for the Service), or remove Ingress '${other.name}'`));
    }
  }
  return errors.result;
}, { readsObjects: true });
