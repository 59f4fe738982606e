import { fail, show } from '../../core';
import { Json } from '../../k8s-object';
import { HttpMatch, RoutingStage, describeConditions } from '../model';
import { ProgressivePlan } from '../progressive';

/**
 * The Argo Rollouts canary `steps` of a plan: per stage between the first and the last, the routes of
 * the previous stage it drops (`setHeaderRoute` / `setMirrorRoute` with a name only), its canary weight
 * (`setWeight`, when it changes), its match routes (`setHeaderRoute`), its mirror (`setMirrorRoute`),
 * then a `pause`. After the last step Argo promotes the new version to 100% and removes the managed routes.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/traffic-management/manage-routes-with-istio/
 */
export interface ArgoCanarySteps {
  /** The steps. */
  readonly steps: readonly Json[];
  /** `trafficRouting.managedRoutes`: every route a step sets, by precedence (first declared first). */
  readonly managedRoutes: readonly string[];
}

const TARGET = 'delivery Argo Rollouts';

/** How Argo Rollouts walks the plan: blue/green (one preview stage, no weights, no mirror) or canary steps. */
export function argoStrategy(plan: ProgressivePlan): 'blueGreen' | 'canary' {
  const [only, ...more] = plan.steps;
  return only !== undefined && more.length === 0 && only.routes.length > 0 && only.weights[plan.canary] === 0 && !only.mirror ? 'blueGreen' : 'canary';
}

/** The name of the mirror route of `stage`. */
export function mirrorRouteName(stage: RoutingStage): string {
  return `${stage.name}-mirror`;
}

/** Fails for what Argo Rollouts' canary steps cannot express. */
export function checkArgoCanarySteps(owner: string, plan: ProgressivePlan): void {
  const names = new Map<string, string>();
  for (const s of plan.steps) {
    for (const r of s.routes) {
      r.matches.forEach((m) => checkHeaderMatch(owner, s, r.name, m));
      names.set(r.name, s.name);
    }
    if (s.mirror && !Number.isInteger(s.mirror.percentage)) {
      fail(owner, `${TARGET}: stage ${show(s.name)} mirrors ${s.mirror.percentage}%, but setMirrorRoute takes a whole percentage`, 'mirror a whole percentage (e.g. 10)', 'delivery');
    }
  }
  for (const s of plan.steps) {
    if (s.mirror && names.has(mirrorRouteName(s))) {
      fail(owner, `${TARGET}: route name ${show(mirrorRouteName(s))} of stage ${show(names.get(mirrorRouteName(s)))} is also the name of stage ${show(s.name)}'s mirror route`,
        'rename the match route', 'delivery');
    }
  }
}

function checkHeaderMatch(owner: string, stage: RoutingStage, route: string, m: HttpMatch): void {
  if (m.conditions.length !== 1 || m.conditions[0].type !== 'header') {
    fail(owner, `${TARGET}: stage ${show(stage.name)} route ${show(route)} matches ${describeConditions(m.conditions)}, but setHeaderRoute matches one header per alternative`,
      'match one header (or cookie) per RouteMatch (list several RouteMatches for OR), or use the static delivery', 'delivery');
  }
}

/** The canary steps (see {@link ArgoCanarySteps}); `pauseSeconds` undefined pauses until promoted by hand. */
export function argoCanarySteps(plan: ProgressivePlan, pauseSeconds: number | undefined): ArgoCanarySteps {
  const steps: Json[] = [];
  // Header routes before mirror routes: a mirror route matches every path, so it would shadow them.
  const managed: string[] = [];
  const mirrors: string[] = [];
  let weight = 0;
  let previous: RoutingStage | undefined;
  for (const s of plan.steps) {
    const routeNames = s.routes.map((r) => r.name);
    for (const r of previous?.routes ?? []) if (!routeNames.includes(r.name)) steps.push({ setHeaderRoute: { name: r.name } });
    if (previous?.mirror && !s.mirror) steps.push({ setMirrorRoute: { name: mirrorRouteName(previous) } });
    if (s.weights[plan.canary] !== weight) {
      weight = s.weights[plan.canary];
      steps.push({ setWeight: weight });
    }
    for (const r of s.routes) {
      if (!managed.includes(r.name)) managed.push(r.name);
      steps.push({ setHeaderRoute: { name: r.name, match: r.matches.map(headerRoutingMatch) } });
    }
    if (s.mirror) {
      const name = mirrorRouteName(s);
      if (!mirrors.includes(name)) mirrors.push(name);
      if (previous?.mirror && mirrorRouteName(previous) !== name) steps.push({ setMirrorRoute: { name: mirrorRouteName(previous) } });
      steps.push({ setMirrorRoute: { name, match: [{ path: { prefix: '/' } }], percentage: s.mirror.percentage } });
    }
    steps.push({ pause: pauseSeconds === undefined ? {} : { duration: `${pauseSeconds}s` } });
    previous = s;
  }
  return { steps, managedRoutes: [...managed, ...mirrors] };
}

/** `HeaderRoutingMatch` of a one-header match block (checked by {@link checkArgoCanarySteps}). */
function headerRoutingMatch(m: HttpMatch): Json {
  const c = m.conditions[0] as Extract<HttpMatch['conditions'][number], { type: 'header' }>;
  return { headerName: c.name, headerValue: { [c.match.kind]: c.match.value } };
}
