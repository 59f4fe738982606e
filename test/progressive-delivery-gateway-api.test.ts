import { Chart, Duration, Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import {
  CanaryPlan, CanaryRelease, CanaryReleaseProps, CanaryStage, Delivery, Gateway, GatewayApiOptions, ListenerProtocol, RouteMatch, StringMatch, TrafficApi,
} from '../lib';
import { allSchemaProblems } from './support/schema';

// Flagger and Argo Rollouts with TrafficApi.gatewayApi(...): Flagger's Canary names the Gateway API parents
// (service.gatewayRefs) and generates its own HTTPRoute; the Argo Rollout moves the HTTPRoutes the library
// renders through the Gateway API plugin.

const IMAGE = 'hashicorp/http-echo:1.0';
const V1_V2 = [{ name: 'v1', image: IMAGE, args: ['-text=v1'] }, { name: 'v2', image: 'hashicorp/http-echo:1.1', args: ['-text=v2'] }];
const stage = (name: string): CanaryStage => MYVERSION_PLAN.stages.find((s) => s.name === name)!;
const WEIGHTED = CanaryPlan.of([stage('all-v1'), stage('canary'), stage('promoted')]);
const AB = CanaryPlan.of([stage('all-v1'), stage('user-v2'), stage('promoted')]);
const HOST = 'shop.example.com';

/** A CanaryRelease 'shop' in namespace 'shop' on the Gateway API: through a Gateway 'public' of the app unless `gateway` is given (null: none). */
function render(props: Partial<CanaryReleaseProps>, options: Omit<GatewayApiOptions, 'gateway'> & { gateway?: 'app' | 'existing' | null } = {}) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const { gateway: which = 'app', ...rest } = options;
  const gateway = which === 'app'
    ? new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: HOST }] })
    : which === 'existing' ? Gateway.fromGatewayName('public', 'istio-ingress') : undefined;
  const release = new CanaryRelease(chart, 'shop', {
    versions: V1_V2, port: 5678, plan: WEIGHTED,
    trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: gateway ? [HOST] : undefined, ...rest }),
    ...props,
  });
  const docs = Testing.synth(chart);
  const find = (kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  const kinds = docs.map((d) => `${d.kind}/${d.metadata.name}`);
  return { release, docs, find, kinds };
}

// ------------------------------------------------------------------------------------ Flagger

describe('Flagger on the Gateway API: weighted canary through a Gateway of the app and in-mesh (GAMMA)', () => {
  const { release, docs, find, kinds } = render({ delivery: Delivery.flagger(), timeout: Duration.seconds(5), headers: { request: { set: { 'x-via': 'flagger' } } } });
  const canary = find('Canary');

  test('every document is schema-valid (Flagger and Gateway API CRDs)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('renders the Gateway, the Deployment and the Canary; no HTTPRoute and no Service (Flagger generates them)', () => {
    expect(kinds).toEqual(['Gateway/public', 'Deployment/shop', 'NetworkPolicy/shop', 'PodDisruptionBudget/shop', 'Canary/shop']);
    expect(release.httpRoutes).toEqual([]);
    expect(release.service).toBeUndefined();
    expect(release.gateways).toEqual(['shop/public', 'mesh']);
  });

  test('provider gatewayapi:v1; service.gatewayRefs: the Gateway, then the Service <name> for in-mesh callers; hosts from hostnames', () => {
    expect(canary.spec.provider).toBe('gatewayapi:v1');
    expect(canary.spec.service).toEqual({
      port: 80,
      targetPort: 'http',
      gatewayRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }, { group: '', kind: 'Service', name: 'shop' }],
      hosts: [HOST],
      timeout: '5s',
      headers: { request: { set: { 'x-via': 'flagger' } } },
    });
    expect(canary.spec.analysis.stepWeights).toEqual([10]);
  });
});

describe('Flagger on the Gateway API, other attachments and analyses', () => {
  test('an existing Gateway in another namespace is named with its namespace; mesh: false leaves the Service out', () => {
    const { find } = render({ delivery: Delivery.flagger() }, { gateway: 'existing', mesh: false });
    expect(find('Canary').spec.service.gatewayRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'istio-ingress' }]);
  });

  test('mesh only: the Service <name> is the only parent, no hosts', () => {
    const { find, docs } = render({ delivery: Delivery.flagger() }, { gateway: null });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(find('Canary').spec.service).toEqual({ port: 80, targetPort: 'http', gatewayRefs: [{ group: '', kind: 'Service', name: 'shop' }] });
  });

  test('a header stage becomes analysis.match (A/B) with iterations', () => {
    const { find } = render({ plan: AB, delivery: Delivery.flagger({ iterations: 5 }) });
    expect(find('Canary').spec.analysis).toMatchObject({ iterations: 5, match: [{ headers: { user: { regex: 'yoichi' } } }] });
  });

  test('a blue/green stage mirroring 100% becomes mirror: true without mirrorWeight', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'shadow', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 100 } }, stage('promoted')]);
    const { find } = render({ plan, delivery: Delivery.flagger() });
    const a = find('Canary').spec.analysis;
    expect(a.mirror).toBe(true);
    expect(a.mirrorWeight).toBeUndefined();
    expect(a.iterations).toBe(10);
  });
});


// ------------------------------------------------------------------------------------ Argo Rollouts

const PLUGIN = 'argoproj-labs/gatewayAPI';
const PROMETHEUS = 'http://prometheus.istio-system:9090';

describe('Argo Rollouts on the Gateway API: the seed plan through the Gateway API plugin', () => {
  const { release, docs, find, kinds } = render({ plan: MYVERSION_PLAN, delivery: Delivery.argoRollouts({ prometheusAddress: PROMETHEUS }) });
  const rollout = find('Rollout');

  test('every document is schema-valid (Argo Rollouts and Gateway API CRDs)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('renders the Deployment, the Services, the two HTTPRoutes, the AnalysisTemplates and the Rollout; no Istio object', () => {
    expect(kinds).toEqual([
      'Gateway/public', 'Deployment/shop', 'NetworkPolicy/shop', 'PodDisruptionBudget/shop', 'Service/shop', 'Service/shop-stable', 'Service/shop-canary', 'HTTPRoute/shop', 'HTTPRoute/shop-gateway',
      'AnalysisTemplate/shop-success-rate', 'AnalysisTemplate/shop-latency', 'Rollout/shop',
    ]);
    expect(release.httpRoutes.map((r) => r.name)).toEqual(['shop', 'shop-gateway']);
    expect(release.virtualService).toBeUndefined();
    expect(release.destinationRules).toEqual([]);
  });

  test('each HTTPRoute\'s default rule starts at stable 100 / canary 0 over <name>-stable and <name>-canary', () => {
    for (const name of ['shop', 'shop-gateway']) {
      expect(find('HTTPRoute', name).spec.rules).toEqual([{
        name: 'default',
        backendRefs: [{ name: 'shop-stable', port: 80, weight: 100 }, { name: 'shop-canary', port: 80, weight: 0 }],
      }]);
    }
    expect(find('HTTPRoute', 'shop').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'shop' }]);
    expect(find('HTTPRoute', 'shop-gateway').spec).toMatchObject({ parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }], hostnames: [HOST] });
  });

  test('trafficRouting names both HTTPRoutes through the plugin, with header routes; the steps are the Istio ones', () => {
    const c = rollout.spec.strategy.canary;
    expect(c.trafficRouting).toEqual({
      managedRoutes: [{ name: 'user-yoichi' }],
      plugins: { [PLUGIN]: { httpRoutes: [{ name: 'shop', useHeaderRoutes: true }, { name: 'shop-gateway', useHeaderRoutes: true }], namespace: 'shop' } },
    });
    expect(c).toMatchObject({ canaryService: 'shop-canary', stableService: 'shop-stable' });
    expect(c.steps).toEqual([
      { setWeight: 10 },
      { pause: {} },
      { setWeight: 0 },
      { setHeaderRoute: { name: 'user-yoichi', match: [{ headerName: 'user', headerValue: { regex: 'yoichi' } }] } },
      { pause: {} },
    ]);
  });

  test('the analysis measures the canary Service the HTTPRoutes send to', () => {
    expect(find('AnalysisTemplate', 'shop-success-rate').spec.metrics[0].provider.prometheus.query).toContain('destination_service_name="shop-canary",destination_version="v2"');
  });
});

describe('Argo Rollouts on the Gateway API, other shapes', () => {
  test('weights only: no managed routes, no useHeaderRoutes; mesh only: one HTTPRoute', () => {
    const { find, docs } = render({ delivery: Delivery.argoRollouts() }, { gateway: null });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(find('Rollout').spec.strategy.canary.trafficRouting).toEqual({ plugins: { [PLUGIN]: { httpRoutes: [{ name: 'shop' }], namespace: 'shop' } } });
    expect(find('HTTPRoute', 'shop-gateway')).toBeUndefined();
  });

  test('CanaryPlan.blueGreen: the blueGreen strategy (no plugin); the HTTPRoutes send the preview header to <name>-preview, the rest to <name>', () => {
    const { find, docs } = render({
      plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' } }),
      delivery: Delivery.argoRollouts({ prometheusAddress: PROMETHEUS }),
    });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(find('Rollout').spec.strategy.blueGreen).toMatchObject({ activeService: 'shop', previewService: 'shop-preview' });
    for (const name of ['shop', 'shop-gateway']) {
      expect(find('HTTPRoute', name).spec.rules.map((r: any) => [r.name, r.backendRefs.map((b: any) => b.name)])).toEqual([['preview', ['shop-preview']], ['default', ['shop']]]);
    }
    expect(find('AnalysisTemplate', 'shop-latency').spec.metrics[0].provider.prometheus.query).toContain('destination_service_name="shop-preview"');
  });
});

// ------------------------------------------------------------------------------------ refusals

describe('fails if', () => {
  test('Flagger on the Gateway API is asked for retries (its HTTPRoute has no retry)', () => {
    expect(() => render({ delivery: Delivery.flagger(), retries: { attempts: 2 } }, { experimental: true }))
      .toThrow(/CanaryRelease 'shop': delivery Flagger on the Gateway API: retries cannot be honoured, because the HTTPRoute Flagger generates has no retry; drop retries, or use TrafficApi.istio\(\) with Delivery.flagger\(\)/);
  });

  test('Flagger on the Gateway API mirrors less than 100%', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'shadow', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 20 } }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.flagger() }))
      .toThrow(/delivery Flagger on the Gateway API: stage 'shadow' mirrors 20%, but Flagger's HTTPRoute mirrors every request \(no mirror weight\); mirror 100%/);
  });

  test('Flagger on the Gateway API is asked for a sticky canary (the Gateway API renderer refuses sticky)', () => {
    expect(() => render({ delivery: Delivery.flagger(), sticky: {} })).toThrow(/sticky is not rendered by the Gateway API/);
  });

  test('Flagger on the Gateway API matches a header by prefix (HTTPRoute has no prefix header match)', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'ab', weights: { v1: 100 }, routes: [{ name: 'beta', match: RouteMatch.header('x-beta', StringMatch.prefix('1')), version: 'v2' }] }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.flagger() }))
      .toThrow(/CanaryRelease 'shop': delivery Flagger on the Gateway API: stage 'ab' matches header x-beta prefix .*1.*, but Flagger's HTTPRoute matches headers exactly or by regex only; match exactly, or by regex \(e.g. StringMatch.regex\('1.\*'\)\)/);
  });
  test('Argo Rollouts on the Gateway API mirrors (the plugin ignores setMirrorRoute)', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'shadow', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 10 }, routes: [{ name: 'beta', match: RouteMatch.header('x-beta', StringMatch.exact('1')), version: 'v2' }] }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.argoRollouts() }))
      .toThrow(/CanaryRelease 'shop': delivery Argo Rollouts on the Gateway API: stage 'shadow' mirrors 10% to 'v2', but the Gateway API plugin ignores setMirrorRoute; drop the mirror/);
  });

  // (A single stage of match routes without weights is the blueGreen strategy, whose HTTPRoutes the library renders: no plugin limits.)
  test('Argo Rollouts on the Gateway API has a route with two alternatives (the plugin ANDs them)', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'ab', weights: { v1: 90, v2: 10 }, routes: [{ name: 'beta', match: [RouteMatch.header('x-beta', StringMatch.exact('1')), RouteMatch.header('x-tester', StringMatch.exact('1'))], version: 'v2' }] }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.argoRollouts() }))
      .toThrow(/delivery Argo Rollouts on the Gateway API: stage 'ab' route 'beta' has 2 alternative matches, but the Gateway API plugin puts every header of a setHeaderRoute into one match \(all must match\); give each alternative a route of its own/);
  });

  test('Argo Rollouts on the Gateway API matches a prefix with regex characters (the plugin does not escape it)', () => {
    const plan = CanaryPlan.of([stage('all-v1'), { name: 'ab', weights: { v1: 90, v2: 10 }, routes: [{ name: 'beta', match: RouteMatch.header('x-beta', StringMatch.prefix('1.2')), version: 'v2' }] }, stage('promoted')]);
    expect(() => render({ plan, delivery: Delivery.argoRollouts() }))
      .toThrow(/delivery Argo Rollouts on the Gateway API: stage 'ab' route 'beta' matches header x-beta prefix .*without escaping it; match by regex instead \(StringMatch.regex\('1\\\.2\.\*'\)\)/);
  });

  test('Argo Rollouts on the Gateway API combines header routes with a timeout (the plugin\'s header rules drop it)', () => {
    expect(() => render({ plan: MYVERSION_PLAN, delivery: Delivery.argoRollouts(), timeout: Duration.seconds(5) }))
      .toThrow(/delivery Argo Rollouts on the Gateway API: stage 'user-v2' sets header routes, and the Gateway API plugin's header rules do not copy the route's timeout; drop timeout/);
  });
});
