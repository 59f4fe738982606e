// The cross-construct rules of CanaryRelease and StickyIngress run on typed facts (lib/routing/traffic-facts.ts):
// each is computed once per version of the facts and of the tree's objects, not once per validation pass,
// and what it reads of our objects (registered from their models) is what they render.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  CanaryGateway, CanaryMode, CanaryPlan, CanaryRelease, DefaultBackend, MeshNamespace, Namespace, NoopsApp, RouteMatch, StickyIngress,
  StickyStrategy, WebApp,
} from '../lib';
import { SHARED_GATEWAY_HOSTS } from '../lib/canary/shared-hosts';
import { AppRegistry, Rule, tryRender } from '../lib/registry';
import {
  DESTINATION_RULES, INGRESSES, NAMESPACES, VIRTUAL_SERVICES, destinationRuleFact, ingressFact, namespaceFact, virtualServiceFact,
} from '../lib/routing/traffic-facts';
import { TRAFFIC_OBJECTS } from '../lib/routing/traffic-objects';
import { STICKY_INGRESS_FACTS } from '../lib/sticky/facts';
import { STICKY_INGRESS_ERRORS } from '../lib/sticky/report';
import { BYPASSED_ROUTES } from '../lib/sticky/rules/bypassed-routes';
import { CATCH_ALL_CONFLICTS } from '../lib/sticky/rules/catch-all';
import { CLIENT_IP_BEHIND_INGRESS } from '../lib/sticky/rules/client-ip-behind-ingress';
import { CLIENT_IP_IN_MESH } from '../lib/sticky/rules/client-ip-in-mesh';
import { CONSISTENT_HASH_CONFLICTS } from '../lib/sticky/rules/consistent-hash';
import { INGRESS_AFFINITY_CONFLICTS } from '../lib/sticky/rules/ingress-affinity';
import { INGRESS_HOST_PATH_CLASHES } from '../lib/sticky/rules/ingress-host-paths';

const IMAGE = 'hashicorp/http-echo:1.0';
const V1_V2 = [{ name: 'v1', image: IMAGE }, { name: 'v2', image: 'hashicorp/http-echo:1.0.1' }];
const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'traffic-rules-'));

function release(chart: Chart, id: string, host: string): CanaryRelease {
  return new CanaryRelease(chart, id, {
    versions: V1_V2, port: 5678, plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10] }), stage: 'canary-10',
    gateway: CanaryGateway.create({ hosts: [host] }),
  });
}

describe('each rule is computed once per synth for a whole family', () => {
  const STICKY_RULES: Array<[string, Rule]> = [
    ['catch-all', CATCH_ALL_CONFLICTS], ['bypassed routes', BYPASSED_ROUTES], ['clientIp behind an Ingress', CLIENT_IP_BEHIND_INGRESS],
    ['host/path clashes', INGRESS_HOST_PATH_CLASHES], ['affinity conflicts', INGRESS_AFFINITY_CONFLICTS], ['clientIp in the mesh', CLIENT_IP_IN_MESH],
    ['consistent hash', CONSISTENT_HASH_CONFLICTS], ['the report', STICKY_INGRESS_ERRORS],
  ];

  /** 100 StickyIngresses of the three strategies in 10 charts, each on a WebApp of its own, with a hand-written Ingress per chart. */
  function stickyApp(app: App): void {
    for (let c = 0; c < 10; c++) {
      const chart = new Chart(app, `chart-${c}`, { namespace: `ns-${c}` });
      new ApiObject(chart, 'legacy', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'legacy' }, spec: { rules: [{ host: `legacy-${c}.example.com` }] } });
      for (let i = 0; i < 10; i++) {
        const backend = new WebApp(chart, `web-${i}`, { image: IMAGE, port: 8080 });
        const strategy = i % 3 === 0 ? StickyStrategy.clientIp() : i % 3 === 1 ? StickyStrategy.nginxCookie({ name: 'route' }) : StickyStrategy.istioConsistentHash({ sourceIp: true });
        new StickyIngress(chart, `sticky-${i}`, { backend, strategy, ...(i % 3 === 0 ? {} : { host: `s-${c}-${i}.example.com` }) });
      }
    }
  }

  test('100 CanaryReleases in 10 charts under cdk8s\'s App: the gateway-host rule and the traffic objects once', () => {
    const app = Testing.app({ outdir: tmpdir() });
    for (let c = 0; c < 10; c++) {
      const chart = new Chart(app, `chart-${c}`, { namespace: `ns-${c}` });
      for (let r = 0; r < 10; r++) release(chart, `shop-${r}`, `shop-${c}-${r}.example.com`);
    }
    app.synth(); // 11 validation passes: one for the app, one per chart
    const registry = AppRegistry.of(app);
    expect(registry.facts(VIRTUAL_SERVICES).length).toBe(100);
    expect(registry.get(TRAFFIC_OBJECTS).virtualServices.length).toBe(100);
    expect(registry.computationsOf(SHARED_GATEWAY_HOSTS)).toBe(1);
    expect(registry.computationsOf(TRAFFIC_OBJECTS)).toBe(1);
  });

  test('100 StickyIngresses in 10 charts under cdk8s\'s App: every rule once', () => {
    const app = Testing.app({ outdir: tmpdir() });
    stickyApp(app);
    app.synth();
    const registry = AppRegistry.of(app);
    expect(registry.get(STICKY_INGRESS_FACTS).size).toBe(100);
    for (const [name, rule] of STICKY_RULES) expect([name, registry.computationsOf(rule)]).toEqual([name, 1]);
    expect(registry.computationsOf(TRAFFIC_OBJECTS)).toBe(1);
    // The hand-written Ingresses are read too (rendered, as no construct registered them); ours are not rendered for it.
    expect(registry.get(TRAFFIC_OBJECTS).ingresses.map((i) => i.name).filter((n) => n === 'legacy').length).toBe(10);
  });

  test('NoopsApp: every rule once as well', () => {
    const app = new NoopsApp({ outdir: tmpdir() });
    stickyApp(app);
    app.synth();
    const registry = AppRegistry.of(app);
    for (const [name, rule] of STICKY_RULES) expect([name, registry.computationsOf(rule)]).toEqual([name, 1]);
  });

  test('a synth after nothing changed computes nothing again; a new construct of ours makes the rules run again', () => {
    const app = Testing.app({ outdir: tmpdir() });
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    release(chart, 'shop', 'shop.example.com');
    app.synth();
    app.synth();
    const registry = AppRegistry.of(app);
    expect(registry.computationsOf(SHARED_GATEWAY_HOSTS)).toBe(1);
    release(chart, 'cart', 'cart.example.com');
    app.synth();
    expect(registry.computationsOf(SHARED_GATEWAY_HOSTS)).toBe(2);
  });
});

describe('what changed between two synths of one job is checked by the second', () => {
  const SHARED = 'also serves gateway host \'shop.example.com\': Istio merges or drops VirtualServices for the same gateway host';

  test('a CanaryRelease serving the same gateway host', () => {
    const app = Testing.app();
    release(new Chart(app, 'a', { namespace: 'shop' }), 'shop', 'shop.example.com');
    expect(() => app.synth()).not.toThrow();
    release(new Chart(app, 'b', { namespace: 'shop' }), 'cart', 'shop.example.com');
    expect(() => app.synth()).toThrow(`[a/shop] CanaryRelease 'shop': VirtualService 'cart' ${SHARED}`);
  });

  test('a hand-written VirtualService serving the same gateway host (no fact registered: the tree\'s objects changed)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'shop' });
    release(chart, 'shop', 'shop.example.com');
    expect(() => Testing.synth(chart)).not.toThrow();
    new ApiObject(new Chart(app, 'late'), 'vs', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'late' }, spec: { hosts: ['shop.example.com'], gateways: ['public'] } });
    expect(() => Testing.synth(chart)).toThrow(`[a/shop] CanaryRelease 'shop': VirtualService 'late' ${SHARED}`);
  });

  test('a StickyIngress, or a hand-written Ingress, routing the same host and path', () => {
    const INGRESS_CLASH = (name: string) => `[a/s] StickyIngress 's': Ingress '${name}' already routes host 'shop.example.com' path '/' (Prefix): ingress-nginx's admission webhook rejects the second Ingress`;
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'shop' });
    new StickyIngress(chart, 's', { backend: new WebApp(chart, 'web', { image: IMAGE, port: 8080 }), host: 'shop.example.com', strategy: StickyStrategy.nginxCookie() });
    expect(() => Testing.synth(chart)).not.toThrow();
    const other = new Chart(app, 'b', { namespace: 'other' });
    new ApiObject(other, 'raw', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'raw' }, spec: { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'x', port: { number: 80 } } } }] } }] } });
    expect(() => Testing.synth(chart)).toThrow(INGRESS_CLASH('raw'));
    const more = new Chart(app, 'c', { namespace: 'more' });
    new StickyIngress(more, 't', { backend: new WebApp(more, 'web', { image: IMAGE, port: 8080 }), host: 'shop.example.com', strategy: StickyStrategy.nginxCookie() });
    expect(() => app.synth()).toThrow(INGRESS_CLASH('t'));
  });

  test('a path added to a StickyIngress, an Ingress exposed by a WebApp, a pod annotation added', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    const canary = new CanaryRelease(chart, 'shop', { versions: V1_V2, port: 5678, stages: [{ name: 'split', weights: { v1: 50, v2: 50 } }], stage: 'split' });
    const cookie = new StickyIngress(chart, 's', { backend: web, host: 'shop.example.com', strategy: StickyStrategy.nginxCookie() });
    const plain = new WebApp(chart, 'plain', { image: IMAGE, port: 8080 });
    new StickyIngress(chart, 'ip', { backend: plain, strategy: StickyStrategy.clientIp() });
    new Namespace(chart, 'ns', { name: 'shop' });
    expect(() => app.synth()).not.toThrow();
    cookie.addPath({ path: '/shop', backend: canary });
    expect(() => app.synth()).toThrow(/\[a\/s\] StickyIngress 's': nginxCookie on Service 'shop', which VirtualService 'shop' routes by subset \(v1, v2\)/);

    const b = Testing.app();
    const chartB = new Chart(b, 'b', { namespace: 'shop' });
    const app2 = new WebApp(chartB, 'web', { image: IMAGE, port: 8080 });
    new StickyIngress(chartB, 'ip', { backend: app2, strategy: StickyStrategy.clientIp() });
    new MeshNamespace(chartB, 'ns', { name: 'other' });
    expect(() => b.synth()).not.toThrow();
    app2.exposeViaIngress({ host: 'web.example.com' });
    expect(() => b.synth()).toThrow(/\[b\/ip\] StickyIngress 'ip': clientIp on Service 'web', which Ingress 'web' also routes to/);
    app2.addPodAnnotation('sidecar.istio.io/inject', 'true');
    expect(() => b.synth()).toThrow(/clientIp on Service 'web' whose pods are in the Istio mesh \(pod label sidecar.istio.io\/inject=true\)/);
  });
});

describe('the facts our constructs register from their models are what they render', () => {
  /** Every registered fact of a kind, next to the same fact read from the rendered object. */
  function compare<T extends object>(app: App, kind: Parameters<AppRegistry['facts']>[0], objectOf: (f: T) => ApiObject, read: (o: ApiObject, json: any) => T) {
    const registered = new Map<ApiObject, T>();
    for (const { fact } of AppRegistry.of(app).facts(kind) as ReadonlyArray<{ fact: T }>) registered.set(objectOf(fact), fact);
    expect(registered.size).toBeGreaterThan(0);
    for (const [o, fact] of registered) expect(fact).toEqual(read(o, tryRender(o)));
  }

  test('VirtualServices, DestinationRules, Ingresses and Namespaces', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new MeshNamespace(chart, 'mesh', { name: 'shop' });
    new Namespace(chart, 'plain', { name: 'plain', labels: { 'istio.io/rev': 'canary' } });
    new CanaryRelease(chart, 'subsets', {
      versions: V1_V2, port: 5678, stage: 's', sticky: {}, gateway: CanaryGateway.create({ hosts: ['*.shop.example.com', 'shop.example.com'] }),
      stages: [{ name: 's', weights: { v1: 80, v2: 20 }, mirror: { version: 'v2', percentage: 5 }, routes: [{ match: RouteMatch.header('user', 'y'), version: 'v2' }] }],
    });
    new CanaryRelease(new Chart(app, 'svc'), 'services', {
      mode: CanaryMode.SERVICES, versions: [{ name: 'blue', image: IMAGE }, { name: 'green', image: IMAGE }], port: 5678, stage: 'split',
      stages: [{ name: 'split', weights: { blue: 50, green: 50 } }], trafficPolicy: { connectionPool: { http: { maxRetries: 3 } } },
    });
    const web = new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    web.exposeViaIngress({ host: 'a.example.com', annotations: { 'nginx.ingress.kubernetes.io/affinity': 'cookie' } });
    web.exposeViaIngress({ className: 'nginx', path: '/b' });
    const other = new WebApp(chart, 'other', { image: IMAGE, port: 8080 });
    const cookie = new StickyIngress(chart, 'cookie', {
      backend: web, host: 'shop.example.com', strategy: StickyStrategy.nginxCookie({ name: 'route', path: '/' }), defaultBackend: DefaultBackend.notFound(),
    });
    cookie.addPath({ path: '/x/[0-9]+', regex: true });
    const hash = new StickyIngress(chart, 'hash', { backend: other, host: 'hash.example.com', strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }) });
    hash.addPath({ path: '/web', backend: web });

    compare(app, VIRTUAL_SERVICES, (f: any) => f.object, virtualServiceFact);
    compare(app, DESTINATION_RULES, (f: any) => f.object, destinationRuleFact);
    compare(app, INGRESSES, (f: any) => f.object, ingressFact);
    compare(app, NAMESPACES, (f: any) => f.object, namespaceFact);
    expect(AppRegistry.of(app).facts(VIRTUAL_SERVICES).length).toBe(3);
    expect(AppRegistry.of(app).facts(DESTINATION_RULES).length).toBe(5);
  });
});

test('a Namespace in a chart with a namespace renders without metadata.namespace', () => {
  const chart = new Chart(Testing.app(), 'c', { namespace: 'elsewhere' });
  const ns = new Namespace(chart, 'ns', { name: 'shop' });
  const [doc] = Testing.synth(chart);
  expect(doc.metadata).toEqual({ name: 'shop', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-noops', 'pod-security.kubernetes.io/enforce': 'restricted' } });
  expect(ns.namespace.metadata.namespace).toBe('elsewhere'); // as cdk8s set it: the object is still of its chart
});
