// Renders a NetworkPolicy spec, its rules and their peers.
import { Json, compact } from '../core';
import { Protocol } from './container';

/** Pods (by labels, in a namespace), every pod of a namespace, or an IP block. */
export interface NetworkPolicyPeerModel {
  /** Pods with these labels. @default - every pod (of the namespace) */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** The pods' namespace. @default - the policy's own */
  readonly namespace?: string;
  /** The pods may be in any namespace (`namespaceSelector: {}`); exclusive with `namespace`. @default false */
  readonly anyNamespace?: boolean;
  /** An IP block, exclusive with the other fields. @default - none */
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/**
 * Renders a peer (`from[]` or `to[]` entry) as seen from a policy in `fromNamespace`: a namespace
 * selector only when the peer's namespace is another one.
 */
export function renderNetworkPolicyPeer(peer: NetworkPolicyPeerModel, fromNamespace: string | undefined): Json {
  if (peer.ipBlock) return { ipBlock: compact({ ...peer.ipBlock }) };
  const rendered: Json = {};
  if (peer.podLabels) rendered.podSelector = { matchLabels: { ...peer.podLabels } };
  if (peer.anyNamespace) return { namespaceSelector: {}, ...rendered };
  if (peer.namespace !== undefined && peer.namespace !== fromNamespace) {
    rendered.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } };
    if (!peer.podLabels) rendered.podSelector = undefined;
  } else if (!peer.podLabels) {
    rendered.podSelector = {};
  }
  return compact(rendered);
}

/** A port of a NetworkPolicy rule. */
export interface NetworkPolicyPort {
  /** Port number. */
  readonly port: number;
  /** Protocol. */
  readonly protocol: Protocol;
}

/** Renders an ingress (`from`) or egress (`to`) rule; without `ports`, every port. */
export function renderNetworkPolicyRule(direction: 'from' | 'to', peers: readonly Json[], ports?: readonly NetworkPolicyPort[]): Json {
  return compact({ [direction]: [...peers], ports: ports?.map((p) => ({ port: p.port, protocol: p.protocol })) });
}

/** The egress rule that keeps cluster DNS working under egress isolation: kube-dns in kube-system, port 53 UDP and TCP. */
export const KUBE_DNS_EGRESS: Json = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

/** A validated NetworkPolicy. */
export interface NetworkPolicyModel {
  /** The pods the policy applies to. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** The isolated directions. */
  readonly policyTypes: ReadonlyArray<'Ingress' | 'Egress'>;
  /** Rendered ingress rules (see {@link renderNetworkPolicyRule}). @default - none: all ingress denied if isolated */
  readonly ingress?: readonly Json[];
  /** Rendered egress rules. @default - none: all egress denied if isolated */
  readonly egress?: readonly Json[];
}

/** Renders the `spec` of a NetworkPolicy. */
export function renderNetworkPolicySpec(p: NetworkPolicyModel): Json {
  return compact({
    podSelector: { matchLabels: { ...p.podSelector } },
    policyTypes: [...p.policyTypes],
    ingress: p.ingress ? [...p.ingress] : undefined,
    egress: p.egress ? [...p.egress] : undefined,
  });
}
