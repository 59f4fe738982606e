import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HttpRouteSpec, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
} from '../../../imports/gateway.networking.k8s.io';
import { GatewayModel, RenderedListener } from './gateway';
import { renderRouteObject } from './http-route';
import { gatewayParentRef } from './parent-ref';

/**
 * The HTTP→HTTPS redirect of a Gateway's HTTP listener: an HTTPRoute `<gateway>-<listener>-https-redirect`
 * beside the Gateway, attached to that listener only (`sectionName`), whose one rule answers every
 * request with a 301 to the same URL on `https` (on the HTTPS listener's port when it is not 443).
 * Routes of apps must then attach to the HTTPS listener (`sectionName`): a route on the HTTP listener
 * with a more specific hostname would win over the redirect (listeners.ts refuses that).
 * @see https://gateway-api.sigs.k8s.io/guides/http-redirect-rewrite/
 */
export function renderHttpsRedirect(scope: Construct, gateway: GatewayModel, listener: RenderedListener, httpsPort: number): ApiObject {
  const spec: HttpRouteSpec = {
    parentRefs: [gatewayParentRef({ owner: '', name: gateway.name, namespace: gateway.namespace, sectionName: listener.name }, gateway.namespace)],
    ...(listener.hostname !== undefined ? { hostnames: [listener.hostname] } : {}),
    rules: [{
      filters: [{
        type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
        requestRedirect: { scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS, statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301, ...(httpsPort !== 443 ? { port: httpsPort } : {}) },
      }],
    }],
  };
  return renderRouteObject(scope, `HTTPRoute-${listener.name}-https-redirect`, {
    name: `${gateway.name}-${listener.name}-https-redirect`, namespace: gateway.namespace, labels: { ...gateway.labels }, spec,
  });
}
