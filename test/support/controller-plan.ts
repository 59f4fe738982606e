/**
 * The plan a progressive-delivery controller will step through, read from the rendered objects alone
 * (a Flagger Canary, or an Argo Rollout with its VirtualService), in the same normalized shape as the
 * declared stages ({@link declaredPlan}), so a test can compare the two. Written from the controllers'
 * documented behaviour, not from the renderers' code.
 */
import { CanaryStage, RouteMatch } from '../../lib';

/** One traffic state: weights of the weighted route (versions > 0 only), match routes in order (one entry per match block), mirror. */
export interface TrafficState {
  readonly weights: Record<string, number>;
  readonly routes: Array<{ readonly match: string[]; readonly version: string }>;
  readonly mirror?: { readonly version: string; readonly percentage: number };
}

const positive = (w: Record<string, number>) => Object.fromEntries(Object.entries(w).filter(([, v]) => v > 0));
const state = (weights: Record<string, number>, routes: TrafficState['routes'] = [], mirror?: TrafficState['mirror']): TrafficState =>
  (mirror ? { weights: positive(weights), routes, mirror } : { weights: positive(weights), routes });

/** An Istio HTTPMatchRequest (Flagger's analysis.match, a VirtualService route's match) as sorted condition strings. */
export function istioBlock(m: any): string[] {
  const out: string[] = [];
  for (const [name, sm] of Object.entries<any>(m.headers ?? {})) for (const [kind, value] of Object.entries(sm)) out.push(`header:${name}:${kind}:${value}`);
  for (const key of ['uri', 'authority']) if (m[key]) for (const [kind, value] of Object.entries(m[key])) out.push(`${key}:${kind}:${value}`);
  return out.sort();
}

/** The declared stages (with the implicit all-stable start of a plan whose first stage already routes to the new version). */
export function declaredPlan(stages: readonly CanaryStage[], stable: string): TrafficState[] {
  const blocks = (m: RouteMatch) => m.conditions.map((c) => (c.type === 'header' ? `header:${c.name}:${c.match.kind}:${c.match.value}` : `${c.type}:${c.match.kind}:${c.match.value}`)).sort();
  const out = stages.map((s) => state(s.weights,
    (s.routes ?? []).flatMap((r) => (Array.isArray(r.match) ? r.match : [r.match]).map((m) => ({ match: blocks(m), version: r.version }))),
    s.mirror ? { version: s.mirror.version, percentage: s.mirror.percentage ?? 100 } : undefined));
  const first = stages[0];
  return (first.routes?.length || first.mirror) ? [state({ [stable]: 100 }), ...out] : out;
}

/** What Flagger steps through for `canary` (a rendered Canary): primary = `stable`, canary = `next`. */
export function flaggerPlan(canary: any, stable: string, next: string): TrafficState[] {
  const a = canary.spec.analysis;
  const steps: TrafficState[] = [];
  if (a.stepWeights) {
    for (const w of a.stepWeights) steps.push(state({ [stable]: 100 - w, [next]: w }));
  } else if (a.iterations) {
    // A/B: matching requests go to the canary for every iteration; blue/green: no user traffic, an optional mirrored share.
    if (a.match) steps.push(state({ [stable]: 100 }, a.match.map((m: any) => ({ match: istioBlock(m), version: next }))));
    else steps.push(state({ [stable]: 100 }, [], a.mirror ? { version: next, percentage: a.mirrorWeight ?? 100 } : undefined));
  } else {
    throw new Error('Canary analysis has neither stepWeights nor iterations');
  }
  return [state({ [stable]: 100 }), ...steps, state({ [next]: 100 })];
}

/** What Argo Rollouts steps through for `rollout`, reading the VirtualService routes it names (blue/green: the preview Service's routes). */
export function argoPlan(rollout: any, docs: any[], stable: string, next: string): TrafficState[] {
  const find = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
  const out: TrafficState[] = [state({ [stable]: 100 })];
  const bg = rollout.spec.strategy.blueGreen;
  if (bg) {
    // The preview Service reaches the new ReplicaSet; the VirtualService sends the matches routed to it there.
    const routes = docs.filter((d) => d.kind === 'VirtualService').flatMap((vs) => vs.spec.http)
      .filter((r: any) => r.route.some((d: any) => d.destination.host === bg.previewService));
    const unique = new Map<string, any>(routes.map((r: any) => [r.name, r]));
    out.push(state({ [stable]: 100 }, [...unique.values()].flatMap((r) => r.match.map((m: any) => ({ match: istioBlock(m), version: next })))));
    out.push(state({ [next]: 100 }));
    return out;
  }
  const c = rollout.spec.strategy.canary;
  const istio = c.trafficRouting.istio;
  const dr = find('DestinationRule', istio.destinationRule.name);
  for (const ref of istio.virtualService ? [istio.virtualService] : istio.virtualServices) {
    // Argo moves the weights of these routes' stable and canary destinations; as rendered: stable 100, canary 0.
    const vs = find('VirtualService', ref.name);
    for (const name of ref.routes) {
      const r = vs.spec.http.find((h: any) => h.name === name);
      const w = Object.fromEntries(r.route.map((d: any) => [d.destination.subset, d.weight ?? 0]));
      if (w[istio.destinationRule.stableSubsetName] !== 100 || w[istio.destinationRule.canarySubsetName] !== 0) throw new Error(`route ${name} does not start at stable 100 / canary 0`);
    }
  }
  if (!dr.spec.subsets.some((s: any) => s.name === istio.destinationRule.canarySubsetName)) throw new Error('no canary subset');
  const order: string[] = (c.trafficRouting.managedRoutes ?? []).map((m: any) => m.name);
  let weight = 0;
  const headers = new Map<string, string[][]>();
  const mirrors = new Map<string, number>();
  for (const step of c.steps ?? []) {
    if (step.setWeight !== undefined) weight = step.setWeight;
    if (step.setHeaderRoute) {
      if (step.setHeaderRoute.match) headers.set(step.setHeaderRoute.name, step.setHeaderRoute.match.map((m: any) => Object.entries(m.headerValue).map(([k, v]) => `header:${m.headerName}:${k}:${v}`)));
      else headers.delete(step.setHeaderRoute.name);
    }
    if (step.setMirrorRoute) {
      if (step.setMirrorRoute.match) mirrors.set(step.setMirrorRoute.name, step.setMirrorRoute.percentage ?? 100);
      else mirrors.delete(step.setMirrorRoute.name);
    }
    if (step.pause) {
      const routes = order.filter((n) => headers.has(n)).flatMap((n) => headers.get(n)!.map((match) => ({ match: match.sort(), version: next })));
      const mirror = order.find((n) => mirrors.has(n));
      out.push(state({ [stable]: 100 - weight, [next]: weight }, routes, mirror ? { version: next, percentage: mirrors.get(mirror)! } : undefined));
    }
  }
  // After the last step Argo promotes the new version and removes the managed routes.
  out.push(state({ [next]: 100 }));
  return out;
}
