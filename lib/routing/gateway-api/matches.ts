import {
  HttpRouteSpecRulesMatches, HttpRouteSpecRulesMatchesHeaders, HttpRouteSpecRulesMatchesHeadersType, HttpRouteSpecRulesMatchesPath,
  HttpRouteSpecRulesMatchesPathType,
} from '../../../imports/gateway.networking.k8s.io';
import { fail } from '../../core';
import { escapeRegex } from '../match';
import { authorityHolds } from './host-routes';
import { HttpMatch, StringMatchSpec, describeConditions, describeStringMatch } from '../model';

/**
 * The routing model's match blocks as Gateway API `HTTPRouteMatch`es. Semantics are kept exactly as the
 * Istio renderer has them:
 * - exact and regex map to `Exact` and `RegularExpression` (RE2, matched against the whole value by
 *   Envoy-based implementations, Istio included, as in a VirtualService);
 * - a prefix is rendered as the regex `<escaped prefix>.*`: a Gateway API `PathPrefix` matches whole
 *   path segments (`/api` does not match `/apix`, Istio's `prefix: /api` does) and headers have no
 *   prefix match at all. The prefix `/` alone is `PathPrefix /` (every path either way);
 * - the authority (`:authority`/Host) cannot be matched inside a rule (HTTPRoute selects hosts with
 *   `hostnames`), so it is refused by {@link checkGatewayApiMatch}.
 */

/**
 * Fails when `m` holds a condition the Gateway API cannot express (`where` names the route in the
 * message). An authority condition is expressible only when it holds for one of `hostRoutes`, the hosts
 * served by an HTTPRoute of their own (see host-routes.ts).
 */
export function checkGatewayApiMatch(owner: string, where: string, m: HttpMatch, hostRoutes: readonly string[] = []): void {
  for (const c of m.conditions) {
    if (c.type === 'authority' && !hostRoutes.some((h) => authorityHolds(c.match, h))) {
      fail(owner, `${where} matches authority ${describeStringMatch(c.match)} (${describeConditions(m.conditions)}), which the Gateway API (HTTPRoute) cannot match inside a rule: it selects hosts with hostnames only`,
        'match a header instead (for CanaryPlan.blueGreen, previewHeader instead of previewHost), or render with TrafficApi.istio()');
    }
  }
}

const regex = (m: StringMatchSpec) => (m.kind === 'prefix' ? `${escapeRegex(m.value)}.*` : m.value);

/** The `HTTPRouteMatch` of one (checked) match block. */
export function httpRouteMatch(m: HttpMatch): HttpRouteSpecRulesMatches {
  let path: HttpRouteSpecRulesMatchesPath | undefined;
  const headers: HttpRouteSpecRulesMatchesHeaders[] = [];
  for (const c of m.conditions) {
    if (c.type === 'uri') {
      path = c.match.kind === 'exact' ? { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: c.match.value }
        : c.match.kind === 'prefix' && c.match.value === '/' ? { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' }
          : { type: HttpRouteSpecRulesMatchesPathType.REGULAR_EXPRESSION, value: regex(c.match) };
    } else if (c.type === 'header') {
      headers.push(c.match.kind === 'exact'
        ? { type: HttpRouteSpecRulesMatchesHeadersType.EXACT, name: c.name, value: c.match.value }
        : { type: HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION, name: c.name, value: regex(c.match) });
    }
  }
  return { ...(path ? { path } : {}), ...(headers.length ? { headers } : {}) };
}
