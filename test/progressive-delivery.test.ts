import { Chart, Duration, Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import {
  CanaryGateway, CanaryMode, CanaryPlan, CanaryRelease, CanaryReleaseProps, CanaryStage, Delivery, DeliveryKind, DisruptionBudget, RouteMatch, StringMatch, TrafficApi,
} from '../lib';
import { allSchemaProblems } from './support/schema';

const IMAGE = 'hashicorp/http-echo:1.0';
const V1_V2 = [{ name: 'v1', image: IMAGE, args: ['-text=v1'] }, { name: 'v2', image: 'hashicorp/http-echo:1.1', args: ['-text=v2'] }];
const stage = (name: string): CanaryStage => MYVERSION_PLAN.stages.find((s) => s.name === name)!;
const WEIGHTED = CanaryPlan.of([stage('all-v1'), stage('canary'), stage('promoted')]);
const AB = CanaryPlan.of([stage('all-v1'), stage('user-v2'), stage('promoted')]);
const PROMETHEUS = 'http://prometheus.istio-system:9090';

function render(props: Partial<CanaryReleaseProps>) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const release = new CanaryRelease(chart, 'shop', { versions: V1_V2, port: 5678, plan: WEIGHTED, ...props });
  const docs = Testing.synth(chart);
  const find = (kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
  return { release, docs, find, kinds };
}

// ------------------------------------------------------------------------------------ Flagger

describe('Flagger, weighted canary through a created gateway, sticky, autoscaled', () => {
  const { release, docs, find, kinds } = render({
    versions: [V1_V2[0], { ...V1_V2[1], autoscaling: { maxReplicas: 4 } }],
    gateway: CanaryGateway.create({ hosts: ['shop.example.com'] }),
    sticky: { maxAge: Duration.hours(1) },
    delivery: Delivery.flagger({
      metrics: [{ name: 'error-budget', query: 'sum(rate(errors[1m]))', prometheusAddress: PROMETHEUS, max: 5 }],
      loadTest: { url: 'http://flagger-loadtester.test/', cmd: 'hey -z 1m http://shop-canary.shop/' },
      confirmPromotionUrl: 'http://flagger-loadtester.test/gate/approve',
    }),
  });
  const canary = find('Canary');

  test('every document is schema-valid (Flagger CRD included)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('renders one Deployment <name> with v2\'s pod spec, its HPA, the Gateway, the MetricTemplate and the Canary; none of the objects Flagger owns', () => {
    expect(kinds).toEqual([
      'Deployment/shop', 'HorizontalPodAutoscaler/shop', 'NetworkPolicy/shop', 'PodDisruptionBudget/shop', 'Gateway/shop-gateway', 'MetricTemplate/shop-error-budget', 'Canary/shop',
    ]);
    expect(find('Deployment').spec.template.spec.containers[0].image).toBe('hashicorp/http-echo:1.1');
    expect(find('Deployment').spec.selector.matchLabels).toEqual({ app: 'shop' });
    expect(release.delivery.kind).toBe(DeliveryKind.FLAGGER);
    expect(release.service).toBeUndefined();
    expect(release.virtualService).toBeUndefined();
    expect(release.flaggerCanary).toBeDefined();
    expect(Object.keys(release.workloads)).toEqual(['v2']);
  });

  test('targetRef, autoscalerRef and service come from the workload and the attachment', () => {
    expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' });
    expect(canary.spec.autoscalerRef).toEqual({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'shop' });
    expect(canary.spec.service).toEqual({ port: 80, targetPort: 'http', gateways: ['shop-gateway', 'mesh'], hosts: ['shop.example.com'] });
  });

  test('analysis: stepWeights from the weighted stages, sessionAffinity from sticky, built-in and custom metrics, webhooks', () => {
    const a = canary.spec.analysis;
    expect(a.stepWeights).toEqual([10]);
    expect(a.iterations).toBeUndefined();
    expect(a.sessionAffinity).toEqual({ cookieName: 'shop-version', maxAge: 3600 });
    expect(a.metrics.map((m: any) => m.name)).toEqual(['request-success-rate', 'request-duration', 'error-budget']);
    expect(a.metrics[0].thresholdRange).toEqual({ min: 99 });
    expect(a.metrics[1].thresholdRange).toEqual({ max: 500 });
    expect(a.metrics[2]).toMatchObject({ templateRef: { name: 'shop-error-budget' }, thresholdRange: { max: 5 } });
    expect(a.webhooks.map((w: any) => w.type)).toEqual(['confirm-promotion', 'rollout']);
  });
});

describe('Flagger, A/B and blue/green', () => {
  test('a header stage becomes analysis.match with iterations', () => {
    const { find } = render({ plan: AB, delivery: Delivery.flagger({ iterations: 5 }) });
    const a = find('Canary').spec.analysis;
    expect(a).toMatchObject({ iterations: 5, match: [{ headers: { user: { regex: 'yoichi' } } }] });
    expect(a.stepWeights).toBeUndefined();
  });

  test('a stage with no canary traffic but a mirror becomes a blue/green analysis with mirroring', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'shadow', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 50 } }, stage('promoted')]);
    const { docs, find } = render({ plan, delivery: Delivery.flagger() });
    expect(find('Canary').spec.analysis).toMatchObject({ iterations: 10, mirror: true, mirrorWeight: 50 });
    expect(docs).toMatchSnapshot();
  });

  test('CanaryPlan.blueGreen with a preview header is an A/B analysis on that header', () => {
    const { find } = render({ plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' } }), delivery: Delivery.flagger() });
    expect(find('Canary').spec.analysis.match).toEqual([{ headers: { 'x-preview': { exact: 'true' } } }]);
  });
});

// ------------------------------------------------------------------------------------ Argo Rollouts

describe('Argo Rollouts, the seed plan with background analysis', () => {
  const { release, docs, find, kinds } = render({ plan: MYVERSION_PLAN, delivery: Delivery.argoRollouts({ prometheusAddress: PROMETHEUS, pause: Duration.minutes(5) }) });
  const rollout = find('Rollout');

  test('every document is schema-valid (Argo Rollouts CRD included)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('renders the Deployment (replicas 0: the Rollout runs its template), Services, DestinationRule subsets, VirtualService, AnalysisTemplates and Rollout', () => {
    expect(kinds).toEqual([
      'Deployment/shop', 'NetworkPolicy/shop', 'PodDisruptionBudget/shop', 'Service/shop', 'Service/shop-stable', 'Service/shop-canary', 'DestinationRule/shop', 'VirtualService/shop',
      'AnalysisTemplate/shop-success-rate', 'AnalysisTemplate/shop-latency', 'Rollout/shop',
    ]);
    expect(find('Deployment').spec.replicas).toBe(0);
    expect(rollout.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'shop' } }, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' } });
    expect(release.rollout).toBeDefined();
    expect(release.controllerServices.map((s) => s.name)).toEqual(['shop-stable', 'shop-canary']);
    expect(release.analysisTemplates.map((s) => s.name)).toEqual(['shop-success-rate', 'shop-latency']);
  });

  test('the VirtualService\'s default route starts at stable 100 / canary 0 over the DestinationRule subsets Argo moves', () => {
    expect(find('DestinationRule').spec.subsets).toEqual([{ name: 'stable', labels: { app: 'shop' } }, { name: 'canary', labels: { app: 'shop' } }]);
    expect(find('VirtualService').spec.http).toEqual([{
      name: 'default',
      route: [
        { destination: { host: 'shop', subset: 'stable', port: { number: 80 } }, weight: 100 },
        { destination: { host: 'shop', subset: 'canary', port: { number: 80 } }, weight: 0 },
      ],
    }]);
    expect(rollout.spec.strategy.canary.trafficRouting).toEqual({
      managedRoutes: [{ name: 'user-yoichi' }],
      istio: { virtualService: { name: 'shop', routes: ['default'] }, destinationRule: { name: 'shop', stableSubsetName: 'stable', canarySubsetName: 'canary' } },
    });
  });

  test('steps: setWeight 10, pause, setWeight 0 + setHeaderRoute user=yoichi, pause; analysis in the background', () => {
    const c = rollout.spec.strategy.canary;
    expect(c.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '300s' } },
      { setWeight: 0 },
      { setHeaderRoute: { name: 'user-yoichi', match: [{ headerName: 'user', headerValue: { regex: 'yoichi' } }] } },
      { pause: { duration: '300s' } },
    ]);
    expect(c.analysis).toEqual({ templates: [{ templateName: 'shop-success-rate' }, { templateName: 'shop-latency' }] });
    expect(find('AnalysisTemplate', 'shop-success-rate').spec.metrics[0]).toMatchObject({ successCondition: 'isNaN(result[0]) || result[0] >= 0.99', failureLimit: 3, interval: '60s' });
    expect(find('AnalysisTemplate', 'shop-success-rate').spec.metrics[0].provider.prometheus.query).toContain('destination_version="v2"');
  });
});

describe('Argo Rollouts, other shapes', () => {
  test('a mirror stage becomes setMirrorRoute after setWeight, removed at the next stage; header routes precede mirror routes', () => {
    const plan = CanaryPlan.of([
      stage('all-v1'),
      { name: 'shadow', weights: { v1: 90, v2: 10 }, mirror: { version: 'v2', percentage: 20 }, routes: [{ name: 'beta', match: RouteMatch.header('x-beta', StringMatch.exact('1')), version: 'v2' }] },
      { name: 'half', weights: { v1: 50, v2: 50 } },
      stage('promoted'),
    ]);
    const { find } = render({ plan, delivery: Delivery.argoRollouts() });
    const c = find('Rollout').spec.strategy.canary;
    expect(c.steps).toEqual([
      { setWeight: 10 },
      { setHeaderRoute: { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: '1' } }] } },
      { setMirrorRoute: { name: 'shadow-mirror', match: [{ path: { prefix: '/' } }], percentage: 20 } },
      { pause: {} },
      { setHeaderRoute: { name: 'beta' } },
      { setMirrorRoute: { name: 'shadow-mirror' } },
      { setWeight: 50 },
      { pause: {} },
    ]);
    expect(c.trafficRouting.managedRoutes).toEqual([{ name: 'beta' }, { name: 'shadow-mirror' }]);
  });

  test('CanaryPlan.blueGreen becomes the blueGreen strategy; the VirtualService sends the preview matches to the preview Service', () => {
    const { docs, find, kinds } = render({
      plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' }, previewHost: 'preview.shop.example.com' }),
      gateway: CanaryGateway.create({ hosts: ['shop.example.com'] }),
      delivery: Delivery.argoRollouts({ prometheusAddress: PROMETHEUS }),
    });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs).toMatchSnapshot();
    expect(kinds).toContain('Service/shop-preview');
    expect(find('Rollout').spec.strategy).toEqual({
      blueGreen: {
        activeService: 'shop', previewService: 'shop-preview', autoPromotionEnabled: false,
        prePromotionAnalysis: { templates: [{ templateName: 'shop-success-rate' }, { templateName: 'shop-latency' }] },
      },
    });
    const http = find('VirtualService').spec.http;
    expect(http.map((r: any) => [r.name, r.route.map((d: any) => d.destination.host)])).toEqual([['preview', ['shop-preview']], ['default', ['shop']]]);
    expect(find('AnalysisTemplate', 'shop-latency').spec.metrics[0].provider.prometheus.query).toContain('destination_service_name="shop-preview"');
  });
});

test('Argo Rollouts with a wildcard gateway host moves the default route of both VirtualServices', () => {
  const { docs, find } = render({ gateway: CanaryGateway.create({ hosts: ['*.shop.example.com'] }), delivery: Delivery.argoRollouts() });
  expect(allSchemaProblems(docs)).toEqual([]);
  expect(find('Rollout').spec.strategy.canary.trafficRouting.istio.virtualServices).toEqual([
    { name: 'shop', routes: ['default'] }, { name: 'shop-gateway', routes: ['default'] },
  ]);
  expect(find('VirtualService', 'shop-gateway').spec).toMatchObject({ hosts: ['*.shop.example.com'], gateways: ['shop-gateway'] });
});

// ------------------------------------------------------------------------------------ disruption budgets

describe('the PodDisruptionBudget covers the pods the controller runs', () => {
  test('Flagger: selects app.kubernetes.io/name, which Flagger copies to the <name>-primary pods (it renames app to <name>-primary)', () => {
    const { find } = render({ delivery: Delivery.flagger() });
    expect(find('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } } });
    expect(find('Deployment').spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'shop', 'app': 'shop' });
  });

  test('Argo Rollouts: the Deployment runs no pod (replicas 0), the PDB selects the Rollout\'s pods (app: <name>) with the Rollout\'s replicas', () => {
    const { find } = render({ delivery: Delivery.argoRollouts() });
    expect(find('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'shop' } } });
    expect(find('Rollout').spec.selector.matchLabels).toEqual({ app: 'shop' });
  });

  test('a version\'s own disruptionBudget is used; one replica (or none()) renders none', () => {
    const v2 = (extra: object) => [V1_V2[0], { ...V1_V2[1], ...extra }];
    expect(render({ versions: v2({ replicas: 4, disruptionBudget: DisruptionBudget.minAvailable(3) }), delivery: Delivery.argoRollouts() }).find('PodDisruptionBudget').spec)
      .toEqual({ minAvailable: 3, selector: { matchLabels: { app: 'shop' } } });
    expect(render({ versions: v2({ replicas: 1 }), delivery: Delivery.flagger() }).find('PodDisruptionBudget')).toBeUndefined();
    expect(render({ versions: v2({ disruptionBudget: DisruptionBudget.none() }), delivery: Delivery.argoRollouts() }).find('PodDisruptionBudget')).toBeUndefined();
  });

  test('fails if a version\'s budget can never be satisfied with the replicas the controller runs', () => {
    expect(() => render({ versions: [V1_V2[0], { ...V1_V2[1], replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }], delivery: Delivery.argoRollouts() }))
      .toThrow(/CanaryRelease 'shop': version 'v2' disruptionBudget minAvailable 2 can never be satisfied with 2 replica\(s\): no pod could ever be evicted; use maxUnavailable\(1\), or run more replicas/);
  });
});

// ------------------------------------------------------------------------------------ the default

test('Delivery.static() is the default and renders exactly what no delivery renders', () => {
  const a = render({ plan: MYVERSION_PLAN, stage: 'canary' });
  const b = render({ plan: MYVERSION_PLAN, stage: 'canary', delivery: Delivery.static() });
  expect(a.release.delivery.kind).toBe(DeliveryKind.STATIC);
  expect(b.docs).toEqual(a.docs);
  expect(a.release.analysisTemplates).toEqual([]);
  expect(a.release.controllerServices).toEqual([]);
});

test('a controller ignores CANARY_STAGE (it moves the stages itself)', () => {
  process.env.CANARY_STAGE_PD_TEST = 'no-such-stage';
  try {
    expect(() => render({ stageEnvVar: 'CANARY_STAGE_PD_TEST', delivery: Delivery.flagger() })).not.toThrow();
  } finally {
    delete process.env.CANARY_STAGE_PD_TEST;
  }
});

// ------------------------------------------------------------------------------------ refusals

describe('fails if', () => {
  test('the seed plan is given to Flagger (weights, then a header stage)', () => {
    expect(() => render({ plan: MYVERSION_PLAN, delivery: Delivery.flagger() }))
      .toThrow(/CanaryRelease 'shop': delivery Flagger: stage 'user-v2' \(match routes\) is mixed with weighted stages; .*use Delivery.argoRollouts\(\)/);
  });

  test('a controller on the Gateway API is asked for what its HTTPRoute handling cannot honour (the rest: test/progressive-delivery-gateway-api.test.ts)', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'shadow', weights: { v1: 90, v2: 10 }, mirror: { version: 'v2', percentage: 20 } }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.argoRollouts(), trafficApi: TrafficApi.gatewayApi({ mesh: true }) }))
      .toThrow(/CanaryRelease 'shop': delivery Argo Rollouts on the Gateway API: stage 'shadow' mirrors 20% to 'v2', but the Gateway API plugin ignores setMirrorRoute; drop the mirror, or use TrafficApi.istio\(\) with Delivery.argoRollouts\(\)/);
  });

  test('a stage is selected for a controller', () => {
    expect(() => render({ stage: 'canary', delivery: Delivery.argoRollouts() })).toThrow(/delivery Argo Rollouts moves through the stages itself, so stage 'canary' cannot be selected; drop the stage prop/);
  });

  test('three versions are declared', () => {
    expect(() => render({ versions: [...V1_V2, { name: 'v3', image: IMAGE }], delivery: Delivery.flagger() }))
      .toThrow(/delivery Flagger rolls out one new version of one workload, but versions has 3 \('v1', 'v2', 'v3'\); declare two versions/);
  });

  test('the last stage does not promote the other version', () => {
    expect(() => render({ plan: undefined, stages: [stage('all-v1'), stage('canary')], delivery: Delivery.flagger() }))
      .toThrow(/delivery Flagger ends by promoting the new version, but the last stage 'canary' does not send 100% to the version other than 'v1'/);
  });

  test('mode is SERVICES', () => {
    expect(() => render({ mode: CanaryMode.SERVICES, delivery: Delivery.argoRollouts() })).toThrow(/delivery Argo Rollouts runs the versions as one workload, so mode 'services' .* cannot apply; drop mode/);
  });

  test('Flagger weights go down', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'c50', weights: { v1: 50, v2: 50 } }, { name: 'c10', weights: { v1: 90, v2: 10 } }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.flagger() })).toThrow(/stage 'c10' sends 10% to 'v2', not more than stage 'c50' \(50%\); Flagger's stepWeights only go up/);
  });

  test('Flagger is asked to match a URI', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'api', weights: { v1: 100 }, routes: [{ match: RouteMatch.uriPrefix('/api'), version: 'v2' }] }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.flagger() })).toThrow(/delivery Flagger: stage 'api' matches uri prefix '\/api'; Flagger's analysis.match tests headers \(and cookies\) only/);
  });

  test('Flagger serves a wildcard gateway host', () => {
    expect(() => render({ gateway: CanaryGateway.create({ hosts: ['*.example.com'] }), delivery: Delivery.flagger() })).toThrow(/delivery Flagger: gateway host '\*.example.com' is a wildcard/);
  });

  test('Flagger has nothing to analyse', () => {
    expect(() => render({ plan: CanaryPlan.of([stage('all-v1'), stage('promoted')]), delivery: Delivery.flagger() })).toThrow(/delivery Flagger has nothing to analyse/);
  });

  test('Argo Rollouts is asked to match two conditions in one block', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'both', weights: { v1: 90, v2: 10 }, routes: [{ match: RouteMatch.header('a', 'x').and(RouteMatch.header('b', 'y')), version: 'v2' }] }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.argoRollouts() })).toThrow(/delivery Argo Rollouts: stage 'both' route 'both-match-1' matches header a exact 'x' and header b exact 'y', but setHeaderRoute matches one header per alternative/);
  });

  test('Argo Rollouts is asked for a sticky canary', () => {
    expect(() => render({ sticky: {}, delivery: Delivery.argoRollouts() })).toThrow(/delivery Argo Rollouts: sticky is set, but Argo Rollouts' Istio traffic routing has no session affinity; drop sticky, or use Delivery.flagger\(\)/);
  });

  test('Argo Rollouts runs an autoscaled version', () => {
    expect(() => render({ versions: [V1_V2[0], { ...V1_V2[1], autoscaling: { maxReplicas: 3 } }], delivery: Delivery.argoRollouts() }))
      .toThrow(/delivery Argo Rollouts: version 'v2' has autoscaling/);
  });

  test('Argo Rollouts mirrors a fractional percentage', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'shadow', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 0.5 } }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.argoRollouts() })).toThrow(/stage 'shadow' mirrors 0.5%, but setMirrorRoute takes a whole percentage/);
  });

  test('delivery options are out of range (checked by the factory, for JavaScript callers too)', () => {
    expect(() => Delivery.flagger({ threshold: 0 })).toThrow(/Delivery.flagger: threshold/);
    expect(() => Delivery.flagger({ interval: Duration.millis(1500) })).toThrow(/Delivery.flagger: interval .* is not a whole number of seconds/);
    expect(() => Delivery.flagger({ successRate: 120 })).toThrow(/Delivery.flagger: successRate 120 is not a percentage in \(0, 100\]/);
    expect(() => Delivery.flagger({ metrics: [{ name: 'm', query: 'up', prometheusAddress: PROMETHEUS }] })).toThrow(/metrics\[0\] \(m\) has neither min nor max/);
    expect(() => Delivery.flagger({ metrics: [{ name: 'request-duration', query: 'up', prometheusAddress: PROMETHEUS, max: 1 }] })).toThrow(/metric name 'request-duration' is used twice/);
    expect(() => Delivery.flagger({ confirmPromotionUrl: 'not a url' })).toThrow(/confirmPromotionUrl 'not a url' is not an http\(s\) URL/);
    expect(() => Delivery.argoRollouts({ successRate: 95 })).toThrow(/Delivery.argoRollouts: successRate is set without prometheusAddress/);
    expect(() => Delivery.argoRollouts({ pause: Duration.millis(10) })).toThrow(/Delivery.argoRollouts: pause/);
  });

  test('delivery is not a Delivery', () => {
    expect(() => render({ delivery: 'flagger' as any })).toThrow(/CanaryRelease 'shop': delivery 'flagger' is not a Delivery; use Delivery.static\(\), Delivery.flagger\(\) or Delivery.argoRollouts\(\)/);
  });
});
