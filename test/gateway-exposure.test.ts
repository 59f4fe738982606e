import { Chart, Testing } from 'cdk8s';
import { Gateway, GatewayExposureOptions, GatewayListener, ListenerProtocol, NetworkPeer, PathType, RouteNamespaces, RoutePlacement, WebApp } from '../lib';
import { allSchemaProblems } from './support/schema';

const IMAGE = 'hashicorp/http-echo:1.0';
const HOST = 'echo.example.com';
const LISTENERS: GatewayListener[] = [
  { name: 'http', protocol: ListenerProtocol.HTTP, hostname: '*.example.com', allowedRoutes: RouteNamespaces.all() },
  { name: 'https', protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', certificateRefs: [{ name: 'example-tls' }] },
];

/** A Gateway 'public' in namespace 'gateways' (chart 'infra') and a WebApp 'echo' in namespace 'shop' (chart 'shop'). */
function setup(listeners: GatewayListener[] = LISTENERS) {
  const app = Testing.app();
  const infra = new Chart(app, 'infra', { namespace: 'gateways' });
  const gateway = new Gateway(infra, 'public', { gatewayClassName: 'istio', listeners });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new WebApp(chart, 'echo', { image: IMAGE, port: 5678, args: ['-text=hello'] });
  const synth = () => [...Testing.synth(infra), ...Testing.synth(chart)];
  return { app, infra, chart, gateway, web, synth };
}

const find = (docs: any[], kind: string, name: string, namespace?: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name === name && (namespace === undefined || d.metadata.namespace === namespace));

describe('WebApp.exposeViaGateway', () => {
  test('an HTTPRoute in the app\'s namespace, attached to the Gateway in another namespace (snapshot)', () => {
    // GIVEN a Gateway admitting routes from every namespace
    const { web, gateway, synth } = setup();
    // WHEN
    const route = web.exposeViaGateway({ gateway, hostnames: [HOST] });
    // THEN
    const docs = synth();
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs.filter((d) => d.kind === 'HTTPRoute')).toMatchSnapshot();
    expect(web.httpRoute).toBe(route);
    expect(web.referenceGrant).toBeUndefined();
    const spec = find(docs, 'HTTPRoute', 'echo', 'shop').spec;
    expect(spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways' }]);
    expect(spec.hostnames).toEqual([HOST]);
    expect(spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'echo', port: 80 }] }]);
    expect(docs.filter((d) => d.kind === 'ReferenceGrant')).toEqual([]);
    // the app's default-deny NetworkPolicy admits the Gateway's proxies (its namespace) on the main port
    const ingress = find(docs, 'NetworkPolicy', 'echo', 'shop').spec.ingress;
    expect(ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }], ports: [{ port: 5678, protocol: 'TCP' }] });
  });

  test('sectionName picks the listener; a second call adds a path (Exact) to the same rule', () => {
    const { web, gateway, synth } = setup();
    web.exposeViaGateway({ gateway, hostnames: [HOST], sectionName: 'http', path: '/api' });
    web.exposeViaGateway({ gateway, hostnames: [HOST], sectionName: 'http', path: '/healthz', pathType: PathType.EXACT });
    const docs = synth();
    expect(allSchemaProblems(docs)).toEqual([]);
    const spec = find(docs, 'HTTPRoute', 'echo').spec;
    expect(spec.parentRefs[0].sectionName).toBe('http');
    expect(spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }, { path: { type: 'Exact', value: '/healthz' } }]);
  });

  test('routePlacement GATEWAY_NAMESPACE: the route in the Gateway\'s namespace names the Service\'s namespace, and a ReferenceGrant there allows it (snapshot)', () => {
    // GIVEN a listener that admits only its own namespace (the Gateway API default)
    const { web, gateway, synth } = setup([{ name: 'https', protocol: ListenerProtocol.HTTPS, hostname: HOST, certificateRefs: [{ name: 'echo-tls' }] }]);
    // WHEN
    web.exposeViaGateway({ gateway, hostnames: [HOST], routePlacement: RoutePlacement.GATEWAY_NAMESPACE });
    // THEN
    const docs = synth();
    expect(allSchemaProblems(docs)).toEqual([]);
    const route = find(docs, 'HTTPRoute', 'echo');
    expect(route.metadata.namespace).toBe('gateways');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'echo', namespace: 'shop', port: 80 }]);
    const grant = find(docs, 'ReferenceGrant', 'echo-from-gateways');
    expect(web.referenceGrant).toBeDefined();
    expect(grant.metadata.namespace).toBe('shop');
    expect(grant.spec).toEqual({ from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'gateways' }], to: [{ group: '', kind: 'Service', name: 'echo' }] });
    expect([route, grant]).toMatchSnapshot();
  });

  test('GATEWAY_NAMESPACE with a Gateway in the app\'s own namespace needs no ReferenceGrant', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const gateway = new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP }] });
    const web = new WebApp(chart, 'echo', { image: IMAGE, port: 5678 });
    web.exposeViaGateway({ gateway, routePlacement: RoutePlacement.GATEWAY_NAMESPACE });
    const docs = Testing.synth(chart);
    expect(docs.filter((d) => d.kind === 'ReferenceGrant')).toEqual([]);
    expect(find(docs, 'HTTPRoute', 'echo').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
    expect(find(docs, 'HTTPRoute', 'echo').spec.hostnames).toBeUndefined();
  });

  test('an isolated app admits the Gateway\'s namespace on the main container port (before or after isolate)', () => {
    const { web, gateway, synth } = setup();
    web.isolate();
    web.exposeViaGateway({ gateway, hostnames: [HOST] });
    const policy = find(synth(), 'NetworkPolicy', 'echo');
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }], ports: [{ port: 5678, protocol: 'TCP' }] }]);
    const later = setup();
    later.web.exposeViaGateway({ gateway: later.gateway, hostnames: [HOST] });
    later.web.isolate();
    expect(find(later.synth(), 'NetworkPolicy', 'echo').spec.ingress).toEqual(policy.spec.ingress);
  });

  test('gatewayPeer replaces the Gateway\'s namespace (Envoy Gateway runs its proxies in envoy-gateway-system)', () => {
    const { web, synth } = setup();
    web.exposeViaGateway({ gateway: Gateway.fromGatewayName('eg', 'edge'), gatewayPeer: NetworkPeer.namespace('envoy-gateway-system') });
    web.isolate();
    const docs = synth();
    expect(find(docs, 'NetworkPolicy', 'echo').spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }]);
    expect(find(docs, 'HTTPRoute', 'echo').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'eg', namespace: 'edge' }]);
  });

  test('an existing Gateway referenced by name is not checked against listeners', () => {
    const { web, synth } = setup();
    web.exposeViaGateway({ gateway: Gateway.fromGatewayName('shared'), hostnames: ['anything.example.org'], sectionName: 'whatever' });
    expect(find(synth(), 'HTTPRoute', 'echo').spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', sectionName: 'whatever' }]);
  });
});

describe('WebApp.exposeViaGateway fails if', () => {
  test.each<[string, (g: Gateway) => GatewayExposureOptions, RegExp]>([
    ['a hostname no listener accepts', (gateway) => ({ gateway, hostnames: ['echo.example.org'] }),
      /WebApp 'echo': exposeViaGateway hostnames\[0\] 'echo.example.org' is accepted by no listener of Gateway 'public' \(listeners: 'http' \(HTTP 80 \*.example.com, routes from All\)\); add a listener whose hostname is 'echo.example.org'/],
    ['sectionName names no listener', (gateway) => ({ gateway, sectionName: 'admin' }),
      /WebApp 'echo': sectionName 'admin' names no listener of Gateway 'public' .*; name one of its listeners \('http', 'https'\)/],
    ['the listener named does not admit the app\'s namespace', (gateway) => ({ gateway, sectionName: 'https' }),
      /WebApp 'echo': no listener of Gateway 'public' named 'https' \(namespace 'gateways'\) admits HTTPRoutes from namespace 'shop'.*; set allowedRoutes on a listener to RouteNamespaces.all\(\)/],
    ['a hostname is an IP address', (gateway) => ({ gateway, hostnames: ['10.0.0.1'] }),
      /exposeViaGateway hostnames\[0\] '10.0.0.1' is not a DNS name or leading wildcard; use e.g. 'shop.example.com'/],
    ['the path does not start with /', (gateway) => ({ gateway, path: 'api' }), /exposeViaGateway path 'api' does not start with '\/'; use '\/api'/],
    ['the path is not normalized', (gateway) => ({ gateway, path: '/a//b' }), /exposeViaGateway path '\/a\/\/b' is not a path the Gateway API accepts/],
    ['pathType is ImplementationSpecific', (gateway) => ({ gateway, pathType: PathType.IMPLEMENTATION_SPECIFIC }),
      /exposeViaGateway pathType 'ImplementationSpecific' has no Gateway API counterpart .*; use PathType.PREFIX or PathType.EXACT/],
    ['gateway is not a Gateway (JavaScript)', () => ({ gateway: 'public' as any }), /exposeViaGateway gateway 'public' is not a Gateway; pass a Gateway of this app or Gateway.fromGatewayName/],
    ['routePlacement is not a RoutePlacement (JavaScript)', (gateway) => ({ gateway, routePlacement: 'here' as any }), /exposeViaGateway routePlacement 'here' is not a RoutePlacement/],
    ['gatewayPeer is not a NetworkPeer (JavaScript)', (gateway) => ({ gateway, gatewayPeer: 'edge' as any }), /exposeViaGateway gatewayPeer 'edge' is not a NetworkPeer/],
  ])('%s', (_name, options, message) => {
    const { web, gateway } = setup();
    expect(() => web.exposeViaGateway(options(gateway))).toThrow(message);
    expect(web.httpRoute).toBeUndefined();
  });

  test('a second call names another Gateway or hostnames', () => {
    const { web, gateway } = setup();
    web.exposeViaGateway({ gateway, hostnames: [HOST] });
    expect(() => web.exposeViaGateway({ gateway, hostnames: ['other.example.com'] }))
      .toThrow(/exposeViaGateway was called before with gateway 'public' hostnames \["echo.example.com"\], and now with gateway 'public' hostnames \["other.example.com"\], but a WebApp has one HTTPRoute; call exposeViaGateway again only to add paths/);
  });

  test('a path is exposed twice', () => {
    const { web, gateway } = setup();
    web.exposeViaGateway({ gateway, path: '/api' });
    expect(() => web.exposeViaGateway({ gateway, path: '/api' })).toThrow(/exposeViaGateway path '\/api' \(PathPrefix\) is exposed twice; expose each path once/);
  });

  test('GATEWAY_NAMESPACE without the Gateway\'s namespace', () => {
    const { web } = setup();
    expect(() => web.exposeViaGateway({ gateway: Gateway.fromGatewayName('shared'), routePlacement: RoutePlacement.GATEWAY_NAMESPACE })).not.toThrow();
    const other = setup();
    const chart = new Chart(other.app, 'nons');
    const app = new WebApp(chart, 'echo', { image: IMAGE, port: 5678 });
    expect(() => app.exposeViaGateway({ gateway: Gateway.fromGatewayName('shared', 'gateways'), routePlacement: RoutePlacement.GATEWAY_NAMESPACE }))
      .toThrow(/exposeViaGateway routePlacement GATEWAY_NAMESPACE needs both namespaces, but the app's is not known.*; give the Gateway .* and the app a namespace, or use RoutePlacement.APP_NAMESPACE/);
  });

  test('the app has no Service', () => {
    const { chart, gateway } = setup();
    const worker = new WebApp(chart, 'worker', { image: IMAGE, createService: false });
    expect(() => worker.exposeViaGateway({ gateway })).toThrow(/WebApp 'worker': exposeViaGateway needs a Service; give the app a port and keep createService/);
  });
});

describe('Gateway redirectToHttps', () => {
  const listeners: GatewayListener[] = [
    { name: 'http', protocol: ListenerProtocol.HTTP, hostname: '*.example.com', allowedRoutes: RouteNamespaces.all(), redirectToHttps: true },
    { name: 'https', protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', certificateRefs: [{ name: 'example-tls' }], allowedRoutes: RouteNamespaces.all() },
  ];

  test('an HTTPRoute on the HTTP listener answers 301 to https; apps attach to the HTTPS listener (snapshot)', () => {
    const { web, gateway, synth } = setup(listeners);
    web.exposeViaGateway({ gateway, hostnames: [HOST], sectionName: 'https' });
    const docs = synth();
    expect(allSchemaProblems(docs)).toEqual([]);
    const redirect = find(docs, 'HTTPRoute', 'public-http-https-redirect', 'gateways');
    expect(redirect).toMatchSnapshot();
    expect(gateway.redirectRoutes).toHaveLength(1);
    expect(redirect.spec).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', sectionName: 'http' }],
      hostnames: ['*.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  test('an HTTPS listener on another port is named in the redirect', () => {
    const { gateway } = setup([listeners[0], { ...listeners[1], port: 8443 }]);
    const [redirect] = gateway.redirectRoutes;
    expect(Testing.synth(Chart.of(redirect))[1].spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301, port: 8443 });
  });

  test('fails if a route would attach to the redirecting listener', () => {
    const { web, gateway } = setup(listeners);
    expect(() => web.exposeViaGateway({ gateway, hostnames: [HOST] }))
      .toThrow(/WebApp 'echo': a route without sectionName attaches to listener 'http' of Gateway 'public', which redirects HTTP to HTTPS, so this route would answer plain HTTP for its hostnames instead of the redirect; attach to an HTTPS listener with sectionName \('https'\)/);
    expect(() => web.exposeViaGateway({ gateway, hostnames: [HOST], sectionName: 'http' })).toThrow(/sectionName 'http' attaches to listener 'http'/);
  });

  test('fails if there is no HTTPS listener, or the listener is not HTTP', () => {
    const chart = new Chart(Testing.app(), 'infra', { namespace: 'gateways' });
    expect(() => new Gateway(chart, 'a', { gatewayClassName: 'istio', listeners: [listeners[0]] }))
      .toThrow(/Gateway 'a': listeners\[0\] 'http' redirects to HTTPS, but the Gateway has no HTTPS listener to serve the redirected requests; add an HTTPS listener/);
    expect(() => new Gateway(chart, 'b', { gatewayClassName: 'istio', listeners: [{ ...listeners[1], redirectToHttps: true }] }))
      .toThrow(/Gateway 'b': listeners\[0\] 'https' is HTTPS with redirectToHttps; set redirectToHttps on an HTTP listener/);
  });
});
