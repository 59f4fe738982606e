import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HttpRouteSpec, HttpRouteSpecParentRefs, HttpRouteSpecRules, HttpRouteSpecRulesBackendRefs, HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesTimeouts,
} from '../../../imports/gateway.networking.k8s.io';
import { Json, compact, manifest } from '../../k8s-object';
import { GATEWAY_API_CHANNEL_ANNOTATION, GATEWAY_API_EXPERIMENTAL } from '../../core';
import { ReleaseRouting, RoutingStage, splitVersions } from '../model';
import { GATEWAY_API_V1, GatewayApiSettings } from './api';
import { httpRouteMatch } from './matches';

/**
 * The HTTPRoute rules of a stage, the same routes the Istio renderer puts in a VirtualService: one rule
 * per match route (to its version's Service), then the weighted default rule (weighted `backendRefs`,
 * the stage's mirror as a `RequestMirror` filter). A rule without matches is `PathPrefix /` with no
 * header, so every match rule (a header or a narrower path) takes precedence over the default rule.
 * Gateway API has no subsets: every version is its own Service.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule
 */
export function httpRouteRules(model: ReleaseRouting, stage: RoutingStage, settings: GatewayApiSettings, options: HttpRouteOptions = {}): HttpRouteSpecRules[] {
  const port = model.app.port.port;
  const service = (version: string) => model.versions.find((v) => v.name === version)!.backend.service;
  const filters = policyFilters(model);
  const timeouts = policyTimeouts(model);
  const retry = settings.experimental ? retryOf(model) : undefined;
  const rule = (r: HttpRouteSpecRules): HttpRouteSpecRules => compact({
    name: r.name, matches: r.matches, filters: [...(r.filters ?? []), ...filters], backendRefs: r.backendRefs, timeouts, ...(retry ? { retry } : {}),
  }) as HttpRouteSpecRules;
  const rules = stage.routes.map((r) => rule({
    name: r.name,
    matches: r.matches.map(httpRouteMatch),
    backendRefs: [{ name: service(r.version), port }],
  }));
  const mirror = stage.mirror;
  const weighted = options.keepZeroWeights ? model.versions : splitVersions(model, stage);
  const backendRefs: HttpRouteSpecRulesBackendRefs[] = weighted.map((v) => ({ name: service(v.name), port, weight: stage.weights[v.name] }));
  rules.push(rule({
    name: 'default',
    filters: mirror ? [{ type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR, requestMirror: { backendRef: { name: service(mirror.version), port }, ...mirrorShare(mirror.percentage) } }] : undefined,
    backendRefs,
  }));
  return rules;
}

/** `percent` for a whole percentage, otherwise the exact `fraction`. */
function mirrorShare(percentage: number): { percent: number } | { fraction: { numerator: number; denominator: number } } {
  if (Number.isInteger(percentage)) return { percent: percentage };
  const decimals = (String(percentage).split('.')[1] ?? '').length;
  const scale = 10 ** decimals;
  return { fraction: { numerator: Math.round(percentage * scale), denominator: 100 * scale } };
}

/** The route policy's header manipulation as `RequestHeaderModifier` / `ResponseHeaderModifier` filters. */
function policyFilters(model: ReleaseRouting): HttpRouteSpecRulesFilters[] {
  const h = model.policy.headers;
  const out: HttpRouteSpecRulesFilters[] = [];
  const modifier = (ops: { readonly set?: Record<string, string>; readonly add?: Record<string, string>; readonly remove?: string[] } | undefined) => (ops ? compact({
    set: ops.set ? Object.entries(ops.set).map(([name, value]) => ({ name, value })) : undefined,
    add: ops.add ? Object.entries(ops.add).map(([name, value]) => ({ name, value })) : undefined,
    remove: ops.remove ? [...ops.remove] : undefined,
  }) : undefined);
  const request = modifier(h?.request);
  const response = modifier(h?.response);
  if (request && Object.keys(request).length) out.push({ type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: request });
  if (response && Object.keys(response).length) out.push({ type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER, responseHeaderModifier: response });
  return out;
}

/** `timeouts`: the request timeout, and Istio's per-try timeout as `backendRequest`. */
function policyTimeouts(model: ReleaseRouting): HttpRouteSpecRulesTimeouts | undefined {
  const p = model.policy;
  const t = compact({
    request: p.timeoutMillis !== undefined ? gatewayDuration(p.timeoutMillis) : undefined,
    backendRequest: p.retries?.perTryTimeout,
  });
  return Object.keys(t).length ? t : undefined;
}

/** The experimental-channel `retry` of the rule (attempts and status codes), if retries are set. */
function retryOf(model: ReleaseRouting): Json | undefined {
  const r = model.policy.retries;
  if (!r) return undefined;
  const codes = (r.retryOn ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  return compact({ attempts: r.attempts, codes: codes.length ? codes : undefined });
}

/** A Gateway API Duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): e.g. `5s`, `250ms`, `2m3s`. */
export function gatewayDuration(ms: number): string {
  const parts: Array<[number, string]> = [[Math.floor(ms / 3_600_000), 'h'], [Math.floor(ms / 60_000) % 60, 'm'], [Math.floor(ms / 1000) % 60, 's'], [ms % 1000, 'ms']];
  return parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`).join('') || '0s';
}

/** How {@link httpRouteRules} renders the weighted default rule. */
export interface HttpRouteOptions {
  /**
   * Keep versions whose weight is 0 as `backendRefs` with `weight: 0` (a controller moves the weights of
   * both: the Argo Rollouts Gateway API plugin needs the stable and the canary Service in the rule).
   * @default false
   */
  readonly keepZeroWeights?: boolean;
}

/** Renders HTTPRoute `name` (construct id `id`) with `parentRefs` and `hostnames` and the rendered stage's rules. */
export function renderHttpRoute(scope: Construct, id: string, model: ReleaseRouting, settings: GatewayApiSettings,
  route: { readonly name: string; readonly parentRefs: HttpRouteSpecParentRefs[]; readonly hostnames?: readonly string[]; readonly stage?: RoutingStage },
  options: HttpRouteOptions = {}): ApiObject {
  const rules = httpRouteRules(model, route.stage ?? model.stage, settings, options);
  const spec: HttpRouteSpec = compact({
    parentRefs: route.parentRefs,
    hostnames: route.hostnames?.length ? [...route.hostnames] : undefined,
    rules,
  });
  // A rule with `retry` (experimental channel, rendered only with `experimental: true`) says so, so that
  // the audit validates the route against the experimental-channel CRD (lib/core/channels.ts).
  const experimental = rules.some((r) => (r as { retry?: unknown }).retry !== undefined);
  const annotations = experimental ? { [GATEWAY_API_CHANNEL_ANNOTATION]: GATEWAY_API_EXPERIMENTAL } : undefined;
  return renderRouteObject(scope, id, { labels: model.app.labels, name: route.name, annotations, spec });
}

/** The HTTPRoute object itself: `spec` (possibly a `Lazy`) under the given metadata. */
export function renderRouteObject(scope: Construct, id: string, route: {
  readonly name: string; readonly namespace?: string; readonly labels: Record<string, string>; readonly annotations?: Record<string, string>; readonly spec: HttpRouteSpec | Json;
}): ApiObject {
  return manifest(scope, id, GATEWAY_API_V1, 'HTTPRoute', { labels: route.labels, name: route.name, namespace: route.namespace, annotations: route.annotations, body: { spec: route.spec } });
}
