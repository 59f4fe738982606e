import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HttpRouteSpec, HttpRouteSpecRulesMatchesPathType } from '../../../imports/gateway.networking.k8s.io';
import { GATEWAY_API_CHANNEL_ANNOTATION, GATEWAY_API_EXPERIMENTAL, Json, recommendedLabels } from '../../core';
import { SessionPersistenceAffinity, StickyRouting } from '../affinity-model';
import { gatewayDuration, renderRouteObject } from './http-route';
import { gatewayParentRef } from './parent-ref';

/**
 * The Gateway API renderer of a sticky host (StickyIngress with StickyStrategy.gatewayApiCookie): an
 * HTTPRoute `<name>` on the Gateway with the host, one rule for the path to the main backend and, under
 * session-persistence affinity, the rule's `sessionPersistence` (experimental channel: the route is
 * annotated so). Under hash affinity (Istio) the DestinationRules make it stick; the route carries no
 * experimental field.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#sessionpersistence
 */

/** The rule's `sessionPersistence` block. */
export function sessionPersistenceJson(p: SessionPersistenceAffinity): Json {
  return {
    sessionName: p.sessionName,
    type: 'Cookie',
    ...(p.absoluteTimeoutSeconds !== undefined ? { absoluteTimeout: gatewayDuration(p.absoluteTimeoutSeconds * 1000) } : {}),
    cookieConfig: { lifetimeType: p.lifetimeType },
  };
}

/** The HTTPRoute spec of `routing` (which has a gateway). */
export function stickyRouteSpec(routing: StickyRouting): HttpRouteSpec | Json {
  const gw = routing.gateway!;
  const svc = routing.service;
  const affinity = routing.affinity;
  return {
    parentRefs: [gatewayParentRef(gw.parent, routing.namespace)],
    hostnames: [gw.host],
    rules: [{
      matches: [{ path: { type: gw.path.type === 'Exact' ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: gw.path.value } }],
      backendRefs: [{ name: svc.service, port: svc.port }],
      ...(affinity.kind === 'sessionPersistence' ? { sessionPersistence: sessionPersistenceJson(affinity) } : {}),
    }],
  };
}

/** Renders the HTTPRoute `<name>` of `routing` (construct id `HTTPRoute`). */
export function renderStickyRoute(scope: Construct, routing: StickyRouting): ApiObject {
  const experimental = routing.affinity.kind === 'sessionPersistence';
  return renderRouteObject(scope, 'HTTPRoute', {
    name: routing.name,
    namespace: routing.namespace,
    labels: recommendedLabels({ name: routing.name }),
    annotations: experimental ? { [GATEWAY_API_CHANNEL_ANNOTATION]: GATEWAY_API_EXPERIMENTAL } : undefined,
    spec: stickyRouteSpec(routing),
  });
}
