import { Chart, Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import { myversionArgo } from '../apps/myversion-argo';
import { myversionArgoGatewayApi } from '../apps/myversion-argo-gateway-api';
import { MYVERSION_FLAGGER_PLANS } from '../apps/myversion-flagger';
import type { ExampleApp } from '../apps/registry';
import { CanaryPlan, CanaryRelease, CanaryStage, Delivery, Gateway, ListenerProtocol, RouteMatch, StringMatch, TrafficApi } from '../lib';
import { TrafficState, argoPlan, checkArgoStart, declaredPlan, flaggerPlan } from './support/controller-plan';

// The plan is the same plan: for each controller, the sequence of traffic splits and match routes it will
// step through, read from the rendered Canary / Rollout alone (lib/review/delivery-plan.ts, which the
// review page shows), equals the declared stages.

const IMAGE = 'hashicorp/http-echo:1.0';
const VERSIONS = [{ name: 'v1', image: IMAGE }, { name: 'v2', image: IMAGE }];

/** `gatewayApi`: render with TrafficApi.gatewayApi through a Gateway of the app and in-mesh (GAMMA). */
function render(stages: CanaryStage[], delivery: Delivery, gatewayApi = false) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const gateway = gatewayApi ? new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'shop.example.com' }] }) : undefined;
  const trafficApi = gateway ? TrafficApi.gatewayApi({ gateway, hostnames: ['shop.example.com'] }) : undefined;
  const release = new CanaryRelease(chart, 'shop', { versions: VERSIONS, port: 5678, plan: CanaryPlan.of(stages), delivery, trafficApi });
  return { release, docs: Testing.synth(chart) };
}

function derived(stages: CanaryStage[], delivery: Delivery, gatewayApi = false): TrafficState[] {
  const { docs } = render(stages, delivery, gatewayApi);
  const canary = docs.find((d) => d.kind === 'Canary');
  const rollout = docs.find((d) => d.kind === 'Rollout');
  if (canary) return flaggerPlan(canary, 'v1', 'v2');
  checkArgoStart(rollout, docs);
  return argoPlan(rollout, docs, 'v1', 'v2');
}

describe('the seed scenario', () => {
  test('Argo Rollouts steps through 90/10, then header user=yoichi on v2, then 100% v2', () => {
    const plan = derived([...MYVERSION_PLAN.stages], Delivery.argoRollouts());
    expect(plan).toEqual(declaredPlan(MYVERSION_PLAN.stages, 'v1'));
    expect(plan).toEqual([
      { weights: { v1: 100 }, routes: [] },
      { weights: { v1: 90, v2: 10 }, routes: [] },
      { weights: { v1: 100 }, routes: [{ match: ['header:user:regex:yoichi'], version: 'v2' }] },
      { weights: { v2: 100 }, routes: [] },
    ]);
  });

  test.each(Object.entries(MYVERSION_FLAGGER_PLANS))('Flagger (%s) steps through the declared stages', (_name, plan) => {
    expect(derived([...plan.stages], Delivery.flagger())).toEqual(declaredPlan(plan.stages, 'v1'));
  });

  test('a blue/green plan: Flagger A/B and the Argo blueGreen strategy both route the preview header to v2, then promote', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' } });
    const expected = declaredPlan(plan.stages, 'v1');
    expect(expected[1]).toEqual({ weights: { v1: 100 }, routes: [{ match: ['header:x-preview:exact:true'], version: 'v2' }] });
    expect(derived([...plan.stages], Delivery.flagger())).toEqual(expected);
    expect(derived([...plan.stages], Delivery.argoRollouts())).toEqual(expected);
  });
});

describe('the seed scenario on the Gateway API', () => {
  test('Argo Rollouts (Gateway API plugin) steps through 90/10, then header user=yoichi on v2, then 100% v2', () => {
    const plan = derived([...MYVERSION_PLAN.stages], Delivery.argoRollouts(), true);
    expect(plan).toEqual(declaredPlan(MYVERSION_PLAN.stages, 'v1'));
    expect(plan[2]).toEqual({ weights: { v1: 100 }, routes: [{ match: ['header:user:regex:yoichi'], version: 'v2' }] });
  });

  test.each(Object.entries(MYVERSION_FLAGGER_PLANS))('Flagger (gatewayRefs, %s) steps through the declared stages', (_name, plan) => {
    expect(derived([...plan.stages], Delivery.flagger(), true)).toEqual(declaredPlan(plan.stages, 'v1'));
  });

  test('a blue/green plan: Flagger A/B and the Argo blueGreen strategy (its HTTPRoutes) both route the preview header to v2', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' } });
    const expected = declaredPlan(plan.stages, 'v1');
    expect(derived([...plan.stages], Delivery.flagger(), true)).toEqual(expected);
    expect(derived([...plan.stages], Delivery.argoRollouts(), true)).toEqual(expected);
  });
});

// ------------------------------------------------------------------------------------ randomized

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = 150;
const HEADERS = ['user', 'x-canary', 'x-beta'];

function headerMatch(rand: () => number, i: number, name = HEADERS[Math.floor(rand() * HEADERS.length)]): RouteMatch {
  const kinds = [StringMatch.exact(`u${i}`), StringMatch.prefix(`p${i}`), StringMatch.regex(`r${i}`)];
  return RouteMatch.header(name, kinds[Math.floor(rand() * 3)]);
}

/**
 * Argo: 1-4 stages between all-v1 and all-v2, each with any canary weight, header routes and a mirror at
 * random. `gatewayApi`: what the Gateway API plugin honours (no mirror, one match per route).
 */
function argoStages(rand: () => number, gatewayApi = false): CanaryStage[] {
  const n = 1 + Math.floor(rand() * 4);
  const middle: CanaryStage[] = [];
  for (let i = 0; i < n; i++) {
    const w = Math.floor(rand() * 100);
    const routes = rand() < 0.5 ? [] : [{ name: `route-${i}`, match: [headerMatch(rand, i), ...(rand() < 0.3 && !gatewayApi ? [headerMatch(rand, i + 10)] : [])], version: 'v2' }];
    const mirror = rand() < 0.3 && !gatewayApi ? { version: 'v2', percentage: 1 + Math.floor(rand() * 100) } : undefined;
    middle.push({ name: `step-${i}`, weights: { v1: 100 - w, v2: w }, routes, ...(mirror ? { mirror } : {}) });
  }
  // Sometimes the first stage already routes to v2 (an implicit all-v1 start).
  const first: CanaryStage = rand() < 0.2 ? { name: 'first', weights: { v1: 100 }, routes: [{ name: 'early', match: headerMatch(rand, 99), version: 'v2' }] } : { name: 'first', weights: { v1: 100 } };
  return [first, ...middle, { name: 'last', weights: { v2: 100 } }];
}

/**
 * Flagger: ascending weights, one A/B header stage, or one blue/green stage with an optional mirror.
 * `gatewayApi`: what Flagger's HTTPRoute honours (no prefix header match, mirroring 100% only).
 */
function flaggerStages(rand: () => number, gatewayApi = false): CanaryStage[] {
  const header = (i: number, name?: string) => {
    const m = headerMatch(rand, i, name);
    return gatewayApi && m.conditions.some((c) => c.match.kind === 'prefix') ? RouteMatch.header(name ?? 'user', StringMatch.exact(`g${i}`)) : m;
  };
  const kind = Math.floor(rand() * 3);
  let middle: CanaryStage[];
  if (kind === 0) {
    const weights = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 4) }, () => 1 + Math.floor(rand() * 99)))].sort((a, b) => a - b);
    middle = weights.map((w) => ({ name: `canary-${w}`, weights: { v1: 100 - w, v2: w } }));
  } else if (kind === 1) {
    middle = [{ name: 'ab', weights: { v1: 100 }, routes: [{ name: 'ab-route', match: [header(1), ...(rand() < 0.5 ? [header(2, 'x-beta').and(header(3, 'x-tenant'))] : [])], version: 'v2' }] }];
  } else {
    const percentage = 1 + Math.floor(rand() * 100);
    middle = [{ name: 'bluegreen', weights: { v1: 100 }, ...(rand() < 0.5 ? { mirror: { version: 'v2', percentage: gatewayApi ? 100 : percentage } } : {}) }];
  }
  return [{ name: 'first', weights: { v1: 100 } }, ...middle, { name: 'last', weights: { v2: 100 } }];
}

describe('randomized stage lists (deterministic seed)', () => {
  test(`Argo Rollouts: ${CASES} plans`, () => {
    const rand = prng(18);
    for (let i = 0; i < CASES; i++) {
      const stages = argoStages(rand);
      try { expect(derived(stages, Delivery.argoRollouts())).toEqual(declaredPlan(stages, 'v1')); } catch (e) { throw new Error(`case ${i}: ${JSON.stringify(stages)}\n${(e as Error).message}`); }
    }
  });

  test(`Flagger: ${CASES} plans`, () => {
    const rand = prng(1844);
    for (let i = 0; i < CASES; i++) {
      const stages = flaggerStages(rand);
      try { expect(derived(stages, Delivery.flagger())).toEqual(declaredPlan(stages, 'v1')); } catch (e) { throw new Error(`case ${i}: ${JSON.stringify(stages)}\n${(e as Error).message}`); }
    }
  });

  test(`Argo Rollouts on the Gateway API (plugin): ${CASES} plans`, () => {
    const rand = prng(1817);
    for (let i = 0; i < CASES; i++) {
      const stages = argoStages(rand, true);
      // The blueGreen strategy's routes are read from the HTTPRoutes, where a header prefix is a regex.
      const { docs } = render(stages, Delivery.argoRollouts(), true);
      const headerPrefixAsRegex = Boolean(docs.find((d) => d.kind === 'Rollout').spec.strategy.blueGreen);
      try { expect(derived(stages, Delivery.argoRollouts(), true)).toEqual(declaredPlan(stages, 'v1', { headerPrefixAsRegex })); } catch (e) { throw new Error(`case ${i}: ${JSON.stringify(stages)}\n${(e as Error).message}`); }
    }
  });

  test(`Flagger on the Gateway API (gatewayRefs): ${CASES} plans`, () => {
    const rand = prng(1718);
    for (let i = 0; i < CASES; i++) {
      const stages = flaggerStages(rand, true);
      try { expect(derived(stages, Delivery.flagger(), true)).toEqual(declaredPlan(stages, 'v1')); } catch (e) { throw new Error(`case ${i}: ${JSON.stringify(stages)}\n${(e as Error).message}`); }
    }
  });
});

// ------------------------------------------------------------------------------------ the review page

/** The delivery section of the review page of an example app's first chart: each stage's title and its traffic splits and routes. */
async function reviewStages(example: ExampleApp, file: string): Promise<Array<{ title: string; splits: string[]; body: string }>> {
  const { renderReview } = await import('../lib/review');
  const app = Testing.app();
  example.build(app);
  // (SourceDoc: the file each document came from and its position in it.)
  const docs = Testing.synth(app.charts[0]).map((doc, index) => ({ file, index, doc }));
  const html = await renderReview(docs);
  const section = html.slice(html.indexOf('<section id="delivery"'), html.indexOf('</section>', html.indexOf('<section id="delivery"')));
  return [...section.matchAll(/<li class="stage" data-step="(\d+)"><h4>([^<]+)<\/h4>(.*?)<\/li><\/ul><\/div>/g)].map((m) => ({
    title: m[2],
    splits: [...m[3].matchAll(/data-to="([^"]+)" data-weight="(\d+)"/g)].map((w) => `${w[1]}=${w[2]}`),
    body: m[3],
  }));
}

// (Each loads the review page and its schemas cold: over 5s on a loaded machine.)
test.each([
  ['each controller\'s plan (Argo Rollouts on Istio)', myversionArgo, 'dist/myversion-argo.k8s.yaml'],
  ['the Argo Rollout on the Gateway API (its plugin\'s HTTPRoutes)', myversionArgoGatewayApi, 'dist/myversion-argo-gw.k8s.yaml'],
] as const)('the review page shows %s stage by stage, in plan order', async (_what, example, file) => {
  const steps = await reviewStages(example, file);
  expect(steps.map((st) => st.title)).toEqual(['start', 'step 1', 'step 2', 'promoted']);
  expect(steps.map((st) => st.splits)).toEqual([['stable=100'], ['stable=90', 'v2=10'], ['stable=100'], ['v2=100']]);
  expect(steps[2].body).toContain('header user regex yoichi → v2');
}, 60_000);
