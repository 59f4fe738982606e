// Lets a release's gateway reach its versions' pods through their default-deny NetworkPolicies
// (WebApp networkIsolation): a rule added only where a version's ingress is isolated.
import { GatewayApiSettings } from '../routing/gateway-api/api';
import { ReleaseRouting } from '../routing/model';
import { NetworkPeer, WebApp } from '../web-app';

/** The pod label Istio's Gateway API implementation puts on a Gateway's proxy pods. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** The label Istio's sidecar injector puts on every pod it injects: the in-mesh callers. */
export const ISTIO_SIDECAR_POD = { 'security.istio.io/tlsMode': 'istio' } as const;
/** The labels of Istio's default ingress gateway pods, for an existing Istio Gateway whose selector is unknown. */
export const ISTIO_INGRESS_GATEWAY = { istio: 'ingressgateway' } as const;

/**
 * Allows the release's callers into every version: its north-south gateway (an Istio Gateway's proxy
 * pods: its selector, in any namespace since Istio matches them cluster-wide, `istio: ingressgateway` for
 * an existing Gateway; or the pods of a Gateway API Gateway, `gateway.networking.k8s.io/gateway-name` in
 * the Gateway's namespace), and, when the release routes in-mesh callers (Istio's `mesh`, GAMMA), every
 * sidecar-injected pod (`security.istio.io/tlsMode: istio`): which of them may call is then Istio's
 * AuthorizationPolicy's to say. Ambient pods arrive on HBONE, which WebApp allows itself.
 */
export function allowGatewayIn(versions: readonly WebApp[], routing: ReleaseRouting, gatewayApi: GatewayApiSettings | undefined, namespace: string | undefined): void {
  let peer: NetworkPeer | undefined;
  if (gatewayApi) {
    const gw = gatewayApi.gateway;
    if (gw) peer = NetworkPeer.pods({ [GATEWAY_NAME_LABEL]: gw.name }, gw.namespace ?? namespace);
  } else {
    const gw = routing.attachment.gateway;
    if (gw) peer = NetworkPeer.podsInAnyNamespace({ ...(gw.kind === 'created' ? gw.selector : ISTIO_INGRESS_GATEWAY) });
  }
  if (peer) for (const v of versions) v.allowFromIfIngressIsolated(peer);
  if (!gatewayApi || gatewayApi.mesh) {
    for (const v of versions) v.allowFromIfIngressIsolated(NetworkPeer.podsInAnyNamespace({ ...ISTIO_SIDECAR_POD }));
  }
}
