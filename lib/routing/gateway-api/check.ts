import { fail, show } from '../../core';
import { ReleaseRouting } from '../model';
import { GatewayApiSettings } from './api';
import { stageForHost } from './host-routes';
import { checkAttachment } from './listeners';
import { checkGatewayApiMatch } from './matches';
import { checkRuleOrder } from './precedence';

/**
 * What the Gateway API renderer refuses before rendering: options it cannot express (named with the
 * option and the backend), experimental-channel fields without the opt-in, and attachments no
 * listener accepts. Everything else was validated with the model.
 */

/** HTTPRoute `spec.rules` holds at most 16 rules (CRD `maxItems`). */
export const MAX_HTTPROUTE_RULES = 16;

/** What {@link checkGatewayApiRelease} reads: the release as planned (before its workloads exist). */
export interface GatewayApiCheckInput extends Pick<ReleaseRouting, 'stages' | 'attachment' | 'policy' | 'sticky' | 'istio'> {
  /** The release's namespace (`undefined`: the kubectl context's). */
  readonly namespace: string | undefined;
}

/** Fails on anything in `model` (and `settings`) the Gateway API renderer cannot render as declared. */
export function checkGatewayApiRelease(owner: string, model: GatewayApiCheckInput, settings: GatewayApiSettings): void {
  const backend = 'the Gateway API (TrafficApi.gatewayApi)';
  if (!settings.mesh && !settings.gateway) {
    fail(owner, 'TrafficApi.gatewayApi has neither gateway nor mesh, so no HTTPRoute would attach anywhere', 'set gateway (a Gateway to serve the release through) and/or keep mesh: true (routes for in-mesh callers, GAMMA)');
  }
  const hostRoutes = settings.hostRoutes ?? [];
  for (const stage of model.stages) {
    for (const r of stage.routes) r.matches.forEach((m) => checkGatewayApiMatch(owner, `stage ${show(stage.name)} route ${show(r.name)}`, m, hostRoutes));
    if (hostRoutes.length === 0) checkRuleOrder(owner, stage);
    else [undefined, ...hostRoutes].forEach((host) => checkRuleOrder(owner, stageForHost(stage, host), host));
    if (stage.routes.length + 1 > MAX_HTTPROUTE_RULES) {
      fail(owner, `stage ${show(stage.name)} has ${stage.routes.length} match routes, but an HTTPRoute holds at most ${MAX_HTTPROUTE_RULES} rules (the match routes and the weighted default rule)`,
        `use at most ${MAX_HTTPROUTE_RULES - 1} match routes (a route takes a list of matches: combine routes to the same version)`);
    }
  }
  if (model.sticky) {
    fail(owner, `sticky is not rendered by ${backend}: the cookie routes set their cookie with a per-backend response filter, which implementations do not all support`,
      'drop sticky, or render with TrafficApi.istio()');
  }
  if (model.istio.trafficPolicy) {
    fail(owner, `trafficPolicy is a DestinationRule setting, which ${backend} does not render`, 'drop trafficPolicy (or apply a DestinationRule of your own to the version Services with Istio), or render with TrafficApi.istio()');
  }
  const p = model.policy;
  if (p.cors) fail(owner, `corsPolicy is not rendered by ${backend} yet (its allowOrigins are Istio string matches, the HTTPRoute CORS filter takes origins)`, 'drop corsPolicy, or render with TrafficApi.istio()');
  if (p.rewrite) fail(owner, `rewrite is not rendered by ${backend} yet (Istio's uri rewrite replaces the matched prefix, the URLRewrite filter needs a PathPrefix match)`, 'drop rewrite, or render with TrafficApi.istio()');
  if (p.retries) {
    if (!settings.experimental) {
      fail(owner, `retries needs HTTPRoute retry, which ${backend} renders only from the experimental channel (Gateway API v1.6.1)`,
        'install the experimental-channel CRDs and set TrafficApi.gatewayApi({ experimental: true }), or drop retries');
    }
    const perTry = p.retries.perTryTimeout;
    if (perTry !== undefined && !/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(perTry)) {
      fail(owner, `retries.perTryTimeout ${show(perTry)} is not a Gateway API duration (HTTPRoute timeouts.backendRequest)`, 'use whole units, e.g. \'2s\' or \'1500ms\'');
    }
    const codes = (p.retries.retryOn ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    const bad = codes.find((c) => !/^5[0-9][0-9]$/.test(c));
    if (bad !== undefined) fail(owner, `retries.retryOn ${show(p.retries.retryOn)} has ${show(bad)}, which the HTTPRoute retry cannot express (it lists HTTP status codes 500-599)`, 'list status codes, e.g. \'502,503,504\'');
  }
  const h = model.policy.headers;
  for (const [where, ops] of [['request', h?.request], ['response', h?.response]] as const) {
    for (const name of [...Object.keys(ops?.set ?? {}), ...Object.keys(ops?.add ?? {}), ...(ops?.remove ?? [])]) {
      if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(name)) fail(owner, `headers.${where} names ${show(name)}, which is not an HTTP header name`, 'use a header name (letters, digits and !#$%&\'*+-.^_`|~)');
    }
  }
  if (settings.gateway) checkAttachment(owner, 'gateway hosts', settings.gateway, model.namespace, model.attachment.gatewayHosts);
  if (settings.gateway && hostRoutes.length) checkAttachment(owner, 'preview hosts', settings.gateway, model.namespace, hostRoutes);
}
