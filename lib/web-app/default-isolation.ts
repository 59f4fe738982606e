// What a WebApp's default-deny NetworkPolicy (networkIsolation) allows besides DNS and declared peers:
// its own exposure, and the Istio data plane of its namespace. Derived at synth from facts, never from
// rendered output.
import { Json } from '../core';
import { NetworkPolicyPort, Protocol, renderNetworkPolicyRule } from '../k8s';
import { NetworkPeer } from './network-peer';

/** What the implicit rules depend on. */
export interface ImplicitRulesInput {
  /** The policy's namespace. */
  readonly namespace: string | undefined;
  /** The app's main container port, when it has an Ingress (exposeViaIngress). */
  readonly ingressPort?: NetworkPolicyPort;
  /** The Ingress controller's namespace. */
  readonly ingressControllerNamespace: string;
  /** The container ports behind a NodePort or LoadBalancer Service, if the app has one. */
  readonly externalPorts?: readonly NetworkPolicyPort[];
  /** The namespace's mesh label (`istio-injection=enabled`, `istio.io/rev=…`, `istio.io/dataplane-mode=ambient`), if any. */
  readonly meshInjection?: string;
}

/** istiod: where sidecars get their configuration and certificates (XDS and CA on 15012). */
export const ISTIOD = { namespace: 'istio-system', labels: { app: 'istiod' }, port: 15012 } as const;
/** Ambient mode's HBONE port: ztunnel and waypoints carry mesh traffic to a pod on it. */
export const HBONE_PORT = 15008;
/** The source address of kubelet probes in ambient mode (ztunnel SNATs them to it). */
export const AMBIENT_PROBE_SOURCE = '169.254.7.127/32';

/**
 * The implicit ingress and egress rules of a default-isolated app:
 * - an Ingress: the controller's namespace, to the main port;
 * - a NodePort/LoadBalancer Service: every source (clients arrive from outside, often SNATed to a node) to its ports;
 * - sidecar mode: egress to istiod on 15012, or the sidecar never gets its configuration;
 * - ambient mode: ingress on 15008 (HBONE, from ztunnels and waypoints) and from the probe address,
 *   egress to 15008 (ztunnel sends the pod's outbound traffic there).
 * @see https://istio.io/latest/docs/ambient/usage/networkpolicy/
 */
export function implicitRules(input: ImplicitRulesInput): { readonly ingress: Json[]; readonly egress: Json[] } {
  const ingress: Json[] = [];
  const egress: Json[] = [];
  const tcp = (port: number): NetworkPolicyPort[] => [{ port, protocol: Protocol.TCP }];
  if (input.ingressPort) {
    ingress.push(renderNetworkPolicyRule('from', NetworkPeer.namespace(input.ingressControllerNamespace)._renderAll(input.namespace), [input.ingressPort]));
  }
  if (input.externalPorts?.length) ingress.push(renderNetworkPolicyRule('from', [], input.externalPorts));
  const mesh = input.meshInjection;
  if (mesh === 'istio.io/dataplane-mode=ambient') {
    ingress.push(renderNetworkPolicyRule('from', [], tcp(HBONE_PORT)));
    ingress.push(renderNetworkPolicyRule('from', NetworkPeer.ipBlock(AMBIENT_PROBE_SOURCE)._renderAll(input.namespace)));
    egress.push(renderNetworkPolicyRule('to', [], tcp(HBONE_PORT)));
  } else if (mesh !== undefined) {
    egress.push(renderNetworkPolicyRule('to', NetworkPeer.pods({ ...ISTIOD.labels }, ISTIOD.namespace)._renderAll(input.namespace), tcp(ISTIOD.port)));
  }
  return { ingress, egress };
}
