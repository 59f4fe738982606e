import { Chart, Duration, Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import {
  CanaryGateway, CanaryMode, IstioApiVersion, CanaryPlan, CanaryRelease, CanaryReleaseProps, CanaryStage, Gateway, GatewayListener, ListenerProtocol,
  RouteMatch, RouteNamespaces, StringMatch, TrafficApi,
} from '../lib';
import { allSchemaProblems } from './support/schema';
import { TrafficRequest, gatewayApiShare, istioShare } from './support/traffic-share';

const IMAGE = 'hashicorp/http-echo:1.0';
const V1_V2 = [{ name: 'v1', image: IMAGE, args: ['-text=v1'] }, { name: 'v2', image: IMAGE, args: ['-text=v2'] }];
const HOST = 'shop.example.com';
const HTTP: GatewayListener = { name: 'http', protocol: ListenerProtocol.HTTP, hostname: HOST };

/** A CanaryRelease 'shop' on the Gateway API (a Gateway 'public' with `listeners` unless `gateway: false`), in namespace 'shop'. */
function renderGatewayApi(props: Partial<CanaryReleaseProps>, options: { listeners?: GatewayListener[]; hostnames?: string[]; mesh?: boolean; experimental?: boolean; gateway?: boolean } = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const gateway = options.gateway === false ? undefined : new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: options.listeners ?? [HTTP] });
  const canary = new CanaryRelease(chart, 'shop', {
    versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1',
    trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: gateway ? options.hostnames ?? [HOST] : undefined, mesh: options.mesh, experimental: options.experimental }),
    ...props,
  });
  const docs = Testing.synth(chart);
  const find = (kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  return { canary, docs, find, meshRoute: find('HTTPRoute', 'shop'), gatewayRoute: find('HTTPRoute', 'shop-gateway') };
}

/** The same declaration rendered with Istio (a created Istio Gateway for the same host). */
function renderIstio(props: Partial<CanaryReleaseProps>) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  new CanaryRelease(chart, 'shop', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', gateway: CanaryGateway.create({ hosts: [HOST] }), ...props });
  return Testing.synth(chart);
}

/** Requests with and without the matching header (and near misses), through the gateway and from inside the mesh. */
function requests(app = 'shop'): TrafficRequest[] {
  const variants: Array<Pick<TrafficRequest, 'path' | 'headers'>> = [
    {}, { headers: { user: 'yoichi' } }, { headers: { user: 'yoichi2' } }, { headers: { user: 'someone' } },
    { headers: { 'x-preview': 'true' } }, { path: '/api' }, { path: '/apix' }, { path: '/api/v2', headers: { user: 'yoichi' } }, { path: '/other' },
  ];
  return variants.flatMap((v) => [{ via: 'gateway' as const, host: HOST, ...v }, { via: 'mesh' as const, host: app, ...v }]);
}

/** Asserts that every request reaches the same versions, in the same shares (served and mirrored), in both renderings. */
function expectEquivalent(props: Partial<CanaryReleaseProps>, gatewayApiOptions: Parameters<typeof renderGatewayApi>[1] = {}) {
  const istio = renderIstio(props);
  const { docs } = renderGatewayApi(props, gatewayApiOptions);
  const table = (share: (docs: any[], r: TrafficRequest) => unknown, from: any[]) => requests().map((r) => ({ request: r, share: share(from, r) }));
  const expected = table(istioShare, istio);
  expect(table(gatewayApiShare, docs)).toEqual(expected);
  return expected;
}

// ------------------------------------------------------------------------------------ per stage

describe.each(MYVERSION_PLAN.stages.map((s) => [s.name, s] as const))('myversion stage %s on the Gateway API', (name, stage) => {
  const { docs, find, meshRoute, gatewayRoute } = renderGatewayApi({ stage: name });

  test('every document is schema-valid (Gateway API v1.6.1 standard CRDs, unknown fields rejected)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('no Istio object; a Service per version selecting exactly its pods, and the Service over every version', () => {
    expect(docs.filter((d) => d.apiVersion.startsWith('networking.istio.io/'))).toEqual([]);
    for (const v of ['v1', 'v2']) {
      const svc = find('Service', `shop-${v}`);
      const selected = docs.filter((d) => d.kind === 'Deployment' && Object.entries(svc.spec.selector).every(([k, x]) => d.spec.template.metadata.labels[k] === x));
      expect(selected.map((d) => d.metadata.name)).toEqual([`shop-${v}`]);
    }
    expect(find('Service', 'shop').spec.selector).toEqual({ app: 'shop' });
  });

  test('the mesh route is attached to the Service (GAMMA), the gateway route to the Gateway with the hostnames', () => {
    expect(meshRoute.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'shop' }]);
    expect(meshRoute.spec.hostnames).toBeUndefined();
    expect(gatewayRoute.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
    expect(gatewayRoute.spec.hostnames).toEqual([HOST]);
    expect(gatewayRoute.spec.rules).toEqual(meshRoute.spec.rules);
  });

  test('match rules come first, the weighted default rule last, with the stage weights (zero weights left out)', () => {
    const rules = meshRoute.spec.rules;
    expect(rules.map((r: any) => r.name)).toEqual([...(stage.routes ?? []).map((r) => r.name), 'default']);
    const last = rules[rules.length - 1];
    expect(last.matches).toBeUndefined();
    expect(Object.fromEntries(last.backendRefs.map((b: any) => [b.name, b.weight]))).toEqual(
      Object.fromEntries(Object.entries(stage.weights).filter(([, w]) => w > 0).map(([v, w]) => [`shop-${v}`, w])));
    for (const b of last.backendRefs) expect(b.port).toBe(80);
  });

  test('EQUIVALENCE: every request reaches the same versions in the same shares as with the Istio rendering', () => {
    const table = expectEquivalent({ stage: name });
    // and the shares are the declared ones: without the header, the stage weights
    const plain = table.find((t) => t.request.via === 'mesh' && !t.request.headers && !t.request.path)!.share as any;
    expect(plain.serves).toEqual(Object.fromEntries(Object.entries(stage.weights).filter(([, w]) => w > 0).map(([v, w]) => [v, w / 100])));
  });
});

test('user-v2: the header rule is a RegularExpression header match, and user yoichi reaches v2 only (through the gateway and in-mesh)', () => {
  const { meshRoute, docs } = renderGatewayApi({ stage: 'user-v2' });
  expect(meshRoute.spec.rules[0]).toEqual({
    name: 'user-yoichi',
    matches: [{ headers: [{ type: 'RegularExpression', name: 'user', value: 'yoichi' }] }],
    backendRefs: [{ name: 'shop-v2', port: 80 }],
  });
  for (const via of ['gateway', 'mesh'] as const) {
    const host = via === 'mesh' ? 'shop' : HOST;
    expect(gatewayApiShare(docs, { via, host, headers: { user: 'yoichi' } }).serves).toEqual({ v2: 1 });
    expect(gatewayApiShare(docs, { via, host, headers: { user: 'yoichi2' } }).serves).toEqual({ v1: 1 });
  }
});

// ------------------------------------------------------------------------------------ other declarations, same guarantee

describe('EQUIVALENCE beyond the seed plan', () => {
  const stages: CanaryStage[] = [
    { name: 'api', weights: { v1: 80, v2: 20 }, routes: [{ match: RouteMatch.uriPrefix('/api'), version: 'v2' }] },
    { name: 'combined', weights: { v1: 100 }, routes: [{ match: [RouteMatch.header('user', 'yoichi').and(RouteMatch.uriPrefix('/api')), RouteMatch.header('x-preview', StringMatch.prefix('tr'))], version: 'v2' }] },
    { name: 'mirror', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 12.5 } },
    { name: 'exact', weights: { v1: 50, v2: 50 }, routes: [{ match: RouteMatch.uri(StringMatch.exact('/other')), version: 'v1' }] },
  ];
  test.each(stages.map((s) => [s.name] as const))('stage %s', (stage) => {
    expectEquivalent({ plan: undefined, stages, stage });
  });

  test('routes to different versions that no request can match together keep their order', () => {
    const disjoint: CanaryStage[] = [{ name: 'd', weights: { v1: 100 }, routes: [
      { match: RouteMatch.header('user', 'yoichi'), version: 'v2' },
      { match: RouteMatch.header('user', 'bot').and(RouteMatch.uri(StringMatch.exact('/api'))), version: 'v1' },
    ] }];
    expectEquivalent({ plan: undefined, stages: disjoint, stage: 'd' });
  });

  test('blue/green with a preview header', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' } });
    for (const stage of ['active', 'promoted']) expectEquivalent({ plan, stage });
  });

  test('blue/green with a preview host: an HTTPRoute of its own for the host, where every request reaches the preview (and the header still works)', () => {
    const preview = 'preview.example.com';
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: preview, previewHeader: { name: 'x-preview', value: 'true' } });
    const listeners: GatewayListener[] = [{ ...HTTP, hostname: '*.example.com' }];
    for (const stage of ['active', 'promoted']) {
      const istio = renderIstio({ plan, stage });
      const { docs, find } = renderGatewayApi({ plan, stage }, { listeners });
      expect(allSchemaProblems(docs)).toEqual([]);
      const all = [...requests(), ...requests().filter((r) => r.via === 'gateway').map((r) => ({ ...r, host: preview }))];
      expect(all.map((r) => gatewayApiShare(docs, r))).toEqual(all.map((r) => istioShare(istio, r)));
      const route = find('HTTPRoute', 'shop-preview');
      expect(route.spec.hostnames).toEqual([preview]);
      expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
      if (stage === 'active') {
        // the preview route's authority block became a rule without matches; the header block stays
        expect(route.spec.rules.map((r: any) => [r.name, r.matches, r.backendRefs])).toEqual([
          ['preview', [{ headers: [{ type: 'Exact', name: 'x-preview', value: 'true' }] }, {}], [{ name: 'shop-v2', port: 80 }]],
          ['default', undefined, [{ name: 'shop-v1', port: 80, weight: 100 }]],
        ]);
        expect(find('HTTPRoute', 'shop-gateway').spec.rules[0].matches).toEqual([{ headers: [{ type: 'Exact', name: 'x-preview', value: 'true' }] }]);
      }
    }
  });

  test('SERVICES mode (Helm-style releases): the versions\' own Services', () => {
    const versions = [{ name: 'foolish-penguin', image: IMAGE }, { name: 'peeking-rabbit', image: IMAGE }];
    const stagesOf: CanaryStage[] = [{ name: 'split', weights: { 'foolish-penguin': 50, 'peeking-rabbit': 50 } }];
    const { docs, meshRoute } = renderGatewayApi({ mode: CanaryMode.SERVICES, versions, plan: undefined, stages: stagesOf, stage: 'split' });
    expect(meshRoute.spec.rules[0].backendRefs).toEqual([{ name: 'foolish-penguin', port: 80, weight: 50 }, { name: 'peeking-rabbit', port: 80, weight: 50 }]);
    const istio = renderIstio({ mode: CanaryMode.SERVICES, versions, plan: undefined, stages: stagesOf, stage: 'split' });
    for (const r of requests()) expect(gatewayApiShare(docs, r)).toEqual(istioShare(istio, r));
  });
});

test('a uri prefix keeps Istio\'s string-prefix meaning (a RegularExpression path, not a segment-wise PathPrefix)', () => {
  const { meshRoute } = renderGatewayApi({ plan: undefined, stages: [{ name: 's', weights: { v1: 100 }, routes: [{ match: RouteMatch.uriPrefix('/api.v1'), version: 'v2' }] }], stage: 's' });
  expect(meshRoute.spec.rules[0].matches).toEqual([{ path: { type: 'RegularExpression', value: '/api\\.v1.*' } }]);
});

test('mirroring: a RequestMirror filter on the default rule only, percent or exact fraction', () => {
  const stages: CanaryStage[] = [{ name: 'm', weights: { v1: 100 }, routes: [{ match: RouteMatch.header('user', 'a'), version: 'v1' }], mirror: { version: 'v2', percentage: 12.5 } }];
  const { meshRoute } = renderGatewayApi({ plan: undefined, stages, stage: 'm' });
  expect(meshRoute.spec.rules[0].filters).toBeUndefined();
  expect(meshRoute.spec.rules[1].filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shop-v2', port: 80 }, fraction: { numerator: 125, denominator: 1000 } } }]);
  const whole = renderGatewayApi({ plan: undefined, stages: [{ name: 'm', weights: { v1: 100 }, mirror: { version: 'v2' } }], stage: 'm' });
  expect(whole.meshRoute.spec.rules[0].filters[0].requestMirror.percent).toBe(100);
});

test('timeout, per-try timeout and header modifiers map to standard-channel fields; retries only with the experimental opt-in', () => {
  const props: Partial<CanaryReleaseProps> = {
    timeout: Duration.millis(61_500),
    headers: { request: { set: { 'x-env': 'prod' }, remove: ['x-debug'] }, response: { add: { 'x-served-by': 'shop' } } },
  };
  const { meshRoute, docs } = renderGatewayApi(props);
  const rule = meshRoute.spec.rules[0];
  expect(rule.timeouts).toEqual({ request: '1m1s500ms' });
  expect(rule.filters).toEqual([
    { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-env', value: 'prod' }], remove: ['x-debug'] } },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'x-served-by', value: 'shop' }] } },
  ]);
  expect(allSchemaProblems(docs)).toEqual([]);
  const retried = renderGatewayApi({ retries: { attempts: 3, perTryTimeout: '2s', retryOn: '502,503' } }, { experimental: true });
  expect(retried.meshRoute.spec.rules[0].retry).toEqual({ attempts: 3, codes: [502, 503] });
  expect(retried.meshRoute.spec.rules[0].timeouts).toEqual({ backendRequest: '2s' });
  // the route says it needs the experimental channel, so the audit validates it against that CRD
  // (the standard channel's schema reports retry: see test/audit-gateway-api.test.ts)
  expect(retried.meshRoute.metadata.annotations).toEqual({ 'noops.io/gateway-api-channel': 'experimental' });
  expect(allSchemaProblems(retried.docs)).toEqual([]);
  const unannotated = retried.docs.map((d: any) => (d.kind === 'HTTPRoute' ? { ...d, metadata: { ...d.metadata, annotations: undefined } } : d));
  expect(allSchemaProblems(unannotated).join('\n')).toMatch(/retry/);
  // without retries, no route is marked experimental
  expect(meshRoute.metadata.annotations).toBeUndefined();
});

test('mesh: false renders the gateway route only; no gateway renders the mesh route only', () => {
  const north = renderGatewayApi({}, { mesh: false });
  expect(north.meshRoute).toBeUndefined();
  expect(north.canary.httpRoutes.map((r) => r.metadata.name)).toEqual(['shop-gateway']);
  expect(north.canary.gateways).toEqual(['shop/public']);
  const east = renderGatewayApi({}, { gateway: false });
  expect(east.gatewayRoute).toBeUndefined();
  expect(east.canary.httpRoutes.map((r) => r.metadata.name)).toEqual(['shop']);
  expect(east.canary.virtualService).toBeUndefined();
  expect(east.canary.destinationRules).toEqual([]);
});

test('a Gateway in another namespace is named in the parentRef; one referenced by name is not checked against listeners', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  new CanaryRelease(chart, 'shop', {
    versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1',
    trafficApi: TrafficApi.gatewayApi({ gateway: Gateway.fromGatewayName('public', 'infra'), hostnames: ['anything.example.org'] }),
  });
  const route = Testing.synth(chart).find((d) => d.metadata.name === 'shop-gateway');
  expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra' }]);
});

test('hostnames intersect wildcard listeners; allowedRoutes All admits another namespace', () => {
  const app = Testing.app();
  const infra = new Chart(app, 'infra', { namespace: 'infra' });
  const gateway = new Gateway(infra, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: '*.example.com', allowedRoutes: RouteNamespaces.all() }] });
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  expect(() => new CanaryRelease(chart, 'shop', {
    versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: [HOST] }),
  })).not.toThrow();
});

// ------------------------------------------------------------------------------------ the Gateway construct

describe('Gateway', () => {
  const render = (listeners: GatewayListener[], namespace: string | null = 'infra') => {
    const chart = new Chart(Testing.app(), 'test', { namespace: namespace ?? undefined });
    const gateway = new Gateway(chart, 'public', { gatewayClassName: 'eg', listeners });
    return { gateway, docs: Testing.synth(chart) };
  };

  test('HTTP and HTTPS listeners with defaults, and a ReferenceGrant for a Secret in another namespace (snapshot)', () => {
    const { docs, gateway } = render([
      { name: 'http', protocol: ListenerProtocol.HTTP, hostname: HOST },
      { name: 'https', protocol: ListenerProtocol.HTTPS, hostname: HOST, certificateRefs: [{ name: 'shop-tls', namespace: 'certs' }, { name: 'local-tls' }], allowedRoutes: RouteNamespaces.selector({ team: 'shop' }) },
    ]);
    expect(docs).toMatchSnapshot();
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs[0].spec.listeners.map((l: any) => [l.name, l.port, l.allowedRoutes.namespaces.from])).toEqual([['http', 80, 'Same'], ['https', 443, 'Selector']]);
    expect(docs[0].spec.listeners[1].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'shop-tls', namespace: 'certs' }, { group: '', kind: 'Secret', name: 'local-tls' }]);
    expect(gateway.referenceGrants).toHaveLength(1);
    expect(docs[1]).toMatchObject({
      kind: 'ReferenceGrant',
      metadata: { name: 'public-infra', namespace: 'certs' },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra' }], to: [{ group: '', kind: 'Secret', name: 'shop-tls' }] },
    });
  });

  test('no ReferenceGrant when every Secret is in the Gateway\'s namespace', () => {
    const { docs } = render([{ name: 'https', protocol: ListenerProtocol.HTTPS, certificateRefs: [{ name: 'tls', namespace: 'infra' }] }]);
    expect(docs.map((d) => d.kind)).toEqual(['Gateway']);
    expect(docs[0].spec.listeners[0].tls.certificateRefs).toEqual([{ group: '', kind: 'Secret', name: 'tls' }]);
  });

  test.each([
    ['HTTPS without certificateRefs', [{ name: 'https', protocol: ListenerProtocol.HTTPS }], /Gateway 'public': listeners\[0\] 'https' is HTTPS without certificateRefs; name the kubernetes.io\/tls Secret/],
    ['HTTP with certificateRefs', [{ name: 'http', protocol: ListenerProtocol.HTTP, certificateRefs: [{ name: 'x' }] }], /'http' is HTTP but has certificateRefs; use ListenerProtocol.HTTPS/],
    ['a listener name twice', [{ name: 'http', protocol: ListenerProtocol.HTTP }, { name: 'http', protocol: ListenerProtocol.HTTP, port: 8080 }], /listeners\[1\] name 'http' is used by another listener/],
    ['an IP hostname', [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: '10.0.0.1' }], /listeners\[0\] hostname '10.0.0.1' is not a DNS name or leading wildcard; use e.g./],
    ['one port for HTTP and HTTPS', [{ name: 'a', protocol: ListenerProtocol.HTTP, port: 8443 }, { name: 'b', protocol: ListenerProtocol.HTTPS, port: 8443, hostname: HOST, certificateRefs: [{ name: 'x' }] }], /'b' serves HTTPS on port 8443, where listener 'a' serves HTTP/],
    ['two listeners for one port and hostname', [{ name: 'a', protocol: ListenerProtocol.HTTP }, { name: 'b', protocol: ListenerProtocol.HTTP }], /'b' serves port 80 and hostname '\(any\)' like listener 'a'/],
    ['an unknown protocol (JavaScript)', [{ name: 'a', protocol: 'TCP' as ListenerProtocol }], /listeners\[0\] protocol 'TCP' is not HTTP or HTTPS/],
    ['no listener', [], /listeners \[\] is not a non-empty list/],
  ])('fails if %s', (_what, listeners, message) => {
    expect(() => render(listeners as GatewayListener[])).toThrow(message);
  });

  test('fails if a Secret is in another namespace but the Gateway has none (its ReferenceGrant could not name it)', () => {
    expect(() => render([{ name: 'https', protocol: ListenerProtocol.HTTPS, certificateRefs: [{ name: 'tls', namespace: 'certs' }] }], null))
      .toThrow(/certificateRefs\[0\] is in namespace 'certs', but the Gateway has no namespace, so its ReferenceGrant cannot name it; give the chart a namespace/);
  });

  test('fails if gatewayClassName is not a name', () => {
    expect(() => new Gateway(new Chart(Testing.app(), 't'), 'g', { gatewayClassName: 'Not A Class', listeners: [HTTP] }))
      .toThrow(/Gateway 'g': gatewayClassName 'Not A Class' is not a GatewayClass name; name the GatewayClass/);
  });
});

// ------------------------------------------------------------------------------------ refused at synth

describe('CanaryRelease on the Gateway API fails if', () => {
  test.each<[string, Partial<CanaryReleaseProps>, Parameters<typeof renderGatewayApi>[1], RegExp]>([
    ['the weights do not sum to 100', { plan: undefined, stages: [{ name: 's', weights: { v1: 90, v2: 5 } }], stage: 's' }, {},
      /CanaryRelease 'shop': stage 's' weights sum to 95 \(v1=90, v2=5\); they must sum to 100/],
    ['a route names an unknown version', { plan: undefined, stages: [{ name: 's', weights: { v1: 100 }, routes: [{ match: RouteMatch.header('user', 'a'), version: 'v3' }] }], stage: 's' }, {},
      /stage 's' route 1 sends to unknown version 'v3'; use one of 'v1', 'v2'/],
    ['a regex RE2 cannot evaluate', { plan: undefined, stages: [{ name: 's', weights: { v1: 100 }, routes: [{ match: RouteMatch.header('user', StringMatch.regex('(?!bot).*')), version: 'v2' }] }], stage: 's' }, {},
      /header 'user' regex '\(\?!bot\)\.\*' uses a lookahead '\(\?!', which RE2 \(Istio\/Envoy\) rejects/],
    ['a blue/green previewHost without a gateway (its HTTPRoute attaches to one)', { plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.example.com' }), stage: 'active' }, { gateway: false },
      /CanaryRelease 'shop': the plan's preview host 'preview.example.com' is served through a Gateway \(an HTTPRoute of its own\), but TrafficApi.gatewayApi has no gateway; set TrafficApi.gatewayApi\(\{ gateway \}\), or use CanaryPlan.blueGreen's previewHeader/],
    ['a blue/green previewHost no listener accepts', { plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.example.org' }), stage: 'active' }, {},
      /CanaryRelease 'shop': preview hosts\[0\] 'preview.example.org' is accepted by no listener of Gateway 'public'/],
    ['a blue/green previewHost that is also a route hostname', { plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: HOST }), stage: 'active' }, {},
      /the plan's preview host 'shop.example.com' is also in trafficApi hostnames, so the release's route and its preview route would serve the same hostname; drop 'shop.example.com' from hostnames/],
    ['an authority RouteMatch', { plan: undefined, stages: [{ name: 's', weights: { v1: 100 }, routes: [{ name: 'host', match: RouteMatch.authority(StringMatch.exact('a.example.com')), version: 'v2' }] }], stage: 's' }, {},
      /stage 's' route 'host' matches authority exact 'a.example.com' \(authority exact 'a.example.com'\), which the Gateway API \(HTTPRoute\) cannot match inside a rule: it selects hosts with hostnames only; match a header instead/],
    ['a later route to another version is more specific than an earlier one (Gateway API precedence is not declaration order)',
      { plan: undefined, stages: [{ name: 's', weights: { v1: 100 }, routes: [{ name: 'a', match: RouteMatch.header('user', 'yoichi'), version: 'v2' }, { name: 'b', match: RouteMatch.header('user', StringMatch.regex('.*')).and(RouteMatch.header('x-beta', '1')), version: 'v1' }] }], stage: 's' }, {},
      /stage 's' route 'b' \(header user regex '\.\*' and header x-beta exact '1'\) is more specific than the earlier route 'a' \(header user exact 'yoichi'\), so the Gateway API, which orders HTTPRoute rules by specificity .* would send requests matching both to 'v1' instead of 'v2'; make the earlier route at least as specific/],
    ['sticky', { sticky: {} }, {}, /sticky is not rendered by the Gateway API \(TrafficApi.gatewayApi\)/],
    ['trafficPolicy', { trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }, {}, /trafficPolicy is a DestinationRule setting, which the Gateway API \(TrafficApi.gatewayApi\) does not render/],
    ['retries without the experimental opt-in', { retries: { attempts: 3 } }, {},
      /retries needs HTTPRoute retry, which the Gateway API \(TrafficApi.gatewayApi\) renders only from the experimental channel \(Gateway API v1.6.1\); install the experimental-channel CRDs and set TrafficApi.gatewayApi\(\{ experimental: true \}\)/],
    ['retryOn names a condition, not a status code', { retries: { attempts: 3, retryOn: 'gateway-error' } }, { experimental: true }, /retries.retryOn 'gateway-error' has 'gateway-error', which the HTTPRoute retry cannot express/],
    ['corsPolicy', { corsPolicy: { allowOrigins: [{ exact: 'https://a.example.com' }] } }, {}, /corsPolicy is not rendered by the Gateway API/],
    ['a hostname no listener accepts', {}, { hostnames: ['other.example.org'] },
      /CanaryRelease 'shop': gateway hosts\[0\] 'other.example.org' is accepted by no listener of Gateway 'public' \(listeners: 'http' \(HTTP 80 shop.example.com\)\); add a listener whose hostname is 'other.example.org'/],
    ['hostnames without a gateway', { trafficApi: TrafficApi.gatewayApi({ hostnames: [HOST] }) }, { gateway: false }, /trafficApi hostnames 'shop.example.com' are set without a gateway; set gateway/],
    ['an IP hostname', {}, { hostnames: ['10.1.2.3'] }, /trafficApi hostnames\[0\] '10.1.2.3' is not a DNS name or leading wildcard/],
    ['neither gateway nor mesh', {}, { gateway: false, mesh: false }, /TrafficApi.gatewayApi has neither gateway nor mesh, so no HTTPRoute would attach anywhere/],
    ['an Istio apiVersion', { apiVersion: IstioApiVersion.V1BETA1 }, {}, /apiVersion 'networking.istio.io\/v1beta1' \(the Istio API version\) is set with TrafficApi.gatewayApi, which renders no Istio object; drop apiVersion/],
    ['an Istio CanaryGateway', { gateway: CanaryGateway.create({ hosts: [HOST] }) }, {}, /gateway \(an Istio CanaryGateway\) is set with TrafficApi.gatewayApi; attach to a Gateway API Gateway/],
  ])('%s', (_what, props, options, message) => {
    expect(() => renderGatewayApi(props, options)).toThrow(message);
  });

  test('the Gateway admits no route from the release\'s namespace', () => {
    const app = Testing.app();
    const gateway = new Gateway(new Chart(app, 'infra', { namespace: 'infra' }), 'public', { gatewayClassName: 'istio', listeners: [HTTP] });
    expect(() => new CanaryRelease(new Chart(app, 'test', { namespace: 'shop' }), 'shop', {
      versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: [HOST] }),
    })).toThrow(/no listener of Gateway 'public' \(namespace 'infra'\) admits HTTPRoutes from namespace 'shop' .*; set allowedRoutes on a listener to RouteNamespaces.all\(\)/);
  });

  test('another release serves the same hostname on the same Gateway (reported at synth on the later one)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const gateway = new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: '*.example.com' }] });
    const release = (id: string, hostnames: string[]) => new CanaryRelease(chart, id, {
      versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ gateway, hostnames }),
    });
    release('shop', [HOST]);
    release('blog', ['blog.example.com']);
    expect(() => Testing.synth(chart)).not.toThrow();
    release('shop2', ['*.example.com']);
    expect(() => Testing.synth(chart)).toThrow(/CanaryRelease 'shop2': its HTTPRoute on Gateway 'shop\/public' serves hostname '\*.example.com' like CanaryRelease 'shop''s, .* so one release's weights are never used; serve each hostname from one release/);
  });

  test('trafficApi is not a TrafficApi (JavaScript)', () => {
    expect(() => renderGatewayApi({ trafficApi: { api: 'gateway-api' } as unknown as TrafficApi })).toThrow(/trafficApi is not a TrafficApi; use TrafficApi.istio\(\) or TrafficApi.gatewayApi/);
  });
});

test('TrafficApi.gatewayApi sectionName attaches the gateway route to one listener, checked against the Gateway\'s listeners', () => {
  const listeners: GatewayListener[] = [HTTP, { name: 'https', protocol: ListenerProtocol.HTTPS, hostname: HOST, certificateRefs: [{ name: 'shop-tls' }] }];
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const gateway = new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners });
  new CanaryRelease(chart, 'shop', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: [HOST], sectionName: 'https' }) });
  const docs = Testing.synth(chart);
  expect(allSchemaProblems(docs)).toEqual([]);
  expect(docs.find((d) => d.metadata.name === 'shop-gateway').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'https' }]);
  // the mesh route (GAMMA) has no listener
  expect(docs.find((d) => d.kind === 'HTTPRoute' && d.metadata.name === 'shop').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'shop' }]);
});

test('fails if TrafficApi.gatewayApi sectionName names no listener, or is set without a gateway', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const gateway = new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [HTTP] });
  expect(() => new CanaryRelease(chart, 'a', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: [HOST], sectionName: 'https' }) }))
    .toThrow(/CanaryRelease 'a': sectionName 'https' names no listener of Gateway 'public' \(listeners: 'http' \(HTTP 80 shop.example.com\)\); name one of its listeners \('http'\)/);
  expect(() => new CanaryRelease(chart, 'b', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ sectionName: 'http' }) }))
    .toThrow(/CanaryRelease 'b': trafficApi sectionName 'http' is set without a gateway; set gateway/);
  expect(() => new CanaryRelease(chart, 'c', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', trafficApi: TrafficApi.gatewayApi({ gateway, sectionName: 'Not A Name' }) }))
    .toThrow(/CanaryRelease 'c': trafficApi sectionName 'Not A Name' is not a listener name/);
});
