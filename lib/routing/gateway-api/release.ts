import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ReleaseRouting } from '../model';
import { GATEWAY_API_GROUP, GatewayApiSettings } from './api';
import { HttpRouteOptions, renderHttpRoute } from './http-route';

/** Everything the Gateway API renderer made of a release's routing model. */
export interface GatewayApiRelease {
  /** `<name>`: the GAMMA route, attached to the app's Service (in-mesh callers); absent with `mesh: false`. */
  readonly meshRoute?: ApiObject;
  /** `<name>-gateway`: the north-south route, attached to the Gateway with the gateway hosts; absent without a gateway. */
  readonly gatewayRoute?: ApiObject;
  /** Both, in that order. */
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
  const meshRoute = settings.mesh ? renderHttpRoute(scope, 'HTTPRoute', model, settings, {
    name: model.app.name,
    parentRefs: [{ group: '', kind: 'Service', name: model.app.name }],
  }, options) : undefined;
  const gw = settings.gateway;
  const gatewayRoute = gw ? renderHttpRoute(scope, 'HTTPRoute-gateway', model, settings, {
    name: `${model.app.name}-gateway`,
    parentRefs: [{
      group: GATEWAY_API_GROUP,
      kind: 'Gateway',
      name: gw.name,
      ...(gw.namespace !== undefined && gw.namespace !== model.app.namespace ? { namespace: gw.namespace } : {}),
    }],
    hostnames: model.attachment.gatewayHosts,
  }, options) : undefined;
  return { meshRoute, gatewayRoute, httpRoutes: [meshRoute, gatewayRoute].filter((r): r is ApiObject => r !== undefined) };
}
