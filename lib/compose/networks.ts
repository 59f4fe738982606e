// Compose networks as NetworkPolicies: only services that share a network reach each other. One
// policy per Compose network, selecting its members by a network label, so the output grows with the
// number of services and networks (not with its square), and the replicas of a service, which share
// its labels, always reach each other.
import { createHash } from 'crypto';
import { manifest } from '../k8s-object';
import { show, toDnsLabel } from '../core';
import { KUBE_DNS_EGRESS } from '../k8s';
import { ServiceType } from '../web-app';
import { ComposeConversion } from './context';
import { ServicePort } from './model';
import { publishedText } from './ports';

/** On the pods of a service reachable from outside (published port, Ingress, NodePort or LoadBalancer): no network policy selects them. */
export const EXPOSED_LABEL = 'compose.cdk8s-noops.io/exposed';

/** The pod label of the members of Compose network `net` (its value is the app's part-of name). */
export function networkLabel(net: string): string {
  const name = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(net) ? net
    : `${toDnsLabel(net).slice(0, 54)}-${createHash('sha256').update(net).digest('hex').slice(0, 8)}`;
  return `network.cdk8s-noops.io/${name}`;
}

/** The Compose networks of service `n` (`default` when it names none); reports an undeclared one. */
export function composeNetworks(ctx: ComposeConversion, n: string): string[] {
  const doc = ctx.source.data;
  const nets = doc.services[n].networks;
  const list: string[] = nets === undefined ? ['default'] : Array.isArray(nets) ? nets : Object.keys(nets);
  for (const net of list) {
    if (net !== 'default' && !Object.prototype.hasOwnProperty.call(doc.networks ?? {}, net)) {
      ctx.report(['services', n, 'networks'], `network ${show(net)} is not declared under the top-level networks:`, `add 'networks: { ${net}: {} }' at the top level`);
    }
  }
  return list;
}

/**
 * Whether service `n` is reachable from outside, as a published Compose port is (noted): a port
 * published beyond the host's loopback, an Ingress, a NodePort or LoadBalancer Service.
 */
export function isExposed(ctx: ComposeConversion, n: string, ports: readonly ServicePort[]): boolean {
  const o = ctx.opts(n);
  const published = ports.filter((p) => p.published);
  if (published.some((p) => !isLoopback(p.hostIp))) {
    ctx.note(`${n} publishes ports, so its ingress is not isolated (like a published Compose port, anyone may connect)`);
    return true;
  }
  if (published.length) {
    // Compose publishes these on the Docker host's loopback only: nobody else could connect, so
    // they open nothing here (kubectl port-forward is the Kubernetes equivalent).
    ctx.note(`${n} publishes ${published.map(publishedText).join(', ')} on the host's loopback only, which no other machine reaches: its ingress stays isolated to its networks; use kubectl port-forward, or ${ctx.advise({ option: 'ingress', service: n }, `options.services.${n}.ingress`)} to expose it`);
  }
  const hasService = ports.length > 0 || o.ports !== undefined || o.port !== undefined;
  if (hasService && (o.ingress || o.serviceType === ServiceType.NODE_PORT || o.serviceType === ServiceType.LOAD_BALANCER)) {
    ctx.note(`${n} is exposed through ${o.ingress ? 'an Ingress' : `a ${o.serviceType} Service`}, so its ingress is not isolated (like a published Compose port)`);
    return true;
  }
  return false;
}

/** The extra pod labels of service `n`: one per Compose network it is on, and {@link EXPOSED_LABEL} when exposed. */
export function networkPodLabels(ctx: ComposeConversion, networks: readonly string[], exposed: boolean): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const net of networks) labels[networkLabel(net)] = ctx.partOf;
  if (exposed) labels[EXPOSED_LABEL] = 'true';
  return labels;
}

/**
 * Private IPv4 and IPv6 ranges: where cluster pods, Services and nodes usually live. Compose lets a
 * container reach the internet but not the containers of other projects' networks; egress to these
 * ranges outside the app's own networks is therefore not allowed.
 */
function privateRanges(): { v4: string[]; v6: string[] } {
  return { v4: ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'], v6: ['fc00::/7', 'fe80::/10'] };
}

/**
 * Renders one NetworkPolicy per Compose network with members (`networksOf`), isolating ingress and
 * egress as a Compose network does: it selects every member and admits ingress from every member
 * (replicas included); egress goes to the members, to published (exposed) services, to cluster DNS and
 * to addresses outside the private ranges (the internet). A pod on several networks is selected by
 * several policies, which Kubernetes adds up. Exposed services (a published port, an Ingress, a
 * NodePort/LoadBalancer Service) also get `<project>-published`, which admits ingress from anywhere.
 */
export function renderNetworkPolicies(ctx: ComposeConversion, networksOf: ReadonlyMap<string, readonly string[]>, exposedAny: boolean): void {
  const nets = [...new Set([...networksOf.values()].flat())].sort();
  const ranges = privateRanges();
  for (const net of nets) {
    const members = { [networkLabel(net)]: ctx.partOf };
    const name = toDnsLabel(`${ctx.partOf}-network-${net}`);
    manifest(ctx.scope, `network-${net}`, 'networking.k8s.io/v1', 'NetworkPolicy', {
      name, namespace: ctx.namespace,
      labels: ctx.objectLabels(),
      annotations: { 'compose.cdk8s-noops.io/network': net },
      body: {
        spec: {
          podSelector: { matchLabels: members },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ podSelector: { matchLabels: members } }] }],
          egress: [
            { to: [{ podSelector: { matchLabels: members } }] },
            { to: [{ podSelector: { matchExpressions: [{ key: EXPOSED_LABEL, operator: 'Exists' }] } }] },
            { ...KUBE_DNS_EGRESS },
            { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ranges.v4 } }, { ipBlock: { cidr: '::/0', except: ranges.v6 } }] },
          ],
        },
      },
    });
  }
  if (exposedAny) {
    manifest(ctx.scope, 'network-published', 'networking.k8s.io/v1', 'NetworkPolicy', {
      name: toDnsLabel(`${ctx.partOf}-published`), namespace: ctx.namespace,
      labels: ctx.objectLabels(),
      annotations: { 'compose.cdk8s-noops.io/network': '(published ports)' },
      body: {
        spec: {
          podSelector: { matchExpressions: [{ key: EXPOSED_LABEL, operator: 'Exists' }] },
          policyTypes: ['Ingress'],
          ingress: [{}],
        },
      },
    });
  }
}

/** True when services `a` and `b` share a Compose network, or `b` is exposed: `a` may connect to `b`. */
export function mayConnect(networksOf: ReadonlyMap<string, readonly string[]>, exposed: ReadonlySet<string>, a: string, b: string): boolean {
  if (exposed.has(b)) return true;
  const mine = new Set(networksOf.get(a) ?? []);
  return (networksOf.get(b) ?? []).some((net) => mine.has(net));
}

/** True for a loopback host IP (`127.0.0.0/8`, `::1`, `localhost`): a port Compose publishes there is reachable from the Docker host only. */
function isLoopback(ip: string | undefined): boolean {
  return ip !== undefined && (/^127\./.test(ip) || ip === '::1' || ip.toLowerCase() === 'localhost');
}
