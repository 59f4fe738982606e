import { Chart, Duration, Testing } from 'cdk8s';
import { RE2 } from 're2-wasm';
import { MYVERSION_PLAN } from '../apps/myversion';
import {
  CanaryGateway, CanaryMode, CanaryPlan, CanaryRelease, CanaryReleaseProps, CanaryStage, IstioApiVersion, MeshNamespace,
  Protocol, RouteMatch, StringMatch,
} from '../lib';
import { allSchemaProblems } from './support/schema';

const IMAGE = 'hashicorp/http-echo:1.0';
const V1_V2 = [{ name: 'v1', image: IMAGE, args: ['-text=v1'] }, { name: 'v2', image: IMAGE, args: ['-text=v2'] }];

function render(props: Partial<CanaryReleaseProps>, namespace = 'shop') {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  const canary = new CanaryRelease(chart, 'shop', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', ...props });
  const docs = Testing.synth(chart);
  const find = (kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
  return { canary, docs, find, vs: find('VirtualService'), dr: find('DestinationRule') };
}

/** `subset=weight` of the default (last) route. */
function defaultWeights(vs: any): Record<string, number> {
  const routes = vs.spec.http;
  return Object.fromEntries(routes[routes.length - 1].route.map((r: any) => [r.destination.subset ?? r.destination.host, r.weight]));
}

const matchesLabels = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

// ------------------------------------------------------------------------------------ per stage

describe.each(MYVERSION_PLAN.stages.map((s) => [s.name, s] as const))('myversion stage %s', (name, stage) => {
  const { docs, vs, dr, find } = render({ stage: name });

  test('every document is schema-valid (Istio CRD schema, unknown fields rejected)', () => {
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('snapshot', () => {
    expect(docs).toMatchSnapshot();
  });

  test('the default route carries the stage weights (zero-weight versions left out)', () => {
    const expected = Object.fromEntries(Object.entries(stage.weights).filter(([, w]) => w > 0));
    expect(defaultWeights(vs)).toEqual(expected);
    const sum = Object.values(defaultWeights(vs)).reduce((a, b) => a + b, 0);
    expect(sum).toBe(100);
  });

  test('DestinationRule subsets select exactly the pods of their version, through the one Service', () => {
    const service = find('Service', 'shop');
    expect(docs.filter((d) => d.kind === 'Service')).toHaveLength(1);
    expect(dr.spec.host).toBe('shop');
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    for (const subset of dr.spec.subsets) {
      const selected = docs.filter((d) => d.kind === 'Deployment'
        && matchesLabels({ ...service.spec.selector, ...subset.labels }, d.spec.template.metadata.labels));
      expect(selected.map((d) => d.metadata.name)).toEqual([`shop-${subset.name}`]);
    }
  });

  test('the VirtualService serves the Service host to the mesh', () => {
    expect(vs.spec.hosts).toEqual(['shop']);
    expect(vs.spec.gateways).toBeUndefined();
  });
});

test('stage user-v2: the header route comes before the weighted default route', () => {
  const { vs } = render({ stage: 'user-v2' });
  expect(vs.spec.http.map((r: any) => r.name)).toEqual(['user-yoichi', 'default']);
  expect(vs.spec.http[0].match).toEqual([{ headers: { user: { regex: 'yoichi' } } }]);
  expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'shop', subset: 'v2', port: { number: 80 } } }]);
  expect(defaultWeights(vs)).toEqual({ v1: 100 });
});

test('one Deployment per version named <name>-<version>, labelled app=<name>, version=<version>', () => {
  const { docs, canary } = render({});
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  expect(deployments.map((d) => d.metadata.name)).toEqual(['shop-v1', 'shop-v2']);
  for (const d of deployments) {
    const version = d.metadata.name.replace('shop-', '');
    expect(d.spec.selector.matchLabels).toEqual({ app: 'shop', version });
    expect(d.spec.template.metadata.labels).toMatchObject({ app: 'shop', version });
  }
  expect(canary.workloads.v2.deployment.metadata.name).toBe('shop-v2');
  expect(canary.workloads.v1.service).toBeUndefined();
  expect(canary.service?.name).toBe('shop');
  expect(canary.destinationRule).toBe(canary.destinationRules[0]);
});

// ------------------------------------------------------------------------------------ stage selection

describe('stage selection', () => {
  // Save every variable these tests touch before each test and put back its previous value (or its absence) after.
  const VARS = ['CANARY_STAGE', 'SHOP_STAGE'];
  let saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  });
  afterEach(() => {
    for (const k of VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test('CANARY_STAGE picks the stage when the stage prop is not set', () => {
    process.env.CANARY_STAGE = 'canary';
    const { canary, vs } = render({ stage: undefined });
    expect(canary.stage.name).toBe('canary');
    expect(defaultWeights(vs)).toEqual({ v1: 90, v2: 10 });
  });

  test('the stage prop wins over CANARY_STAGE', () => {
    process.env.CANARY_STAGE = 'canary';
    expect(render({ stage: 'promoted' }).canary.stage.name).toBe('promoted');
  });

  test('stageEnvVar names another variable', () => {
    process.env.SHOP_STAGE = 'promoted';
    expect(render({ stage: undefined, stageEnvVar: 'SHOP_STAGE' }).canary.weights).toEqual({ v1: 0, v2: 100 });
  });

  test('fails if no stage is selected', () => {
    delete process.env.CANARY_STAGE;
    expect(() => render({ stage: undefined })).toThrow(/no stage is selected .*set stage or CANARY_STAGE to one of 'all-v1', 'canary', 'user-v2', 'promoted'/);
  });

  test('fails if the selected stage does not exist, listing the valid ones', () => {
    expect(() => render({ stage: 'canary-10' })).toThrow(/stage 'canary-10' \(from the stage prop\) does not exist; use one of 'all-v1', 'canary', 'user-v2', 'promoted'/);
    process.env.CANARY_STAGE = 'nope';
    expect(() => render({ stage: undefined })).toThrow(/stage 'nope' \(from CANARY_STAGE\) does not exist/);
  });
});

// ------------------------------------------------------------------------------------ plans

describe('plans', () => {
  test('progressive: stable -> canary-<p> -> promoted', () => {
    const plan = CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 25, 50] });
    expect(plan.stages.map((s) => s.name)).toEqual(['stable', 'canary-10', 'canary-25', 'canary-50', 'promoted']);
    const { vs, docs } = render({ plan, stage: 'canary-25' });
    expect(defaultWeights(vs)).toEqual({ v1: 75, v2: 25 });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs).toMatchSnapshot();
  });

  test('blue/green: preview via header and preview host, then promoted', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHeader: { name: 'x-preview', value: 'true' }, previewHost: 'preview.shop.example.com' });
    const gateway = CanaryGateway.create({ hosts: ['shop.example.com'] });
    const active = render({ plan, stage: 'active', gateway });
    expect(allSchemaProblems(active.docs)).toEqual([]);
    expect(active.docs).toMatchSnapshot();
    const http = active.vs.spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['preview', 'default']);
    expect(http[0].match).toEqual([
      { headers: { 'x-preview': { exact: 'true' } } },
      { authority: { regex: 'preview\\.shop\\.example\\.com(:[0-9]+)?' } },
    ]);
    expect(http[0].route[0].destination.subset).toBe('v2');
    expect(defaultWeights(active.vs)).toEqual({ v1: 100 });
    expect(active.vs.spec.hosts).toEqual(['shop', 'shop.example.com', 'preview.shop.example.com']);
    expect(active.find('Gateway').spec.servers[0].hosts).toEqual(['shop.example.com', 'preview.shop.example.com']);

    const promoted = render({ plan, stage: 'promoted', gateway });
    expect(promoted.vs.spec.http.map((r: any) => r.name)).toEqual(['default']);
    expect(defaultWeights(promoted.vs)).toEqual({ v2: 100 });
  });
});

// ------------------------------------------------------------------------------------ features

test('match kinds render in order: header exact/prefix/regex, cookie, uri prefix; all before the default route', () => {
  const stage: CanaryStage = {
    name: 'matches',
    weights: { v1: 100 },
    routes: [
      { match: RouteMatch.header('x-exact', 'a'), version: 'v2' },
      { match: RouteMatch.header('x-prefix', StringMatch.prefix('b')), version: 'v2' },
      { match: RouteMatch.header('x-regex', StringMatch.regex('c|d')).and(RouteMatch.uriPrefix('/api')), version: 'v2' },
      { match: RouteMatch.cookie('beta', 'yes'), version: 'v2' },
      { match: [RouteMatch.uriPrefix('/v2'), RouteMatch.uri(StringMatch.regex('/next/.*'))], version: 'v2', name: 'v2-paths' },
    ],
  };
  const { vs, docs } = render({ stages: [stage], plan: undefined, stage: 'matches' });
  expect(allSchemaProblems(docs)).toEqual([]);
  expect(vs.spec.http.map((r: any) => r.match)).toEqual([
    [{ headers: { 'x-exact': { exact: 'a' } } }],
    [{ headers: { 'x-prefix': { prefix: 'b' } } }],
    [{ headers: { 'x-regex': { regex: 'c|d' } }, uri: { prefix: '/api' } }],
    [{ headers: { cookie: { regex: '^(.*?;\\s*)?beta=yes(;.*)?$' } } }],
    [{ uri: { prefix: '/v2' } }, { uri: { regex: '/next/.*' } }],
    undefined,
  ]);
  expect(vs.spec.http.map((r: any) => r.name)).toEqual(['matches-match-1', 'matches-match-2', 'matches-match-3', 'matches-match-4', 'v2-paths', 'default']);
});

test('timeout, retries, corsPolicy, headers and rewrite pass through to every route; mirror to the default route', () => {
  const stages: CanaryStage[] = [{
    name: 'shadow', weights: { v1: 100 }, mirror: { version: 'v2', percentage: 25 },
    routes: [{ match: RouteMatch.header('user', 'yoichi'), version: 'v2' }],
  }];
  const { vs, docs } = render({
    stages, plan: undefined, stage: 'shadow',
    timeout: Duration.seconds(5),
    retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
    corsPolicy: { allowOrigins: [{ exact: 'https://shop.example.com' }], allowMethods: ['GET'] },
    headers: { request: { set: { 'x-canary-stage': 'shadow' } } },
    rewrite: { uri: '/' },
  });
  expect(allSchemaProblems(docs)).toEqual([]);
  expect(docs).toMatchSnapshot();
  for (const route of vs.spec.http) {
    expect(route).toMatchObject({
      timeout: '5s',
      retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx,reset' },
      corsPolicy: { allowOrigins: [{ exact: 'https://shop.example.com' }], allowMethods: ['GET'] },
      headers: { request: { set: { 'x-canary-stage': 'shadow' } } },
      rewrite: { uri: '/' },
    });
  }
  const last = vs.spec.http[vs.spec.http.length - 1];
  expect(last.mirror).toEqual({ host: 'shop', subset: 'v2', port: { number: 80 } });
  expect(last.mirrorPercentage).toEqual({ value: 25 });
  expect(vs.spec.http[0].mirror).toBeUndefined();
});

describe('sticky canary', () => {
  const sticky = { cookieName: 'shop-v', maxAge: Duration.hours(6) };

  test('a split stage sets a cookie on the canary destination only and matches it before the weighted route, after the match routes', () => {
    const stages: CanaryStage[] = [{ name: 'canary', weights: { v1: 90, v2: 10 }, routes: [{ match: RouteMatch.header('user', 'yoichi'), version: 'v2' }] }];
    const { vs, docs } = render({ stages, plan: undefined, stage: 'canary', sticky });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs).toMatchSnapshot();
    const http = vs.spec.http;
    // v1 (the first declared version) is the stable one: no cookie, no cookie route.
    expect(http.map((r: any) => r.name)).toEqual(['canary-match-1', 'sticky-v2', 'default']);
    expect(http[1].route).toEqual([{ destination: { host: 'shop', subset: 'v2', port: { number: 80 } } }]);
    expect(http[2].route.map((r: any) => r.headers?.response.add['set-cookie'])).toEqual([
      undefined,
      'shop-v=v2; Max-Age=21600; Path=/; HttpOnly; SameSite=Lax',
    ]);
    // The cookie regex is RE2 and matches the cookie anywhere in the header, and only that version.
    const re = new RE2(http[1].match[0].headers.cookie.regex, 'u');
    expect(re.test('a=b; shop-v=v2; c=d')).toBe(true);
    expect(re.test('shop-v=v2')).toBe(true);
    expect(re.test('shop-v=v22')).toBe(false);
    expect(re.test('xshop-v=v2')).toBe(false);
  });

  test('a progressive plan never sets the cookie for its stable version, even once the canary has the larger weight', () => {
    const plan = CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 75] });
    const { vs, docs } = render({ plan, stage: 'canary-75', sticky });
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['sticky-v2', 'default']);
    expect(defaultWeights(vs)).toEqual({ v1: 25, v2: 75 });
    expect(vs.spec.http[1].route[0].headers).toBeUndefined();
    expect(vs.spec.http[1].route[1].headers.response.add['set-cookie']).toMatch(/^shop-v=v2;/);
  });

  test('a blue/green plan treats the active version as stable; with three versions every non-stable split version gets a cookie', () => {
    const versions = [...V1_V2, { name: 'v3', image: IMAGE, args: ['-text=v3'] }];
    const stages: CanaryStage[] = [{ name: 'abc', weights: { v1: 50, v2: 30, v3: 20 } }];
    const { vs } = render({ versions, stages, plan: undefined, stage: 'abc', sticky });
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['sticky-v2', 'sticky-v3', 'default']);
    const bg = CanaryPlan.blueGreen({ active: 'v2', preview: 'v1', previewHeader: { name: 'x-preview', value: '1' } });
    expect(bg.stable).toBe('v2');
  });

  test('the cookie is Secure when the created gateway serves only HTTPS (HTTP redirected)', () => {
    const https = CanaryGateway.create({ hosts: ['shop.example.com'], httpsCredentialName: 'shop-tls', redirectHttpToHttps: true });
    const both = CanaryGateway.create({ hosts: ['shop.example.com'], httpsCredentialName: 'shop-tls' });
    const cookie = (gateway: CanaryGateway) => render({ stage: 'canary', sticky, gateway }).vs.spec.http.slice(-1)[0].route[1].headers.response.add['set-cookie'];
    expect(cookie(https)).toBe('shop-v=v2; Max-Age=21600; Path=/; HttpOnly; SameSite=Lax; Secure');
    expect(cookie(both)).toBe('shop-v=v2; Max-Age=21600; Path=/; HttpOnly; SameSite=Lax');
  });

  test('the stage mirror is copied onto the cookie routes, except onto a route to the mirrored version itself', () => {
    const versions = [...V1_V2, { name: 'v3', image: IMAGE, args: ['-text=v3'] }];
    const stages: CanaryStage[] = [{ name: 'abc', weights: { v1: 80, v2: 10, v3: 10 }, mirror: { version: 'v3', percentage: 50 } }];
    const { vs, docs } = render({ versions, stages, plan: undefined, stage: 'abc', sticky });
    expect(allSchemaProblems(docs)).toEqual([]);
    const [stickyV2, stickyV3, dflt] = vs.spec.http;
    expect(stickyV2.name).toBe('sticky-v2');
    expect(stickyV2.mirror).toEqual({ host: 'shop', subset: 'v3', port: { number: 80 } });
    expect(stickyV2.mirrorPercentage).toEqual({ value: 50 });
    expect(stickyV3.name).toBe('sticky-v3');
    expect(stickyV3.mirror).toBeUndefined();
    expect(dflt.mirror).toEqual(stickyV2.mirror);
    expect(dflt.mirrorPercentage).toEqual({ value: 50 });
  });

  test('fails if sticky maxAge is not a whole number of seconds', () => {
    expect(() => render({ stage: 'canary', sticky: { maxAge: Duration.millis(1500) } }))
      .toThrow(/CanaryRelease 'shop': sticky maxAge 1 second 500 millis \(1.5s\) is not a whole number of seconds >= 1; use whole seconds/);
    expect(() => render({ stage: 'canary', sticky: { maxAge: Duration.millis(0) } })).toThrow(/sticky maxAge .* is not a whole number of seconds >= 1/);
  });

  test('a stage with one version at 100% renders no cookie routes', () => {
    const { vs } = render({ stage: 'promoted', sticky });
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['default']);
    expect(vs.spec.http[0].route[0].headers).toBeUndefined();
  });

  test('fails if sticky is combined with a DestinationRule consistent hash', () => {
    expect(() => render({ sticky, trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'x', ttl: '0s' } } } } }))
      .toThrow(/CanaryRelease 'shop': sticky is combined with a trafficPolicy consistentHash; remove the consistentHash.*istio\/istio#9764/);
    expect(() => render({ sticky, trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, loadBalancer: { consistentHash: { useSourceIp: true } } }] } }))
      .toThrow(/consistentHash/);
  });
});

test('trafficPolicy passes through to the DestinationRule', () => {
  const { dr, docs } = render({ trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' as any } } });
  expect(dr.spec.trafficPolicy).toEqual({ loadBalancer: { simple: 'LEAST_REQUEST' } });
  expect(allSchemaProblems(docs)).toEqual([]);
});

describe('gateway', () => {
  test('creates an ingress Gateway (HTTP 80 + HTTPS 443) and binds the VirtualService to it and the mesh', () => {
    const gateway = CanaryGateway.create({ hosts: ['shop.example.com', '*.shop.example.com'], httpsCredentialName: 'shop-tls', redirectHttpToHttps: true });
    const { canary, vs, find, docs } = render({ gateway, stage: 'canary' });
    expect(allSchemaProblems(docs)).toEqual([]);
    const gw = find('Gateway');
    expect(gw.metadata.name).toBe('shop-gateway');
    expect(gw.spec).toEqual({
      selector: { istio: 'ingressgateway' },
      servers: [
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['shop.example.com', '*.shop.example.com'], tls: { httpsRedirect: true } },
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['shop.example.com', '*.shop.example.com'], tls: { mode: 'SIMPLE', credentialName: 'shop-tls' } },
      ],
    });
    // A wildcard host is never bound to mesh (it would capture in-mesh calls to any matching host):
    // the mesh VirtualService serves the Service, a second one serves the gateway hosts with the same routes.
    expect(vs.metadata.name).toBe('shop');
    expect(vs.spec.hosts).toEqual(['shop']);
    expect(vs.spec.gateways).toEqual(['mesh']);
    const gvs = find('VirtualService', 'shop-gateway');
    expect(gvs.spec.hosts).toEqual(['shop.example.com', '*.shop.example.com']);
    expect(gvs.spec.gateways).toEqual(['shop-gateway']);
    expect(gvs.spec.http).toEqual(vs.spec.http);
    expect(canary.gatewayVirtualService).toBeDefined();
    expect(canary.gateway).toBeDefined();
  });

  test('fails at synth if another release serves the same gateway host (Istio merges or drops one)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const gateway = () => CanaryGateway.create({ hosts: ['shop.example.com'] });
    new CanaryRelease(chart, 'shop', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', gateway: gateway() });
    new CanaryRelease(chart, 'cart', { versions: V1_V2, port: 5678, plan: MYVERSION_PLAN, stage: 'all-v1', gateway: gateway() });
    expect(() => app.synth()).toThrow(/CanaryRelease 'shop': VirtualService 'cart' also serves gateway host 'shop.example.com': Istio merges or drops VirtualServices for the same gateway host/);
  });

  test('without a wildcard host, one VirtualService serves the Service and the gateway hosts, bound to the gateway and mesh', () => {
    const { canary, vs, docs } = render({ gateway: CanaryGateway.create({ hosts: ['shop.example.com'] }), stage: 'canary' });
    expect(vs.spec.hosts).toEqual(['shop', 'shop.example.com']);
    expect(vs.spec.gateways).toEqual(['shop-gateway', 'mesh']);
    expect(docs.filter((d) => d.kind === 'VirtualService')).toHaveLength(1);
    expect(canary.gatewayVirtualService).toBeUndefined();
  });

  test('binds to an existing Gateway by name', () => {
    const { canary, vs, find } = render({ gateway: CanaryGateway.fromName('istio-system/public', ['shop.example.com']) });
    expect(find('Gateway')).toBeUndefined();
    expect(canary.gateway).toBeUndefined();
    expect(vs.spec.gateways).toEqual(['istio-system/public', 'mesh']);
    expect(vs.spec.hosts).toEqual(['shop', 'shop.example.com']);
  });

  test.each([['Shop.example.com'], ['*'], ['shop_1.example.com'], ['10.0.0.1'], ['*.*.example.com']])('fails if a gateway host is %s', (host) => {
    expect(() => render({ gateway: CanaryGateway.create({ hosts: [host] }) }))
      .toThrow(new RegExp(`gateway hosts\\[0\\] '${host.replace(/[.*]/g, '\\$&')}' is not a DNS name or wildcard; use a lowercase DNS name`));
  });

  test.each([
    ['payments', /gateway hosts\[0\] 'payments' is a short name, which in-mesh callers resolve to a Service; use an external name/],
    ['*.com', /gateway hosts\[0\] '\*\.com' covers a whole top-level domain; put at least two labels after '\*\.'/],
    ['*.svc.cluster.local', /gateway hosts\[0\] '\*\.svc\.cluster\.local' is at or under 'cluster\.local', which names in-cluster Services; use an external name/],
    ['*.cluster.local', /'\*\.cluster\.local' is at or under 'cluster\.local'/],
    ['cluster.local', /'cluster\.local' is at or under 'cluster\.local'/],
    ['other.ns.svc.cluster.local', /'other\.ns\.svc\.cluster\.local' is at or under 'cluster\.local'/],
    ['other.ns.svc', /'other\.ns\.svc' is at or under 'svc'/],
    ['shop.shop', /gateway hosts\[0\] 'shop\.shop' is the release's in-cluster name '<name>\.<namespace>'/],
  ])('fails if a gateway host would capture in-mesh traffic: %s', (host, error) => {
    expect(() => render({ gateway: CanaryGateway.create({ hosts: [host] }) })).toThrow(error);
    expect(() => render({ gateway: CanaryGateway.fromName('istio-system/public', [host]) })).toThrow(error);
  });

  test('fails if a gateway host is the release\'s own name', () => {
    expect(() => render({ gateway: CanaryGateway.create({ hosts: ['shop'] }) }))
      .toThrow(/gateway hosts\[0\] 'shop' is the release's own name, which the VirtualService already serves in-mesh/);
  });

  test('a blue/green preview host through an existing Gateway must be one of its hosts (exactly or under a wildcard)', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.shop.example.com' });
    const listed = render({ plan, stage: 'active', gateway: CanaryGateway.fromName('istio-system/public', ['shop.example.com', 'preview.shop.example.com']) });
    expect(listed.vs.spec.hosts).toEqual(['shop', 'shop.example.com', 'preview.shop.example.com']);
    expect(allSchemaProblems(listed.docs)).toEqual([]);
    const wildcard = render({ plan, stage: 'active', gateway: CanaryGateway.fromName('istio-system/public', ['*.shop.example.com']) });
    expect(wildcard.vs.spec.hosts).toEqual(['shop']);
    expect(wildcard.find('VirtualService', 'shop-gateway').spec).toMatchObject({ hosts: ['*.shop.example.com', 'preview.shop.example.com'], gateways: ['istio-system/public'] });
    expect(allSchemaProblems(wildcard.docs)).toEqual([]);
  });

  test('a preview host also listed among a created gateway\'s hosts is served once; one that is the only host is an error', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.shop.example.com' });
    const { vs, find } = render({ plan, stage: 'active', gateway: CanaryGateway.create({ hosts: ['shop.example.com', 'preview.shop.example.com'] }) });
    expect(vs.spec.hosts).toEqual(['shop', 'shop.example.com', 'preview.shop.example.com']);
    expect(find('Gateway').spec.servers[0].hosts).toEqual(['shop.example.com', 'preview.shop.example.com']);
    expect(() => render({ plan, stage: 'active', gateway: CanaryGateway.create({ hosts: ['preview.shop.example.com'] }) }))
      .toThrow(/the plan's preview host 'preview.shop.example.com' is the only gateway host, so every request through the gateway would match the preview route/);
  });

  test('fails if a blue/green preview host is not served by the existing Gateway', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.shop.example.com' });
    expect(() => render({ plan, stage: 'active', gateway: CanaryGateway.fromName('istio-system/public', ['shop.example.com']) }))
      .toThrow(/the plan's preview host 'preview\.shop\.example\.com' is not among the hosts of gateway 'istio-system\/public' \('shop\.example\.com'\); add 'preview\.shop\.example\.com' to that Gateway's servers/);
  });

  test('fails if an existing gateway reference is malformed', () => {
    expect(() => render({ gateway: CanaryGateway.fromName('a/b/c', ['shop.example.com']) })).toThrow(/gateway name 'a\/b\/c' is not a Gateway reference/);
  });
});

test('apiVersion v1beta1 renders every Istio object as v1beta1 and validates', () => {
  const { docs } = render({ apiVersion: IstioApiVersion.V1BETA1, gateway: CanaryGateway.create({ hosts: ['shop.example.com'] }), stage: 'canary' });
  const istio = docs.filter((d) => d.apiVersion.startsWith('networking.istio.io/'));
  expect(istio.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
    'networking.istio.io/v1beta1 DestinationRule',
    'networking.istio.io/v1beta1 Gateway',
    'networking.istio.io/v1beta1 VirtualService',
  ]);
  expect(allSchemaProblems(docs)).toEqual([]);
});

test('multi-release mode routes between the releases\' own Services, with the same weights and matches', () => {
  const versions = [{ name: 'foolish-penguin', image: IMAGE }, { name: 'peeking-rabbit', image: IMAGE }];
  const stages: CanaryStage[] = [{
    name: 'split', weights: { 'foolish-penguin': 50, 'peeking-rabbit': 50 },
    routes: [{ match: RouteMatch.header('user', 'yoichi'), version: 'peeking-rabbit' }],
  }];
  const { docs, vs, canary } = render({ mode: CanaryMode.SERVICES, versions, stages, plan: undefined, stage: 'split', trafficPolicy: { connectionPool: { http: { maxRetries: 3 } } } });
  expect(allSchemaProblems(docs)).toEqual([]);
  expect(docs).toMatchSnapshot();
  expect(docs.filter((d) => d.kind === 'Service').map((d) => d.metadata.name)).toEqual(['foolish-penguin', 'peeking-rabbit', 'shop']);
  expect(docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name)).toEqual(['foolish-penguin', 'peeking-rabbit']);
  expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'peeking-rabbit', port: { number: 80 } } }]);
  expect(defaultWeights(vs)).toEqual({ 'foolish-penguin': 50, 'peeking-rabbit': 50 });
  expect(canary.destinationRules.map((d) => d.name)).toEqual(['foolish-penguin', 'peeking-rabbit']);
  expect(canary.destinationRule).toBeUndefined();
});

describe('MeshNamespace', () => {
  test('labels the namespace istio-injection=enabled, or istio.io/rev for a revision', () => {
    const chart = Testing.chart();
    new MeshNamespace(chart, 'a', { name: 'a' });
    new MeshNamespace(chart, 'b', { name: 'b', revision: '1-22-0' });
    const [a, b] = Testing.synth(chart);
    expect(a.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-noops', 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(b.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-noops', 'istio.io/rev': '1-22-0', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(allSchemaProblems([a, b])).toEqual([]);
  });

  test('fails if labels set the injection label themselves', () => {
    expect(() => new MeshNamespace(Testing.chart(), 'a', { name: 'a', labels: { 'istio-injection': 'disabled' } }))
      .toThrow(/MeshNamespace 'a': labels set istio-injection='disabled' \(MeshNamespace sets the injection label itself\); leave the injection labels to MeshNamespace/);
    expect(() => new MeshNamespace(Testing.chart(), 'b', { name: 'b', labels: { 'istio.io/rev': '1-22-0' } }))
      .toThrow(/MeshNamespace 'b': labels set istio.io\/rev='1-22-0'/);
  });
});

// ------------------------------------------------------------------------------------ bad input

describe('bad input', () => {
  const stage = (s: Partial<CanaryStage>): Partial<CanaryReleaseProps> => ({ stages: [{ name: 'bad', weights: { v1: 100 }, ...s }], plan: undefined, stage: 'bad' });

  test('fails if a weight is not an integer', () => {
    expect(() => render(stage({ weights: { v1: 89.5, v2: 10.5 } }))).toThrow(/CanaryRelease 'shop': stage 'bad' weight v1=89.5 is not an integer in 0-100/);
  });

  test('fails if a weight is outside 0-100', () => {
    expect(() => render(stage({ weights: { v1: 110, v2: -10 } }))).toThrow(/stage 'bad' weight v1=110 is not an integer in 0-100/);
  });

  test('fails if the weights do not sum to 100', () => {
    expect(() => render(stage({ weights: { v1: 90, v2: 5 } }))).toThrow(/CanaryRelease 'shop': stage 'bad' weights sum to 95 \(v1=90, v2=5\); they must sum to 100/);
  });

  test('fails if a stage names an unknown version', () => {
    expect(() => render(stage({ weights: { v1: 90, v3: 10 } }))).toThrow(/stage 'bad' weights name unknown version 'v3'; use one of 'v1', 'v2'/);
  });

  test('fails if a route names an unknown version', () => {
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('user', 'a'), version: 'v9' }] })))
      .toThrow(/stage 'bad' route 1 sends to unknown version 'v9'; use one of 'v1', 'v2'/);
  });

  test('fails if a stage that is not selected is bad too', () => {
    const stages: CanaryStage[] = [{ name: 'ok', weights: { v1: 100 } }, { name: 'later', weights: { v1: 50, v2: 40 } }];
    expect(() => render({ stages, plan: undefined, stage: 'ok' })).toThrow(/stage 'later' weights sum to 90/);
  });

  test('fails if a version name is duplicated', () => {
    expect(() => render({ versions: [V1_V2[0], V1_V2[1], { name: 'v1', image: IMAGE }] })).toThrow(/version 'v1' is declared twice; give every version a unique name/);
  });

  test('fails if a stage name is duplicated', () => {
    expect(() => render({ stages: [{ name: 'a', weights: { v1: 100 } }, { name: 'a', weights: { v2: 100 } }], plan: undefined, stage: 'a' }))
      .toThrow(/stage 'a' is declared twice; give every stage a unique name/);
  });

  test('fails if a plan\'s last stage does not send 100% to one version', () => {
    const plan = CanaryPlan.of([{ name: 'stable', weights: { v1: 100 } }, { name: 'half', weights: { v1: 50, v2: 50 } }]);
    expect(() => render({ plan, stage: 'stable' }))
      .toThrow(/plan's last stage 'half' does not send 100% to one version \(v1=50, v2=50\); end the plan with a stage that sends 100%/);
  });

  test('fails if a header regex uses a lookahead (JavaScript accepts it, RE2 does not)', () => {
    expect(() => new RegExp('(?=yoichi)yo.*')).not.toThrow();
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('user', StringMatch.regex('(?=yoichi)yo.*')), version: 'v2' }] })))
      .toThrow(/stage 'bad' route 1 header 'user' regex '\(\?=yoichi\)yo\.\*' uses a lookahead '\(\?=', which RE2 \(Istio\/Envoy\) rejects/);
  });

  test('fails if a header regex uses a backreference or lookbehind', () => {
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('user', StringMatch.regex('(a)\\1')), version: 'v2' }] }))).toThrow(/uses the backreference \\1/);
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('user', StringMatch.regex('(?<!x)a')), version: 'v2' }] }))).toThrow(/uses a lookbehind '\(\?<!'/);
  });

  test.each([
    ['caf\\u00e9', "the JavaScript escape \\\\u \\(use \\\\x\\{00e9\\} for a code point\\)"],
    ['\\u{e9}', 'the JavaScript escape \\\\u'],
    ['a\\cA', "the control escape \\\\cA \\(use \\\\x01"],
  ])('fails if a regex uses %s, a JavaScript escape re2-wasm translates but RE2 in Envoy rejects', (pattern, named) => {
    const stages = [{ name: 'x', weights: { v1: 100 }, routes: [{ match: RouteMatch.header('user', StringMatch.regex(pattern)), version: 'v2' }] }];
    expect(() => render({ plan: undefined, stages, stage: 'x' }))
      .toThrow(new RegExp(`uses ${named}.*which RE2 \\(Istio/Envoy\\) rejects although JavaScript accepts it; write the character with an RE2 escape`));
  });

  test('fails if an earlier, wider match shadows a route (uri prefix before a longer prefix, header regex .* before a value)', () => {
    const stages = (...routes: Array<{ match: RouteMatch; version: string }>) => [{ name: 'x', weights: { v1: 100 }, routes }];
    expect(() => render({ plan: undefined, stage: 'x', stages: stages({ match: RouteMatch.uriPrefix('/api'), version: 'v2' }, { match: RouteMatch.uriPrefix('/api/v2'), version: 'v1' }) }))
      .toThrow(/stage 'x' route 2 \(uri prefix '\/api\/v2'\) is shadowed by route 1, which matches all of its requests first; put the narrower route first \(before route 1\), or narrow route 1/);
    expect(() => render({ plan: undefined, stage: 'x', stages: stages(
      { match: RouteMatch.header('user', StringMatch.regex('.*')), version: 'v2' },
      { match: RouteMatch.header('user', StringMatch.exact('yoichi')), version: 'v1' },
    ) })).toThrow(/route 2 .* is shadowed by route 1, which matches all of its requests first/);
    // The narrower route first is fine, and so are conditions on different headers.
    expect(() => render({ plan: undefined, stage: 'x', stages: stages({ match: RouteMatch.uriPrefix('/api/v2'), version: 'v1' }, { match: RouteMatch.uriPrefix('/api'), version: 'v2' }) })).not.toThrow();
    expect(() => render({ plan: undefined, stage: 'x', stages: stages(
      { match: RouteMatch.header('user', StringMatch.regex('.*')), version: 'v2' },
      { match: RouteMatch.header('team', StringMatch.exact('a')), version: 'v1' },
    ) })).not.toThrow();
  });

  test('JavaScript callers get errors, not TypeErrors, for a missing versions list, weights or match', () => {
    expect(() => render({ versions: undefined as any })).toThrow(/CanaryRelease 'shop': versions 'undefined' is not a list; set versions to two or more/);
    expect(() => render({ plan: undefined, stage: 'x', stages: [{ name: 'x' } as any] })).toThrow(/stage 'x' has no weights; give weights per version/);
    expect(() => render({ plan: undefined, stage: 'x', stages: [{ name: 'x', weights: { v1: 100 }, routes: [{ match: undefined as any, version: 'v2' }] }] }))
      .toThrow(/stage 'x' route 1 match is not a RouteMatch; use RouteMatch.header/);
  });

  test('fails if two routes of a stage share a name (Envoy stats could not tell them apart)', () => {
    const stage = (names: Array<string | undefined>) => [{ name: 'x', weights: { v1: 100 }, routes: names.map((name, i) => ({ name, match: RouteMatch.header('user', StringMatch.exact(`u${i}`)), version: 'v2' })) }];
    expect(() => render({ plan: undefined, stages: stage(['a', 'a']), stage: 'x' })).toThrow(/stage 'x' route 2 name 'a' is already used by another route of the stage/);
    expect(() => render({ plan: undefined, stages: stage(['default']), stage: 'x' })).toThrow(/route 1 name 'default' is already used/);
    expect(() => render({ plan: undefined, stages: stage([undefined, 'x-match-1']), stage: 'x' })).toThrow(/route 2 name 'x-match-1' is already used/);
  });

  test('fails if retries.attempts is negative or a CORS origin regex is not RE2 (Istio\'s webhook rejects both)', () => {
    expect(() => render({ retries: { attempts: -1 } })).toThrow(/CanaryRelease 'shop': retries.attempts -1 is not a whole number >= 0/);
    expect(() => render({ corsPolicy: { allowOrigins: [{ regex: '(?=x).*' }] } }))
      .toThrow(/corsPolicy.allowOrigins\[0\] regex '\(\?=x\)\.\*' uses a lookahead/);
    expect(render({ retries: { attempts: 0 }, corsPolicy: { allowOrigins: [{ regex: 'https://.*\\.example\\.com' }] } }).vs.spec.http[0].retries).toEqual({ attempts: 0 });
  });

  test('fails if the rendered stage routes to a version with replicas: 0 (503 for its share)', () => {
    const versions = [V1_V2[0], { ...V1_V2[1], replicas: 0 }];
    expect(() => render({ versions, stage: 'canary' }))
      .toThrow(/CanaryRelease 'shop': stage 'canary' sends 10% of the traffic to version 'v2', which has replicas: 0, so Envoy would answer with 503 \(no healthy upstream\); give version 'v2' replicas \(or autoscaling\)/);
    expect(() => render({ versions, stage: 'user-v2' })).toThrow(/stage 'user-v2' sends the requests of a match route to version 'v2', which has replicas: 0/);
    // A stage that does not route to it is fine (v2 scaled to zero before its rollout).
    expect(render({ versions, stage: 'all-v1' }).vs).toBeDefined();
  });

  test('fails if RE2 rejects a regex that JavaScript accepts', () => {
    expect(() => new RegExp('a{1001}')).not.toThrow();
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('user', StringMatch.regex('a{1001}')), version: 'v2' }] })))
      .toThrow(/regex 'a\{1001\}' is rejected by RE2: invalid repetition size/);
  });

  test('fails if a URI regex is rejected by RE2', () => {
    expect(() => render(stage({ routes: [{ match: RouteMatch.uri(StringMatch.regex('/api/(?!internal).*')), version: 'v2' }] })))
      .toThrow(/stage 'bad' route 1 uri regex '\/api\/\(\?!internal\)\.\*' uses a lookahead/);
  });

  test('fails if a regex is longer than 1,024 characters', () => {
    const long = `(${Array.from({ length: 200 }, (_, i) => `user${i}`).join('|')})`;
    expect(long.length).toBeGreaterThan(1024);
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('user', StringMatch.regex(long)), version: 'v2' }] })))
      .toThrow(/header 'user' regex is \d+ characters long .*over Istio's limit of 1024; shorten it/);
  });

  test('fails if a match route is shadowed by an earlier catch-all', () => {
    expect(() => render(stage({
      routes: [{ match: RouteMatch.uriPrefix('/'), version: 'v2' }, { match: RouteMatch.header('user', 'yoichi'), version: 'v1' }],
    }))).toThrow(/stage 'bad' route 1 matches every request \(uri prefix '\/'\), so route 2 is shadowed and never used; move the catch-all route last/);
  });

  test('fails if a catch-all match route shadows the weighted default route', () => {
    expect(() => render(stage({ routes: [{ match: RouteMatch.uri(StringMatch.regex('.*')), version: 'v2' }] })))
      .toThrow(/route 1 matches every request \(uri regex '\.\*'\), so the weighted default route is shadowed and never used; narrow the match, or send the traffic with weights/);
  });

  test.each([
    ['uri regex .+', RouteMatch.uri(StringMatch.regex('.+')), /uri regex '\.\+'/],
    ['uri regex /.+', RouteMatch.uri(StringMatch.regex('/.+')), /uri regex '\/\.\+'/],
    ['uri regex ^/.*$', RouteMatch.uri(StringMatch.regex('^/.*$')), /uri regex '\^\/\.\*\$'/],
    ['uri regex ^.*', RouteMatch.uri(StringMatch.regex('^.*')), /uri regex '\^\.\*'/],
    ['authority regex .*', RouteMatch.authority(StringMatch.regex('.*')), /authority regex '\.\*'/],
    ['authority regex ^.+$', RouteMatch.authority(StringMatch.regex('^.+$')), /authority regex '\^\.\+\$'/],
    ['uri prefix / and authority regex .*', RouteMatch.uriPrefix('/').and(RouteMatch.authority(StringMatch.regex('.*'))), /uri prefix '\/' and authority regex '\.\*'/],
  ])('fails if a catch-all (%s) shadows later routes', (_, match, shown) => {
    expect(() => render(stage({ routes: [{ match, version: 'v2' }, { match: RouteMatch.header('user', 'yoichi'), version: 'v1' }] })))
      .toThrow(new RegExp(`route 1 matches every request \\(${shown.source}\\), so route 2 is shadowed`));
  });

  test('narrow uri and authority regexes are not catch-alls', () => {
    for (const m of [RouteMatch.uri(StringMatch.regex('/api/.*')), RouteMatch.uri(StringMatch.regex('\\.*$')), RouteMatch.authority(StringMatch.regex('shop\\..*')),
      RouteMatch.header('x', StringMatch.regex('.*')), RouteMatch.uri(StringMatch.regex('.*')).and(RouteMatch.header('user', 'yoichi'))]) {
      expect(m.isCatchAll).toBe(false);
    }
  });

  test('fails if a match route repeats an earlier match', () => {
    expect(() => render(stage({
      routes: [{ match: RouteMatch.header('user', 'yoichi'), version: 'v2' }, { match: RouteMatch.header('user', 'yoichi'), version: 'v1' }],
    }))).toThrow(/stage 'bad' route 2 \(header user exact 'yoichi'\) is shadowed by route 1/);
  });

  test('fails if a stage mirrors to the version already receiving 100%', () => {
    expect(() => render(stage({ mirror: { version: 'v1' } }))).toThrow(/stage 'bad' mirrors to 'v1', which already receives 100% of the traffic/);
  });

  test('fails if a mirror percentage is out of range or names an unknown version', () => {
    expect(() => render(stage({ mirror: { version: 'v2', percentage: 0 } }))).toThrow(/mirror percentage 0 is not in \(0, 100\]/);
    expect(() => render(stage({ mirror: { version: 'v7' } }))).toThrow(/mirror names unknown version 'v7'/);
  });

  test('fails if a header name is not lowercase', () => {
    expect(() => render(stage({ routes: [{ match: RouteMatch.header('User', 'yoichi'), version: 'v2' }] })))
      .toThrow(/header name 'User' is not a lowercase HTTP header name; Istio matches lowercase header names only; use 'user'/);
  });

  test('fails if a URI prefix does not start with /', () => {
    expect(() => render(stage({ routes: [{ match: RouteMatch.uriPrefix('api'), version: 'v2' }] }))).toThrow(/uri prefix 'api' does not start with '\/'/);
  });

  test('fails if a cookie match has an invalid value', () => {
    expect(() => RouteMatch.cookie('beta', 'a;b')).toThrow(/cookie beta value 'a;b' is not a cookie value/);
  });

  test('fails with fewer than two versions', () => {
    expect(() => render({ versions: [V1_V2[0]] })).toThrow(/has 1 version\(s\); declare at least two versions/);
  });

  test('fails if a version name is not a DNS label', () => {
    expect(() => render({ versions: [V1_V2[0], { name: 'V2.0', image: IMAGE }] })).toThrow(/version name 'V2.0' is not a DNS-1123 label/);
  });

  test('fails if both or neither of stages and plan are set', () => {
    expect(() => render({ stages: [{ name: 'a', weights: { v1: 100 } }] })).toThrow(/stages and plan are both set/);
    expect(() => render({ plan: undefined })).toThrow(/has neither stages nor plan/);
  });

  test('fails if the port is not recognisably HTTP to Istio', () => {
    expect(() => render({ port: undefined, ports: [{ containerPort: 5678, name: 'web' }] })).toThrow(/port 'web' is not recognisably HTTP to Istio.*name it 'http'/);
    expect(() => render({ port: undefined, ports: [{ containerPort: 5678, name: 'web', appProtocol: 'http' }] })).not.toThrow();
  });

  test('fails if a blue/green preview host has no gateway', () => {
    const plan = CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.example.com' });
    expect(() => render({ plan, stage: 'active' })).toThrow(/preview host 'preview.example.com' needs a gateway/);
  });

  test('fails if a blue/green plan has no way to reach the preview', () => {
    expect(() => CanaryPlan.blueGreen({ active: 'v1', preview: 'v2' })).toThrow(/neither previewHeader nor previewHost is set/);
  });

  test('fails if a plan names the same version twice', () => {
    expect(() => CanaryPlan.progressive({ stable: 'v1', canary: 'v1' }))
      .toThrow(/CanaryPlan.progressive: stable and canary are both 'v1'; roll out a different version/);
    expect(() => CanaryPlan.blueGreen({ active: 'v2', preview: 'v2', previewHeader: { name: 'x-preview', value: '1' } }))
      .toThrow(/CanaryPlan.blueGreen: active and preview are both 'v2'; preview a different version/);
  });

  test('fails if the timeout is not a whole number of milliseconds', () => {
    expect(() => render({ timeout: Duration.seconds(0.0005) }))
      .toThrow(/CanaryRelease 'shop': timeout 0.5 millis \(0.5ms\) is not a whole number of milliseconds >= 1; use e.g. Duration.seconds\(5\)/);
    expect(render({ timeout: Duration.millis(1500) }).vs.spec.http[0].timeout).toBe('1500ms');
  });

  test('fails if the port declares HTTP by name but a non-HTTP appProtocol (appProtocol wins in Istio)', () => {
    expect(() => render({ port: undefined, ports: [{ containerPort: 5678, name: 'http', appProtocol: 'tcp' }] }))
      .toThrow(/port 'http' is not recognisably HTTP to Istio: it is declared tcp, so Istio proxies it as opaque traffic and ignores every HTTP route; set appProtocol to 'http' \(or 'http2', 'grpc'\), or remove it and name the port 'http' or 'http-<suffix>' \(appProtocol 'tcp' replaces the port name\)/);
    expect(() => render({ port: undefined, ports: [{ containerPort: 5678, name: 'http', protocol: Protocol.UDP }] }))
      .toThrow(/port 'http' is not recognisably HTTP to Istio: it is declared udp, .*; serve HTTP over protocol TCP \(the default\)/);
    expect(() => render({ port: undefined, ports: [{ containerPort: 5678, name: 'web' }] }))
      .toThrow(/it is declared 'web', which Istio does not know, so Istio has to guess its protocol per connection/);
  });

  test('second ports are classified like Istio does: unknown appProtocol is sniffed, well-known ports are TCP', () => {
    const ports = (second: object) => ({ port: undefined, ports: [{ containerPort: 5678, name: 'http' }, { containerPort: 9090, ...second }] });
    // appProtocol replaces the name; an unknown one means sniffing, which detects HTTP.
    expect(() => render(ports({ name: 'tcp-admin', appProtocol: 'admin' }))).toThrow(/second port Istio may route as HTTP: 'tcp-admin' \(9090, appProtocol 'admin'\)/);
    // Istio treats 3306 as TCP when the port declares nothing it knows; SCTP is never HTTP.
    for (const ok of [{ name: 'metrics', servicePort: 3306 }, { name: 'metrics', protocol: Protocol.SCTP }]) {
      expect(() => render(ports(ok))).not.toThrow();
    }
  });

  test('fails if a second port could be routed as HTTP (the routes only reach the first port)', () => {
    const ports = (second: object) => ({ port: undefined, ports: [{ containerPort: 5678, name: 'http' }, { containerPort: 9090, ...second }] });
    expect(() => render(ports({ name: 'http-admin' })))
      .toThrow(/CanaryRelease 'shop': ports has a second port Istio may route as HTTP: 'http-admin' \(9090\), but the VirtualService routes every HTTP request to the first port 'http' \(5678\); serve one HTTP port per CanaryRelease/);
    expect(() => render(ports({ name: 'admin', appProtocol: 'http' }))).toThrow(/second port Istio may route as HTTP: 'admin' \(9090, appProtocol 'http'\)/);
    // A name Istio does not know means protocol sniffing, which detects HTTP.
    expect(() => render(ports({ name: 'metrics' }))).toThrow(/second port Istio may route as HTTP: 'metrics'/);
    // Declared non-HTTP ports are fine (the default name of a second port is tcp-<port>).
    for (const ok of [{}, { name: 'tcp-metrics' }, { name: 'metrics', appProtocol: 'tcp' }, { name: 'https-admin' }]) {
      const { docs, vs } = render(ports(ok));
      expect(allSchemaProblems(docs)).toEqual([]);
      expect(vs.spec.http[0].route[0].destination.port).toEqual({ number: 5678 });
    }
  });

  test('fails if progressive steps are not ascending percentages in 1-99', () => {
    expect(() => CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [50, 10] })).toThrow(/steps \[50,10\] are not ascending/);
    expect(() => CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [100] })).toThrow(/steps\[0\] 100 is not an integer in 1-99/);
  });

  test('fails in multi-release mode if a release is named like the release set', () => {
    expect(() => render({ mode: CanaryMode.SERVICES, versions: [{ name: 'shop', image: IMAGE }, V1_V2[1]] })).toThrow(/release 'shop' has the release set's own name/);
  });
});
