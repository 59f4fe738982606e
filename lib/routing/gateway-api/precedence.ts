import { HttpRouteSpecRulesMatches } from '../../../imports/gateway.networking.k8s.io';
import { fail, show } from '../../core';
import { RoutingStage, describeConditions } from '../model';
import { httpRouteMatch } from './matches';

/**
 * Rule order on the Gateway API. Istio tries a VirtualService's routes in order; an HTTPRoute picks,
 * among the rules whose match holds, the most specific: an exact path, then the longest path prefix,
 * then the most header matches (a regex path ranks as implementations rank it: Istio and Envoy Gateway
 * between exact and prefix); only ties go to the first rule. A stage whose later route would win over
 * an earlier one for the same request cannot be rendered as declared.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule (precedence)
 */

function rank(m: HttpRouteSpecRulesMatches): number[] {
  const type = m.path?.type ?? 'PathPrefix';
  return [type === 'Exact' ? 3 : type === 'RegularExpression' ? 2 : 1, type === 'PathPrefix' ? (m.path?.value ?? '/').length : 0, (m.headers ?? []).length];
}

function outranks(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** Whether no request can satisfy both (two different exact paths, or one header with two different exact values). */
function disjoint(a: HttpRouteSpecRulesMatches, b: HttpRouteSpecRulesMatches): boolean {
  if (a.path?.type === 'Exact' && b.path?.type === 'Exact' && a.path.value !== b.path.value) return true;
  return (a.headers ?? []).some((h) => (h.type ?? 'Exact') === 'Exact'
    && (b.headers ?? []).some((k) => k.name.toLowerCase() === h.name.toLowerCase() && (k.type ?? 'Exact') === 'Exact' && k.value !== h.value));
}

/** Fails when a later match route of `stage` to another version would take precedence over an earlier one on the Gateway API. */
export function checkRuleOrder(owner: string, stage: RoutingStage, host?: string): void {
  stage.routes.forEach((later, j) => {
    stage.routes.slice(0, j).forEach((earlier) => {
      if (earlier.version === later.version) return;
      for (const a of earlier.matches) {
        for (const b of later.matches) {
          const ga = httpRouteMatch(a);
          const gb = httpRouteMatch(b);
          if (!disjoint(ga, gb) && outranks(rank(gb), rank(ga))) {
            fail(owner, `${host !== undefined ? `for host ${show(host)} (its own HTTPRoute), ` : ''}stage ${show(stage.name)} route ${show(later.name)} (${describeConditions(b.conditions)}) is more specific than the earlier route ${show(earlier.name)} (${describeConditions(a.conditions)}), so the Gateway API, which orders HTTPRoute rules by specificity (exact path, longest prefix, most headers) rather than as declared, would send requests matching both to ${show(later.version)} instead of ${show(earlier.version)}`,
              `make the earlier route at least as specific (e.g. add the same conditions), make the routes disjoint, or render with TrafficApi.istio()`);
          }
        }
      }
    });
  });
}
