// Network isolation of a WebApp: which directions its NetworkPolicy isolates and which peers it allows.
// WebApp's isolate/allowFrom/allowTo change it; the policy's spec is rendered from it at synth.
import { Json, fail, validatePort } from '../core';
import { KUBE_DNS_EGRESS, NetworkPolicyPort, Protocol, ServiceType, renderNetworkPolicyRule, renderNetworkPolicySpec } from '../k8s';
import { NetworkPeer } from './network-peer';

/** An allowed peer, and the ports allowed (every port when `undefined`). */
export interface PeerRule {
  /** The peer. */
  readonly peer: NetworkPeer;
  /** The ports. */
  readonly ports?: readonly NetworkPolicyPort[];
}

/** The NetworkPolicy model of one WebApp. */
export class NetworkIsolation {
  /** All ingress is denied except from {@link ingressPeers}. */
  public ingressIsolated = false;
  /** All egress is denied except to {@link egressPeers} and DNS. */
  public egressIsolated = false;
  /** Peers allowed in (rendered only when ingress is isolated). */
  public readonly ingressPeers: PeerRule[] = [];
  /** Peers allowed out (rendered only when egress is isolated). */
  public readonly egressPeers: PeerRule[] = [];

  /**
   * The NetworkPolicy's `spec` for pods with `podSelector` in `namespace`, with `implicit` rules (a
   * default-isolated app's exposure and mesh, see default-isolation.ts) after the declared ones.
   */
  public renderSpec(podSelector: Readonly<Record<string, string>>, namespace: string | undefined,
    implicit: { readonly ingress: readonly Json[]; readonly egress: readonly Json[] } = { ingress: [], egress: [] }): Json {
    const rules = (peers: readonly PeerRule[], direction: 'from' | 'to') =>
      peers.map((r) => renderNetworkPolicyRule(direction, r.peer._renderAll(namespace), r.ports));
    const egress = this.egressIsolated ? [...rules(this.egressPeers, 'to'), ...implicit.egress, KUBE_DNS_EGRESS] : undefined;
    return renderNetworkPolicySpec({
      podSelector,
      policyTypes: [...(this.ingressIsolated ? ['Ingress' as const] : []), ...(this.egressIsolated ? ['Egress' as const] : [])],
      ingress: this.ingressIsolated ? dedupeJson([...rules(dedupeRules(this.ingressPeers), 'from'), ...implicit.ingress]) : undefined,
      egress: egress ? dedupeJson(egress) : undefined,
    });
  }

  /**
   * Synth-time check: an app whose ingress is isolated with no allowed peer at all cannot be exposed,
   * since the Ingress controller's pods (or, for NodePort/LoadBalancer, the nodes and clients) are peers
   * like any other and would be denied: 502s or timeouts, with nothing in the manifests saying why.
   * `ingressName` is the app's Ingress, if any; `externalService` the type of its Service when that is
   * NodePort or LoadBalancer.
   */
  public exposureErrors(owner: string, ingressName: string | undefined, externalService: ServiceType | undefined): string[] {
    if (!this.ingressIsolated || this.ingressPeers.length > 0) return [];
    const via: string[] = [];
    const who: string[] = [];
    const fixes: string[] = [];
    if (ingressName !== undefined) {
      via.push(`Ingress '${ingressName}' (exposeViaIngress)`);
      who.push('the Ingress controller');
      fixes.push('allowFrom(NetworkPeer.namespace(\'<your ingress controller namespace>\'))');
    }
    if (externalService !== undefined) {
      via.push(`a ${externalService} Service`);
      who.push('clients of the node ports and load balancer');
      fixes.push('allowFrom(NetworkPeer.ipBlock(\'<client CIDR>\'))');
    }
    if (!via.length) return [];
    return [`${owner}: isolate() denies all ingress but the app is exposed through ${via.join(' and ')}, so ${who.join(' and ')} could never reach the pods (502s or timeouts); `
      + `allow them with ${fixes.join(' and ')}, or do not expose the app`];
  }
}

/**
 * The ports of a rule to `port` of a pod with container ports `podPorts` (every one of them when `port`
 * is not given). `port` must be one of them unless `anyPort`; its protocols are those the pod declares
 * for it (TCP when none).
 */
export function rulePorts(owner: string, podPorts: ReadonlyArray<{ containerPort: number; protocol: Protocol }>, port?: number, anyPort = false): NetworkPolicyPort[] | undefined {
  if (port !== undefined) {
    validatePort(owner, 'network policy port', port);
    if (!anyPort && podPorts.length && !podPorts.some((p) => p.containerPort === port)) {
      fail(owner, `network policy port ${port} is not a container port (${podPorts.map((p) => p.containerPort).join(', ')})`, 'name one of the pod\'s container ports');
    }
    const protocols = [...new Set(podPorts.filter((p) => p.containerPort === port).map((p) => p.protocol))];
    return (protocols.length ? protocols : [Protocol.TCP]).map((protocol) => ({ port, protocol }));
  }
  const all = [...new Map(podPorts.map((p) => [`${p.containerPort}/${p.protocol}`, { port: p.containerPort, protocol: p.protocol }])).values()];
  return all.length ? all : undefined;
}

/** `rules` without repeats (same rendered peer, description and ports). */
function dedupeRules(rules: readonly PeerRule[]): PeerRule[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify([r.peer._render(undefined), r.peer.toString(), r.ports]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `items` without repeats (same JSON). */
function dedupeJson(items: Json[]): Json[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = JSON.stringify(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
