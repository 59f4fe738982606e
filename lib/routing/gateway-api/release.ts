import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseRouting } from '../model';
import { GatewayApiSettings } from './api';
import { HttpRouteOptions, renderHttpRoute } from './http-route';
import { stageForHost } from './host-routes';
import { gatewayParentRef } from './parent-ref';

/** Everything the Gateway API renderer made of a release's routing model. */
export interface GatewayApiRelease {
  /** `<name>`: the GAMMA route, attached to the app's Service (in-mesh callers); absent with `mesh: false`. */
  readonly meshRoute?: ApiObject;
  /** `<name>-gateway`: the north-south route, attached to the Gateway with the gateway hosts; absent without a gateway. */
  readonly gatewayRoute?: ApiObject;
  /** `<name>-preview` (`-preview-<n>` from the second on): one per host route (settings.hostRoutes), attached to the Gateway. */
  readonly hostRoutes: readonly ApiObject[];
  /** All of them, in that order. */
  readonly httpRoutes: readonly ApiObject[];
}

/**
 * The Gateway API renderer: the rendered stage's routes as HTTPRoutes, one per kind of parent (a
 * route's `hostnames` mean nothing to a Service parent, and the Istio renderer splits its
 * VirtualServices the same way when a gateway host is a wildcard). Call {@link checkGatewayApiRelease}
 * first. The versions' Services and the app's Service are the construct's.
 * @see https://gateway-api.sigs.k8s.io/mesh/ (GAMMA: a Service as a route's parent)
 */
export function renderGatewayApiRelease(scope: Construct, model: ReleaseRouting, settings: GatewayApiSettings, options: HttpRouteOptions = {}): GatewayApiRelease {
  const hostRoutes = settings.hostRoutes ?? [];
  const others = hostRoutes.length ? stageForHost(model.stage, undefined) : model.stage;
  const meshRoute = settings.mesh ? renderHttpRoute(scope, 'HTTPRoute', model, settings, {
    name: model.app.name,
    parentRefs: [{ group: '', kind: 'Service', name: model.app.name }],
    stage: others,
  }, options) : undefined;
  const gw = settings.gateway;
  const gatewayRoute = gw ? renderHttpRoute(scope, 'HTTPRoute-gateway', model, settings, {
    name: `${model.app.name}-gateway`,
    parentRefs: [gatewayParentRef(gw, model.app.namespace)],
    hostnames: model.attachment.gatewayHosts,
    stage: others,
  }, options) : undefined;
  const hosts = gw ? hostRoutes.map((host, i) => renderHttpRoute(scope, i === 0 ? 'HTTPRoute-preview' : `HTTPRoute-preview-${i + 1}`, model, settings, {
    name: i === 0 ? `${model.app.name}-preview` : `${model.app.name}-preview-${i + 1}`,
    parentRefs: [gatewayParentRef(gw, model.app.namespace)],
    hostnames: [host],
    stage: stageForHost(model.stage, host),
  }, options)) : [];
  return { meshRoute, gatewayRoute, hostRoutes: hosts, httpRoutes: [meshRoute, gatewayRoute, ...hosts].filter((r): r is ApiObject => r !== undefined) };
}
