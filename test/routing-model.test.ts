import { Duration } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import { CanaryGateway, CanaryMode, CanaryPlan, CanaryReleaseProps, CookieSameSite, Protocol, RouteMatch, StringMatch } from '../lib';
import { VersionWorkload, completeRelease, planRelease } from '../lib/canary/routing';
import { IstioApiVersion } from '../lib/routing/istio/api-version';
import { ReleaseRouting, splitVersions, stickyCanaries } from '../lib/routing/model';
import { cookieAffinity, hashAffinity } from '../lib/sticky/affinity';

const IMAGE = 'hashicorp/http-echo:1.0';

/** The routing model of the seed's `myversion` release at `stage`, built the way CanaryRelease builds it. */
function myversion(stage: string, props: Partial<CanaryReleaseProps> = {}, mode = CanaryMode.SUBSETS): ReleaseRouting {
  const plan = planRelease("CanaryRelease 'myversion'", { name: 'myversion', namespace: 'shop', mode, apiVersion: IstioApiVersion.V1 }, {
    versions: [{ name: 'v1', image: IMAGE }, { name: 'v2', image: IMAGE }],
    port: 5678,
    plan: MYVERSION_PLAN,
    stage,
    ...props,
  });
  const workload = (v: string): VersionWorkload => ({
    name: mode === CanaryMode.SUBSETS ? `myversion-${v}` : v,
    podLabels: { app: 'myversion', version: v },
    ports: [{ containerPort: 5678, name: 'http', protocol: Protocol.TCP, servicePort: 80 }],
  });
  return completeRelease(plan, { v1: workload('v1'), v2: workload('v2') });
}

describe('the routing model of the seed myversion plan', () => {
  const model = myversion('all-v1');

  test('one stage per declared stage, in order, with every version weighted (0 included)', () => {
    expect(model.stages.map((s) => [s.name, s.weights])).toEqual([
      ['all-v1', { v1: 100, v2: 0 }],
      ['canary', { v1: 90, v2: 10 }],
      ['user-v2', { v1: 100, v2: 0 }],
      ['promoted', { v1: 0, v2: 100 }],
    ]);
    expect(model.stage.name).toBe('all-v1');
    expect(myversion('canary').stage).toEqual(model.stages[1]);
  });

  test('match routes: only user-v2 has one, header user regex yoichi to v2', () => {
    expect(model.stages.map((s) => s.routes.length)).toEqual([0, 0, 1, 0]);
    expect(model.stages[2].routes).toEqual([{
      name: 'user-yoichi',
      version: 'v2',
      matches: [{ conditions: [{ type: 'header', name: 'user', match: StringMatch.regex('yoichi') }] }],
    }]);
    expect(model.stages.every((s) => s.mirror === undefined)).toBe(true);
  });

  test('the weighted route of each stage sends to the versions with weight > 0', () => {
    expect(model.stages.map((s) => splitVersions(model, s).map((v) => v.name))).toEqual([['v1'], ['v1', 'v2'], ['v1'], ['v2']]);
  });

  test('versions are subsets of the one Service, selected by their pods\' version label', () => {
    expect(model.app).toMatchObject({ name: 'myversion', namespace: 'shop', selector: { app: 'myversion' }, port: { name: 'http', port: 80, protocol: 'TCP' } });
    expect(model.versions).toEqual([
      { name: 'v1', workload: 'myversion-v1', backend: { service: 'myversion', subset: { name: 'v1', labels: { version: 'v1' } } } },
      { name: 'v2', workload: 'myversion-v2', backend: { service: 'myversion', subset: { name: 'v2', labels: { version: 'v2' } } } },
    ]);
    expect(model.attachment).toEqual({ meshHost: 'myversion', gatewayHosts: [], gateway: undefined });
    expect(model.policy).toEqual({});
    expect(model.sticky).toBeUndefined();
  });

  test('in SERVICES mode each version is its own Service', () => {
    const services = myversion('canary', {}, CanaryMode.SERVICES);
    expect(services.versions.map((v) => v.backend)).toEqual([{ service: 'v1' }, { service: 'v2' }]);
  });

  test('generated match routes are named <stage>-match-<n>; mirrors and the route policy are resolved', () => {
    const m = myversion('x', {
      plan: undefined,
      stages: [{ name: 'x', weights: { v1: 80, v2: 20 }, routes: [{ match: [RouteMatch.uriPrefix('/api'), RouteMatch.cookie('beta', 'yes')], version: 'v2' }], mirror: { version: 'v2' } }],
      timeout: Duration.millis(1500),
      sticky: { maxAge: Duration.hours(1) },
    });
    expect(m.stage.routes[0].name).toBe('x-match-1');
    expect(m.stage.routes[0].matches.map((h) => h.conditions.map((c) => c.type))).toEqual([['uri'], ['header']]);
    expect(m.stage.mirror).toEqual({ version: 'v2', percentage: 100 });
    expect(m.policy).toEqual({ timeoutMillis: 1500 });
    expect(m.sticky).toEqual({ cookie: 'myversion-version', maxAgeSeconds: 3600, secure: false, stable: 'v1' });
    expect(stickyCanaries(m, m.stage).map((v) => v.name)).toEqual(['v2']);
  });

  test('the preview host of a blue/green plan joins the gateway hosts', () => {
    const m = myversion('active', {
      plan: CanaryPlan.blueGreen({ active: 'v1', preview: 'v2', previewHost: 'preview.shop.example.com' }),
      gateway: CanaryGateway.create({ hosts: ['shop.example.com'] }),
    });
    expect(m.attachment.gatewayHosts).toEqual(['shop.example.com', 'preview.shop.example.com']);
    expect(m.attachment.gateway).toEqual({ kind: 'created', name: 'myversion-gateway', selector: { istio: 'ingressgateway' }, httpsCredentialName: undefined, redirectHttpToHttps: false });
    expect(m.stage.routes[0].matches[0].conditions).toEqual([{ type: 'authority', match: StringMatch.regex('preview\\.shop\\.example\\.com(:[0-9]+)?') }]);
  });

  test('validation keeps its messages', () => {
    expect(() => myversion('nope')).toThrow(/CanaryRelease 'myversion': stage 'nope' \(from the stage prop\) does not exist; use one of 'all-v1', 'canary', 'user-v2', 'promoted'/);
  });
});

describe('the session-affinity model', () => {
  test('cookie affinity resolves the defaults (name, mode, Expires from Max-Age)', () => {
    expect(cookieAffinity("StickyIngress 'x'", { maxAge: Duration.hours(2), sameSite: CookieSameSite.LAX }, 'x.example.com', false)).toEqual({
      kind: 'cookie',
      cookie: { name: 'INGRESSCOOKIE', maxAgeSeconds: 7200, expiresSeconds: 7200, sameSite: 'Lax', path: undefined, domain: undefined, secure: undefined },
      mode: 'balanced',
      changeOnFailure: false,
    });
  });

  test('a consistent hash has exactly one key', () => {
    expect(hashAffinity("StickyIngress 'x'", { cookie: { name: 'route', ttl: Duration.minutes(1) } })).toEqual({ kind: 'hash', key: { cookie: { name: 'route', path: undefined, ttlSeconds: 60 } } });
    expect(hashAffinity("StickyIngress 'x'", { sourceIp: true })).toEqual({ kind: 'hash', key: { sourceIp: true } });
    expect(() => hashAffinity("StickyIngress 'x'", { header: 'x-user', sourceIp: true })).toThrow(/istioConsistentHash sets header and sourceIp/);
  });
});
