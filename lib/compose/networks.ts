// Compose networks as NetworkPolicies: only services that share a network reach each other.
import { show } from '../core';
import { ServiceType } from '../web-app';
import { ComposeConversion } from './context';
import { publishedText } from './ports';
import { ComposeServiceResult } from './props';

/**
 * Isolates each service to the services it shares a Compose network with (`default` when it names
 * none): `allowFrom` each of them, or `isolate()` when it shares none. A service reachable from
 * outside (a port published beyond the host's loopback, an Ingress, a NodePort or LoadBalancer
 * Service) is left open, as a published Compose port is.
 */
export function renderNetworkPolicies(ctx: ComposeConversion, names: readonly string[], services: Readonly<Record<string, ComposeServiceResult>>): void {
  const doc = ctx.source.data;
  const netsOf = (n: string): string[] => {
    const nets = doc.services[n].networks;
    const list: string[] = nets === undefined ? ['default'] : Array.isArray(nets) ? nets : Object.keys(nets);
    list.forEach((net) => {
      if (net !== 'default' && !Object.prototype.hasOwnProperty.call(doc.networks ?? {}, net)) {
        ctx.err(['services', n, 'networks'], `network ${show(net)} is not declared under the top-level networks:`, `add 'networks: { ${net}: {} }' at the top level`);
      }
    });
    return list;
  };
  const nets = new Map(names.map((n) => [n, new Set(netsOf(n))]));
  for (const n of names) {
    const app = services[n].webApp;
    const published = services[n].ports.filter((p) => p.published);
    if (published.some((p) => !isLoopback(p.hostIp))) {
      ctx.note(`${n} publishes ports, so its ingress is not isolated (like a published Compose port, anyone may connect)`);
      continue;
    }
    if (published.length) {
      // Compose publishes these on the Docker host's loopback only: nobody else could connect, so
      // they open nothing here (kubectl port-forward is the Kubernetes equivalent).
      ctx.note(`${n} publishes ${published.map(publishedText).join(', ')} on the host's loopback only, which no other machine reaches: its ingress stays isolated to its networks; use kubectl port-forward, or ${ctx.advise({ option: 'ingress', service: n }, `options.services.${n}.ingress`)} to expose it`);
    }
    // An Ingress controller or load balancer must reach it, as a published port would be reached.
    if (app.service && (app.ingress || app.serviceType === ServiceType.NODE_PORT || app.serviceType === ServiceType.LOAD_BALANCER)) {
      ctx.note(`${n} is exposed through ${app.ingress ? 'an Ingress' : `a ${app.serviceType} Service`}, so its ingress is not isolated (like a published Compose port)`);
      continue;
    }
    const peers = names.filter((m) => m !== n && [...nets.get(m)!].some((net) => nets.get(n)!.has(net)));
    if (peers.length === 0) app.isolate();
    for (const m of peers) app.allowFrom(services[m].webApp);
  }
}

/** True for a loopback host IP (`127.0.0.0/8`, `::1`, `localhost`): a port Compose publishes there is reachable from the Docker host only. */
function isLoopback(ip: string | undefined): boolean {
  return ip !== undefined && (/^127\./.test(ip) || ip === '::1' || ip.toLowerCase() === 'localhost');
}
