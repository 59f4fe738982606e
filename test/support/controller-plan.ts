/**
 * The declared stages in the shape of lib/review/delivery-plan.ts's {@link TrafficState}: what the plan a
 * controller steps through (read back from the rendered Canary / Rollout by that module, which the
 * review page shows) must equal. The Argo reading also checks the VirtualService / DestinationRule
 * starting point here ({@link checkArgoStart}).
 */
import { CanaryStage, RouteMatch } from '../../lib';
import { TrafficState } from '../../lib/review/delivery-plan';

export { argoPlan, flaggerPlan, type TrafficState } from '../../lib/review/delivery-plan';

const positive = (w: Record<string, number>) => Object.fromEntries(Object.entries(w).filter(([, v]) => v > 0));
const state = (weights: Record<string, number>, routes: TrafficState['routes'] = [], mirror?: TrafficState['mirror']): TrafficState =>
  (mirror ? { weights: positive(weights), routes, mirror } : { weights: positive(weights), routes });

/**
 * The declared stages (with the implicit all-stable start of a plan whose first stage already routes to the
 * new version). `headerPrefixAsRegex`: a header prefix as the Gateway API renderer writes it in an HTTPRoute
 * (the regex `<escaped prefix>.*`, lib/routing/gateway-api/matches.ts), for plans read from HTTPRoutes.
 */
export function declaredPlan(stages: readonly CanaryStage[], stable: string, options: { readonly headerPrefixAsRegex?: boolean } = {}): TrafficState[] {
  const header = (name: string, kind: string, value: string) => (options.headerPrefixAsRegex && kind === 'prefix'
    ? `header:${name}:regex:${value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}.*` : `header:${name}:${kind}:${value}`);
  const blocks = (m: RouteMatch) => m.conditions.map((c) => (c.type === 'header' ? header(c.name, c.match.kind, c.match.value) : `${c.type}:${c.match.kind}:${c.match.value}`)).sort();
  const out = stages.map((s) => state(s.weights,
    (s.routes ?? []).flatMap((r) => (Array.isArray(r.match) ? r.match : [r.match]).map((m) => ({ match: blocks(m), version: r.version }))),
    s.mirror ? { version: s.mirror.version, percentage: s.mirror.percentage ?? 100 } : undefined));
  const first = stages[0];
  return (first.routes?.length || first.mirror) ? [state({ [stable]: 100 }), ...out] : out;
}


/**
 * Fails unless the routes an Argo canary Rollout moves start at stable 100 / canary 0: over subsets its
 * DestinationRule defines (Istio), or over its stable and canary Services in every HTTPRoute the Gateway
 * API plugin names (each with exactly one rule that is not a match rule to the canary alone).
 */
export function checkArgoStart(rollout: any, docs: any[]): void {
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  const canary = rollout.spec.strategy.canary;
  const plugin = canary?.trafficRouting?.plugins?.['argoproj-labs/gatewayAPI'];
  if (plugin) {
    if (!plugin.httpRoutes?.length) throw new Error('the plugin names no HTTPRoute');
    for (const { name } of plugin.httpRoutes) {
      const weighted = find('HTTPRoute', name).spec.rules.filter((r: any) => r.backendRefs.some((b: any) => b.name === canary.stableService));
      const w = Object.fromEntries(weighted.flatMap((r: any) => r.backendRefs).map((b: any) => [b.name, b.weight ?? 1]));
      if (weighted.length !== 1 || w[canary.stableService] !== 100 || w[canary.canaryService] !== 0) throw new Error(`HTTPRoute ${name} does not start at stable 100 / canary 0`);
    }
    return;
  }
  const istio = canary?.trafficRouting?.istio;
  if (!istio) return;
  const { stableSubsetName, canarySubsetName, name } = istio.destinationRule;
  for (const ref of istio.virtualService ? [istio.virtualService] : istio.virtualServices) {
    for (const r of ref.routes) {
      const route = find('VirtualService', ref.name).spec.http.find((h: any) => h.name === r);
      const w = Object.fromEntries(route.route.map((d: any) => [d.destination.subset, d.weight ?? 0]));
      if (w[stableSubsetName] !== 100 || w[canarySubsetName] !== 0) throw new Error(`route ${r} does not start at stable 100 / canary 0`);
    }
  }
  const subsets = find('DestinationRule', name).spec.subsets.map((s: any) => s.name);
  if (!subsets.includes(stableSubsetName) || !subsets.includes(canarySubsetName)) throw new Error('missing subsets');
}
