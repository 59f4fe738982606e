import { Chart, Duration, Testing } from 'cdk8s';
import {
  DefaultBackend, Gateway, GatewayApiCookieOptions, GatewayImplementation, GatewayListener, ListenerProtocol, Probe, RouteNamespaces, StickyIngress,
  StickyIngressProps, StickyStrategy, WebApp,
} from '../lib';
import { audit, Level, PolicyMode, SchemaCatalog } from '../lib/audit';
import { allSchemaProblems } from './support/schema';

const IMAGE = 'cotoami/http-debug-server:1.0.0';
const HOST = 'debug.example.com';
const HTTP: GatewayListener = { name: 'http', protocol: ListenerProtocol.HTTP, hostname: HOST };

/** A Gateway 'public' (listeners `listeners`), a WebApp 'debug' and a StickyIngress 'debug' on the Gateway, in namespace 'shop'. */
function render(options: Partial<GatewayApiCookieOptions>, props: Partial<StickyIngressProps> = {}, listeners: GatewayListener[] = [HTTP]) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'shop' });
  const gateway = new Gateway(chart, 'public', { gatewayClassName: 'eg', listeners });
  const backend = new WebApp(chart, 'debug', { image: IMAGE, port: 3000, replicas: 3, readiness: Probe.httpGet('/') });
  const sticky = new StickyIngress(chart, 'sticky', {
    backend, host: HOST, gateway,
    strategy: StickyStrategy.gatewayApiCookie({ implementation: GatewayImplementation.ENVOY_GATEWAY, experimental: true, ...options }),
    ...props,
  });
  const docs = Testing.synth(chart);
  return { app, chart, sticky, docs, route: docs.find((d) => d.kind === 'HTTPRoute'), find: (kind: string) => docs.filter((d) => d.kind === kind) };
}

describe('StickyStrategy.gatewayApiCookie', () => {
  test('Envoy Gateway: an HTTPRoute with sessionPersistence (cookie route, absolute timeout, lifetime), annotated experimental (snapshot)', () => {
    const { sticky, docs, route, find } = render({ name: 'route', absoluteTimeout: Duration.hours(48), permanent: true });
    expect(route).toMatchSnapshot();
    expect(sticky.httpRoute).toBeDefined();
    expect(sticky.ingress).toBeUndefined();
    expect(route.metadata.annotations).toEqual({ 'noops.io/gateway-api-channel': 'experimental' });
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
    expect(route.spec.hostnames).toEqual([HOST]);
    expect(route.spec.rules).toEqual([{
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backendRefs: [{ name: 'debug', port: 80 }],
      sessionPersistence: { sessionName: 'route', type: 'Cookie', absoluteTimeout: '48h', cookieConfig: { lifetimeType: 'Permanent' } },
    }]);
    expect(find('Ingress')).toEqual([]);
    expect(find('DestinationRule')).toEqual([]);
    // the annotated route is validated against the experimental-channel CRD; without the annotation, the standard one reports the field
    expect(allSchemaProblems(docs)).toEqual([]);
    const unannotated = { ...route, metadata: { ...route.metadata, annotations: undefined } };
    expect(allSchemaProblems([unannotated]).join('\n')).toMatch(/sessionPersistence: unknown field/);
  });

  test('defaults: cookie route, a session cookie, no timeouts', () => {
    const { route } = render({});
    expect(route.spec.rules[0].sessionPersistence).toEqual({ sessionName: 'route', type: 'Cookie', cookieConfig: { lifetimeType: 'Session' } });
  });

  test.each([GatewayImplementation.KGATEWAY, GatewayImplementation.CILIUM, GatewayImplementation.NGINX_GATEWAY_FABRIC_PLUS])('%s renders sessionPersistence too', (implementation) => {
    expect(render({ implementation }).route.spec.rules[0].sessionPersistence.sessionName).toBe('route');
  });

  test('Istio: no sessionPersistence (Istio ignores it) but a DestinationRule hashing the cookie on the backend Service; no experimental opt-in needed', () => {
    const { sticky, route, find, docs } = render({ implementation: GatewayImplementation.ISTIO, experimental: undefined, absoluteTimeout: Duration.hours(48), permanent: true });
    expect(route.metadata.annotations).toBeUndefined();
    expect(route.spec.rules[0].sessionPersistence).toBeUndefined();
    const [dr] = find('DestinationRule');
    expect(dr.spec).toEqual({ host: 'debug', trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'route', path: '/', ttl: '172800s' } } } } });
    expect(sticky.destinationRules).toHaveLength(1);
    expect(sticky.consistentHash).toEqual({ httpCookie: { name: 'route', path: '/', ttl: '172800s' } });
    expect(allSchemaProblems(docs)).toEqual([]);
  });

  test('sectionName and a path; the Gateway may live in another namespace (Gateway.fromGatewayName)', () => {
    const { route } = render({}, { sectionName: 'http', path: '/debug' });
    expect(route.spec.parentRefs[0].sectionName).toBe('http');
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/debug' } }]);
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const backend = new WebApp(chart, 'debug', { image: IMAGE, port: 3000 });
    new StickyIngress(chart, 'sticky', { backend, host: HOST, gateway: Gateway.fromGatewayName('edge', 'infra'), strategy: StickyStrategy.gatewayApiCookie({ implementation: GatewayImplementation.ENVOY_GATEWAY, experimental: true }) });
    expect(Testing.synth(chart).find((d) => d.kind === 'HTTPRoute').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'infra' }]);
  });

  test('npm run check (the audit) accepts the experimental-channel route: no schema finding', () => {
    const { docs } = render({ absoluteTimeout: Duration.hours(1), permanent: true });
    const report = audit(docs, { policy: PolicyMode.OFF, schemas: new SchemaCatalog() });
    expect(report.findings.filter((f) => f.level === Level.ERROR)).toEqual([]);
  });
});

describe('StickyStrategy.gatewayApiCookie fails if', () => {
  test.each<[string, Partial<GatewayApiCookieOptions>, Partial<StickyIngressProps>, RegExp]>([
    ['sessionPersistence without the experimental opt-in', { experimental: undefined }, {},
      /StickyIngress 'sticky': gatewayApiCookie on envoy-gateway renders HTTPRoute sessionPersistence, an experimental-channel field of Gateway API v1.6.1: a cluster with the standard-channel CRDs rejects or drops it, and no session would stick; install the Gateway API experimental-channel CRDs and set StickyStrategy.gatewayApiCookie\(\{ experimental: true/],
    ['the implementation ignores sessionPersistence (Kong)', { implementation: GatewayImplementation.KONG }, {},
      /gatewayApiCookie on kong: Kong's Gateway API implementation ignores HTTPRoute sessionPersistence \(Kong\/kubernetes-ingress-controller#6042\), so no session would stick; use an implementation that honours it/],
    ['the implementation ignores sessionPersistence (NGINX OSS)', { implementation: GatewayImplementation.NGINX_GATEWAY_FABRIC }, {}, /only NGINX Plus implements it/],
    ['the implementation ignores sessionPersistence (Traefik)', { implementation: GatewayImplementation.TRAEFIK }, {}, /traefik\/traefik#11243/],
    ['the implementation is not a GatewayImplementation (JavaScript)', { implementation: 'haproxy' as any }, {}, /gatewayApiCookie implementation 'haproxy' is not a GatewayImplementation/],
    ['permanent without absoluteTimeout', { permanent: true }, {}, /gatewayApiCookie permanent: true without absoluteTimeout; set absoluteTimeout/],
    ['the cookie name is not a token', { name: 'my route' }, {}, /gatewayApiCookie name 'my route' is not an RFC 6265 token/],
    ['a timeout is not whole seconds', { absoluteTimeout: Duration.millis(1500) }, {}, /gatewayApiCookie absoluteTimeout 1.5s is not a whole number of seconds/],
    ['idleTimeout (not in Gateway API v1.6.1; JavaScript)', { idleTimeout: Duration.minutes(5) } as any, {}, /gatewayApiCookie idleTimeout is not a field of Gateway API v1.6.1: its HTTPRoute sessionPersistence \(experimental channel\) has sessionName, type, absoluteTimeout and cookieConfig only/],
    ['Istio with absoluteTimeout on a session cookie', { implementation: GatewayImplementation.ISTIO, absoluteTimeout: Duration.hours(1) }, {}, /absoluteTimeout 3600s without permanent on Istio/],
    ['no gateway', {}, { gateway: undefined }, /StickyIngress 'sticky': gatewayApiCookie needs a gateway; set gateway/],
    ['no host', {}, { host: undefined }, /StickyIngress 'sticky': gatewayApiCookie needs a host/],
    ['a host no listener accepts', {}, { host: 'other.example.com' }, /host\[0\] 'other.example.com' is accepted by no listener of Gateway 'public'/],
    ['an Ingress-only prop (tlsSecretName)', {}, { tlsSecretName: 'tls' }, /tlsSecretName is set with gatewayApiCookie, which renders an HTTPRoute, not an Ingress: TLS is terminated by an HTTPS listener of the Gateway/],
    ['an Ingress-only prop (defaultBackend)', {}, { defaultBackend: DefaultBackend.notFound() }, /defaultBackend is set with gatewayApiCookie/],
    ['several paths', {}, { paths: [{ path: '/a' }] }, /paths is set with gatewayApiCookie, which renders an HTTPRoute, not an Ingress: the session lives on one HTTPRoute rule/],
    ['a path the Gateway API refuses', {}, { path: '/a/../b' }, /path '\/a\/..\/b' is not a path the Gateway API accepts/],
  ])('%s', (_name, options, props, message) => {
    expect(() => render(options, props)).toThrow(message);
  });

  test('the Gateway admits no route from the StickyIngress\'s namespace', () => {
    const app = Testing.app();
    const infra = new Chart(app, 'infra', { namespace: 'infra' });
    const gateway = new Gateway(infra, 'public', { gatewayClassName: 'eg', listeners: [HTTP] });
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const backend = new WebApp(chart, 'debug', { image: IMAGE, port: 3000 });
    const strategy = StickyStrategy.gatewayApiCookie({ implementation: GatewayImplementation.ENVOY_GATEWAY, experimental: true });
    expect(() => new StickyIngress(chart, 'sticky', { backend, host: HOST, gateway, strategy }))
      .toThrow(/no listener of Gateway 'public' \(namespace 'infra'\) admits HTTPRoutes from namespace 'shop'/);
    const open = new Gateway(infra, 'open', { gatewayClassName: 'eg', listeners: [{ ...HTTP, allowedRoutes: RouteNamespaces.all() }] });
    expect(() => new StickyIngress(chart, 'sticky-open', { backend, host: HOST, gateway: open, strategy })).not.toThrow();
  });

  test('addPath is called', () => {
    const { sticky } = render({});
    expect(() => sticky.addPath({ path: '/b' })).toThrow(/addPath '\/b' with gatewayApiCookie: the session lives on one HTTPRoute rule/);
  });

  test('gateway is given to another strategy', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const gateway = new Gateway(chart, 'public', { gatewayClassName: 'eg', listeners: [HTTP] });
    const backend = new WebApp(chart, 'debug', { image: IMAGE, port: 3000 });
    expect(() => new StickyIngress(chart, 'sticky', { backend, host: HOST, gateway, strategy: StickyStrategy.nginxCookie() }))
      .toThrow(/StickyIngress 'sticky': gateway is set, but nginxCookie does not route through a Gateway API Gateway; use StickyStrategy.gatewayApiCookie/);
  });
});
