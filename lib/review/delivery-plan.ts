/**
 * The plan a progressive-delivery controller will step through, read from rendered objects alone: a
 * Flagger `Canary` (Istio or Gateway API provider: the analysis reads the same), or an Argo Rollouts
 * `Rollout` with the VirtualService or (Gateway API plugin) HTTPRoutes it moves. Written from the
 * controllers' documented behaviour (not from the library's renderers), so the review page can show it
 * stage by stage and a test can compare it with the declared stages.
 */
import { isObj, Obj } from '../audit/bundle';

/** One traffic state: weights of the weighted route (versions > 0 only), match routes in order (one entry per match block), mirror. */
export interface TrafficState {
  /** Percent per version (only versions above 0). */
  readonly weights: Record<string, number>;
  /** Match routes, one per match block: the block's conditions as sorted strings (`header:user:regex:yoichi`) and the version. */
  readonly routes: Array<{ readonly match: string[]; readonly version: string }>;
  /** Mirrored share, if any. */
  readonly mirror?: { readonly version: string; readonly percentage: number };
}

const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const positive = (w: Record<string, number>) => Object.fromEntries(Object.entries(w).filter(([, v]) => v > 0));
const state = (weights: Record<string, number>, routes: TrafficState['routes'] = [], mirror?: TrafficState['mirror']): TrafficState =>
  (mirror ? { weights: positive(weights), routes, mirror } : { weights: positive(weights), routes });

/** An Istio HTTPMatchRequest (Flagger's analysis.match, a VirtualService route's match) as sorted condition strings. */
export function istioBlock(m: Obj): string[] {
  const out: string[] = [];
  for (const [name, sm] of Object.entries<Obj>(m?.headers ?? {})) for (const [kind, value] of Object.entries(sm ?? {})) out.push(`header:${name}:${kind}:${value}`);
  for (const key of ['uri', 'authority']) if (isObj(m?.[key])) for (const [kind, value] of Object.entries(m[key])) out.push(`${key}:${kind}:${value}`);
  return out.sort();
}

/** A Gateway API HTTPRouteMatch as sorted condition strings (`PathPrefix` reads as `prefix`, `RegularExpression` as `regex`). */
export function gatewayBlock(m: Obj): string[] {
  const kind = (t: unknown) => ({ Exact: 'exact', RegularExpression: 'regex', PathPrefix: 'prefix' } as Record<string, string>)[String(t ?? 'Exact')] ?? String(t);
  const out: string[] = list(m?.headers).map((h: Obj) => `header:${h.name}:${kind(h.type)}:${h.value}`);
  if (isObj(m?.path)) out.push(`uri:${kind(m.path.type ?? 'PathPrefix')}:${m.path.value}`);
  return out.sort();
}

/** The Argo Rollouts Gateway API plugin's key under `trafficRouting.plugins`. */
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

/** What Flagger steps through for a rendered `Canary`: the primary runs `stable`, the canary `next`. */
export function flaggerPlan(canary: Obj, stable: string, next: string): TrafficState[] {
  const a = canary.spec?.analysis ?? {};
  const steps: TrafficState[] = [];
  if (Array.isArray(a.stepWeights)) {
    for (const w of a.stepWeights) steps.push(state({ [stable]: 100 - w, [next]: w }));
  } else if (a.iterations) {
    // A/B: matching requests go to the canary for every iteration; blue/green: no user traffic, an optional mirrored share.
    if (Array.isArray(a.match)) steps.push(state({ [stable]: 100 }, a.match.map((m: Obj) => ({ match: istioBlock(m), version: next }))));
    else steps.push(state({ [stable]: 100 }, [], a.mirror ? { version: next, percentage: a.mirrorWeight ?? 100 } : undefined));
  } else if (typeof a.stepWeight === 'number') {
    for (let w = a.stepWeight; w <= (a.maxWeight ?? 50); w += a.stepWeight) steps.push(state({ [stable]: 100 - w, [next]: w }));
  }
  return [state({ [stable]: 100 }), ...steps, state({ [next]: 100 })];
}

/**
 * What Argo Rollouts steps through for a rendered `Rollout`, given the documents holding its VirtualServices
 * or HTTPRoutes (blue/green: the routes to its preview Service). With the Gateway API plugin
 * (`trafficRouting.plugins['argoproj-labs/gatewayAPI']`), a `setHeaderRoute`'s headers form one match (all
 * must match), only on HTTPRoutes listed with `useHeaderRoutes`, and `setMirrorRoute` does nothing.
 */
export function argoPlan(rollout: Obj, docs: readonly Obj[], stable: string, next: string): TrafficState[] {
  const out: TrafficState[] = [state({ [stable]: 100 })];
  const bg = rollout.spec?.strategy?.blueGreen;
  if (isObj(bg)) {
    // The preview Service reaches the new ReplicaSet; the VirtualServices / HTTPRoutes send the matches routed to it there.
    const toPreview = (r: Obj) => list(r?.route).some((d: Obj) => d?.destination?.host === bg.previewService);
    const routes = docs.filter((d) => d?.kind === 'VirtualService').flatMap((vs) => list(vs.spec?.http)).filter(toPreview)
      .map((r: Obj) => ({ name: r.name, blocks: list(r.match).map(istioBlock) }));
    const rules = docs.filter((d) => d?.kind === 'HTTPRoute').flatMap((hr) => list(hr.spec?.rules))
      .filter((r: Obj) => list(r?.backendRefs).some((b: Obj) => b?.name === bg.previewService))
      .map((r: Obj) => ({ name: r.name, blocks: list(r.matches).map(gatewayBlock) }));
    const unique = new Map<string, string[][]>([...routes, ...rules].map((r) => [r.name, r.blocks]));
    out.push(state({ [stable]: 100 }, [...unique.values()].flatMap((blocks) => blocks.map((match) => ({ match, version: next })))));
    out.push(state({ [next]: 100 }));
    return out;
  }
  const c = rollout.spec?.strategy?.canary ?? {};
  const plugin = c.trafficRouting?.plugins?.[GATEWAY_API_PLUGIN];
  const headerRoutes = !isObj(plugin) || list(plugin.httpRoutes).some((r: Obj) => r?.useHeaderRoutes === true);
  const order: string[] = list(c.trafficRouting?.managedRoutes).map((m: Obj) => m?.name);
  let weight = 0;
  const headers = new Map<string, string[][]>();
  const mirrors = new Map<string, number>();
  for (const step of list(c.steps)) {
    if (typeof step?.setWeight === 'number') weight = step.setWeight;
    const h = step?.setHeaderRoute;
    if (isObj(h) && headerRoutes) {
      const blocks: string[][] = list(h.match).map((m: Obj) => Object.entries(m.headerValue ?? {}).map(([k, v]) => `header:${m.headerName}:${k}:${v}`));
      if (Array.isArray(h.match)) headers.set(h.name, isObj(plugin) ? [blocks.flat()] : blocks);
      else headers.delete(h.name);
    }
    const mr = step?.setMirrorRoute;
    if (isObj(mr) && !isObj(plugin)) {
      if (Array.isArray(mr.match)) mirrors.set(mr.name, mr.percentage ?? 100);
      else mirrors.delete(mr.name);
    }
    if (step?.pause) {
      const routes = order.filter((n) => headers.has(n)).flatMap((n) => headers.get(n)!.map((match) => ({ match: [...match].sort(), version: next })));
      const mirror = order.find((n) => mirrors.has(n));
      out.push(state({ [stable]: 100 - weight, [next]: weight }, routes, mirror ? { version: next, percentage: mirrors.get(mirror)! } : undefined));
    }
  }
  // After the last step Argo promotes the new version and removes the managed routes.
  out.push(state({ [next]: 100 }));
  return out;
}
