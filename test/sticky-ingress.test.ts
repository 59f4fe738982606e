import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import {
  AffinityMode, CanaryPlan, CanaryRelease, CookieSameSite, DefaultBackend, ExternalTrafficPolicy, Namespace, PathType, Probe,
  ServiceType, StickyIngress, StickyIngressProps, StickyStrategy, WebApp, WebAppProps,
} from '../lib';
import { manifest } from '../lib/k8s-object';
import { NOT_FOUND_BACKEND_IMAGE, meshInjectionOf } from '../lib/sticky';
import { all, find, synth } from './support/synth';

// ---------------------------------------------------------------------------------------------- helpers

const IMAGE = 'cotoami/http-debug-server:1.0.0';

function setup(namespace = 'shop', nsLabels?: Record<string, string>) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  if (nsLabels) new Namespace(chart, 'namespace', { name: namespace, labels: nsLabels });
  return { app, chart };
}

function webApp(chart: Chart, id = 'debug', props: Partial<WebAppProps> = {}): WebApp {
  return new WebApp(chart, id, { image: IMAGE, port: 3000, replicas: 3, readiness: Probe.httpGet('/'), ...props });
}

function sticky(chart: Chart, props: Partial<StickyIngressProps> & Pick<StickyIngressProps, 'strategy'>, backend?: WebApp): StickyIngress {
  return new StickyIngress(chart, 'sticky', { backend: backend ?? webApp(chart), host: 'debug.example.com', ...props });
}


/** Runs every construct's synth-time validation (what `npm run synth` does). */
function validate(app: App): void {
  app.synth();
}

const cookie = (options = {}) => StickyStrategy.nginxCookie({ name: 'route', ...options });

// ---------------------------------------------------------------------------------------------- nginxCookie

describe('nginxCookie', () => {
  test('seed scenario: Ingress with the affinity annotations, TLS and a hardened 404 default backend', () => {
    // GIVEN
    const { chart } = setup();
    // WHEN
    const s = sticky(chart, {
      name: 'debug',
      strategy: cookie({ maxAge: Duration.hours(48) }),
      tlsSecretName: 'debug-tls',
      defaultBackend: DefaultBackend.notFound(),
    });
    // THEN
    const docs = synth(chart);
    expect(docs).toMatchSnapshot();
    const ing = find(docs, 'Ingress', 'debug');
    expect(ing.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/affinity-mode': 'balanced',
      'nginx.ingress.kubernetes.io/session-cookie-name': 'route',
      'nginx.ingress.kubernetes.io/session-cookie-max-age': '172800',
      'nginx.ingress.kubernetes.io/session-cookie-expires': '172800',
      'nginx.ingress.kubernetes.io/session-cookie-change-on-failure': 'false',
    });
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.rules).toEqual([{ host: 'debug.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'debug', port: { number: 80 } } } }] } }]);
    expect(ing.spec.tls).toEqual([{ hosts: ['debug.example.com'], secretName: 'debug-tls' }]);
    // '/' Prefix matches every path of the host, so spec.defaultBackend there would never answer
    // (ingress-nginx uses it as a catch-all only on an Ingress without rules): the 404 backend is the
    // catch-all for unknown hosts through a separate rules-less Ingress of the same class.
    expect(ing.spec.defaultBackend).toBeUndefined();
    expect(all(docs, 'Ingress')).toHaveLength(2);
    const catchAll = find(docs, 'Ingress', 'debug-default-backend');
    expect(catchAll.spec).toEqual({ ingressClassName: 'nginx', defaultBackend: { service: { name: 'debug-default-backend', port: { number: 80 } } } });
    expect(catchAll.metadata.namespace).toBe('shop');
    expect(catchAll.metadata.annotations).toBeUndefined();
    expect(s.defaultBackendIngress).toBeDefined();
    // The app's Service stays ClusterIP: ingress-nginx routes to the endpoints itself.
    expect(find(docs, 'Service', 'debug').spec.type).toBe('ClusterIP');
    expect(find(docs, 'Service', 'debug').spec.sessionAffinity).toBeUndefined();

    const db = find(docs, 'Deployment', 'debug-default-backend');
    const c = db.spec.template.spec.containers[0];
    expect(c.image).toBe(NOT_FOUND_BACKEND_IMAGE);
    expect(NOT_FOUND_BACKEND_IMAGE).toBe('registry.k8s.io/defaultbackend-amd64:1.5');
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // liveness is not a copy of readiness (kube-score container-probes-identical): a TCP connect to the same port
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(db.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64' });
    expect(s.notFoundBackend?.name).toBe('debug-default-backend');
    expect(s.ingress).toBeDefined();
  });

  test('every cookie option maps to its ingress-nginx annotation', () => {
    const { chart } = setup();
    const s = sticky(chart, {
      path: '/app', // the Ingress path must lie under the cookie path, or browsers never send the cookie back
      tlsSecretName: 'shop-tls', // a Secure cookie needs HTTPS
      strategy: StickyStrategy.nginxCookie({
        name: 'SESSION_ID', maxAge: Duration.hours(1), expires: Duration.hours(2), path: '/app', domain: '.example.com',
        sameSite: CookieSameSite.NONE, secure: true, mode: AffinityMode.PERSISTENT, changeOnFailure: true,
      }),
    });
    const ing = find(synth(chart), 'Ingress');
    expect(ing.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      'nginx.ingress.kubernetes.io/affinity-mode': 'persistent',
      'nginx.ingress.kubernetes.io/session-cookie-name': 'SESSION_ID',
      'nginx.ingress.kubernetes.io/session-cookie-max-age': '3600',
      'nginx.ingress.kubernetes.io/session-cookie-expires': '7200',
      'nginx.ingress.kubernetes.io/session-cookie-path': '/app',
      'nginx.ingress.kubernetes.io/session-cookie-domain': '.example.com',
      'nginx.ingress.kubernetes.io/session-cookie-samesite': 'None',
      'nginx.ingress.kubernetes.io/session-cookie-secure': 'true',
      'nginx.ingress.kubernetes.io/session-cookie-change-on-failure': 'true',
    });
    expect(s.annotations['nginx.ingress.kubernetes.io/affinity-mode']).toBe('persistent');
  });

  test('defaults: cookie INGRESSCOOKIE, session cookie (no max-age/expires), no default backend', () => {
    const { chart } = setup();
    sticky(chart, { strategy: StickyStrategy.nginxCookie() });
    const ing = find(synth(chart), 'Ingress');
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-name']).toBe('INGRESSCOOKIE');
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-max-age']).toBeUndefined();
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-expires']).toBeUndefined();
    expect(ing.spec.defaultBackend).toBeUndefined();
  });

  test('several paths and backends on one host, user annotations and a WebApp default backend', () => {
    // GIVEN
    const { chart } = setup();
    const web = webApp(chart);
    const api = webApp(chart, 'api', { port: 8080 });
    const fallback = webApp(chart, 'fallback', { replicas: 2 });
    // WHEN
    const s = new StickyIngress(chart, 'sticky', {
      backend: web,
      host: '*.example.com',
      strategy: cookie(),
      paths: [{ path: '/api', backend: api }],
      annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
      defaultBackend: DefaultBackend.service(fallback),
    });
    s.addPath({ path: '/static', pathType: PathType.EXACT });
    // THEN
    const docs = synth(chart);
    expect(docs).toMatchSnapshot();
    const ing = find(docs, 'Ingress', 'sticky');
    expect(ing.spec.rules[0].host).toBe('*.example.com');
    expect(ing.spec.rules[0].http.paths).toEqual([
      { path: '/', pathType: 'Prefix', backend: { service: { name: 'debug', port: { number: 80 } } } },
      { path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } },
      { path: '/static', pathType: 'Exact', backend: { service: { name: 'debug', port: { number: 80 } } } },
    ]);
    // No cookie path: ingress-nginx sets each path's cookie on that path, so the two Services do not share one cookie.
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-path']).toBeUndefined();
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/use-regex']).toBeUndefined();
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('8m');
    expect(ing.spec.defaultBackend).toBeUndefined();
    expect(find(docs, 'Ingress', 'sticky-default-backend').spec).toEqual({ ingressClassName: 'nginx', defaultBackend: { service: { name: 'fallback', port: { number: 80 } } } });
    expect(s.notFoundBackend).toBeUndefined();
  });

  test('a regex path to the same Service sets use-regex and keeps the explicit cookie path', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: cookie({ path: '/' }), annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' } });
    s.addPath({ path: '/static/[0-9]+', regex: true });
    const ing = find(synth(chart), 'Ingress');
    expect(ing.spec.rules[0].http.paths[1]).toEqual({ path: '/static/[0-9]+', pathType: 'ImplementationSpecific', backend: { service: { name: 'debug', port: { number: 80 } } } });
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/use-regex']).toBe('true');
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-path']).toBe('/');
  });

  test('without a \'/\' prefix path, spec.defaultBackend of the Ingress also answers the host\'s unmatched paths', () => {
    const { chart } = setup();
    const s = sticky(chart, { name: 'debug', strategy: cookie(), path: '/app', paths: [{ path: '/', pathType: PathType.EXACT }], defaultBackend: DefaultBackend.notFound({ replicas: 1 }) });
    const docs = synth(chart);
    const ref = { service: { name: 'debug-default-backend', port: { number: 80 } } };
    expect(find(docs, 'Ingress', 'debug').spec.defaultBackend).toEqual(ref);
    expect(find(docs, 'Ingress', 'debug-default-backend').spec).toEqual({ ingressClassName: 'nginx', defaultBackend: ref });
    expect(find(docs, 'Deployment', 'debug-default-backend').spec.replicas).toBe(1);
    expect(s.defaultBackendIngress?.name).toBe('debug-default-backend');
  });

  test('no default backend: no catch-all Ingress', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: cookie() });
    expect(all(synth(chart), 'Ingress')).toHaveLength(1);
    expect(s.defaultBackendIngress).toBeUndefined();
  });

  test('a backend port can be named or numbered; the Ingress always routes by Service port number', () => {
    const { chart } = setup();
    const web = webApp(chart, 'multi', { port: undefined, ports: [{ containerPort: 3000 }, { containerPort: 9090, name: 'admin', servicePort: 9090 }] });
    sticky(chart, { strategy: cookie(), port: 'admin' }, web);
    expect(find(synth(chart), 'Ingress').spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 9090 });
  });

  test('fails if the cookie name is not an RFC 6265 token', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ name: 'my cookie' }) })).toThrow(/StickyIngress 'sticky': nginxCookie cookie name 'my cookie' is not an RFC 6265 token/);
    const { chart: c2 } = setup();
    expect(() => sticky(c2, { strategy: cookie({ name: 'a=b' }) })).toThrow(/is not an RFC 6265 token/);
    const { chart: c3 } = setup();
    expect(() => sticky(c3, { strategy: cookie({ name: '' }) })).toThrow(/is not an RFC 6265 token/);
  });

  test('fails if the cookie name is a token ingress-nginx rejects', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ name: 'a!b' }) })).toThrow(/cookie name 'a!b' is rejected by ingress-nginx's annotation validator/);
  });

  test('fails if max-age is not positive', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ maxAge: Duration.seconds(0) }) })).toThrow(/nginxCookie maxAge 0s is not a positive whole number of seconds/);
  });

  test('fails if expires is not positive', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ expires: Duration.seconds(0) }) })).toThrow(/nginxCookie expires 0s is not a positive/);
  });

  test('fails if sameSite is not Strict, Lax or None', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ sameSite: 'lax' as CookieSameSite }) })).toThrow(/sameSite 'lax' is not Strict, Lax or None; use CookieSameSite/);
  });

  test('fails if the cookie is secure but the host is served over plain HTTP (browsers drop it), naming both fixes', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ secure: true }) }))
      .toThrow(/nginxCookie secure: true, but host 'debug.example.com' is served over plain HTTP \(no tlsSecretName\), and browsers drop a Secure cookie.*; set tlsSecretName, or tlsTerminatedUpstream: true if a load balancer in front/);
    expect(() => sticky(setup().chart, { strategy: cookie({ secure: true, sameSite: CookieSameSite.NONE }) })).toThrow(/served over plain HTTP.*sameSite None needs secure: true, so use LAX/);
  });

  test('a secure cookie is fine with tlsSecretName, or with TLS terminated upstream', () => {
    const withTls = setup();
    sticky(withTls.chart, { strategy: cookie({ secure: true }), tlsSecretName: 'shop-tls' });
    expect(find(synth(withTls.chart), 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-secure']).toBe('true');
    const upstream = setup();
    sticky(upstream.chart, { strategy: cookie({ secure: true, sameSite: CookieSameSite.NONE }), tlsTerminatedUpstream: true });
    const ing = find(synth(upstream.chart), 'Ingress');
    expect(ing.metadata.annotations['nginx.ingress.kubernetes.io/session-cookie-secure']).toBe('true');
    expect(ing.spec.tls).toBeUndefined(); // TLS is not the Ingress's job here
  });

  test('fails if tlsTerminatedUpstream is not a boolean, or is set without an Ingress', () => {
    expect(() => sticky(setup().chart, { strategy: cookie(), tlsTerminatedUpstream: 'yes' as any })).toThrow(/tlsTerminatedUpstream 'yes' is not a boolean/);
    expect(() => sticky(setup().chart, { strategy: StickyStrategy.clientIp({}), host: undefined, tlsTerminatedUpstream: true })).toThrow(/clientIp cannot be combined with tlsTerminatedUpstream/);
  });

  test('fails if sameSite None is not secure', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ sameSite: CookieSameSite.NONE }) })).toThrow(/sameSite None without secure: true; set secure: true/);
  });

  test('fails if the affinity mode is unknown', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ mode: 'sticky' as AffinityMode }) })).toThrow(/mode 'sticky' is not balanced or persistent/);
  });

  test('fails if the cookie path is not a plain absolute path', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ path: 'app' }) })).toThrow(/nginxCookie path 'app' is not a plain absolute path/);
  });

  test.each([
    ['Debug.Example.com'], ['debug..example.com'], ['*.*.example.com'], ['debug.*.com'], ['1.2.3.4'], ['-debug.example.com'], [''],
  ])('fails if the host %p is not a DNS name or a single leading wildcard', (host) => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie(), host })).toThrow(/host '.*' is not a DNS name; use a lowercase DNS name/);
  });

  test('fails if a path does not start with /', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie(), path: 'api' })).toThrow(/path 'api' does not start with '\/'; use an absolute path such as '\/api'/);
  });

  test('fails if a regex path comes without an explicit cookie path', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: cookie() });
    expect(() => s.addPath({ path: '/api/v[0-9]+', regex: true })).toThrow(/path '\/api\/v\[0-9\]\+' is a regular expression but nginxCookie has no path; set StickyStrategy.nginxCookie\(\{ path: '\/' \}\)/);
  });

  test('fails if a path contains regex characters without regex: true', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie(), path: '/api/(.*)' })).toThrow(/contains regular-expression characters but regex is not set/);
  });

  test('fails if a regex path is not ImplementationSpecific', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: cookie({ path: '/' }) });
    expect(() => s.addPath({ path: '/v[0-9]', regex: true, pathType: PathType.PREFIX })).toThrow(/is a regex but its pathType is Prefix/);
  });

  test('fails if a path is routed twice', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: cookie() });
    expect(() => s.addPath({ path: '/' })).toThrow(/path '\/' \(Prefix\) is routed twice/);
  });

  test('fails if the backend port is not exposed by the Service', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie(), port: 3000 })).toThrow(
      /port 3000 is not a port of Service 'debug', which exposes 80\/http \(3000 is the container port; the Service exposes it as 80\/http\); use one of the Service's ports: 80 or 'http'/);
    const { chart: c2 } = setup();
    expect(() => sticky(c2, { strategy: cookie(), port: 'grpc' })).toThrow(/port 'grpc' is not a port of Service 'debug'/);
  });

  test('fails if the backend has no Service', () => {
    const { chart } = setup();
    const worker = new WebApp(chart, 'worker', { image: IMAGE, createService: false });
    expect(() => sticky(chart, { strategy: cookie() }, worker)).toThrow(/backend has no Service/);
  });

  test('fails without a host', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie(), host: undefined })).toThrow(/nginxCookie needs a host/);
  });

  test('fails if an annotation overrides the strategy or routes through the ClusterIP', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie(), annotations: { 'nginx.ingress.kubernetes.io/session-cookie-name': 'other' } }))
      .toThrow(/annotation nginx.ingress.kubernetes.io\/session-cookie-name 'other' conflicts with the nginxCookie strategy's 'route'/);
    const { chart: c2 } = setup();
    expect(() => sticky(c2, { strategy: cookie(), annotations: { 'nginx.ingress.kubernetes.io/service-upstream': 'true' } }))
      .toThrow(/kube-proxy, not ingress-nginx, picks the pod/);
  });

  test('fails if the cookie path is set and the paths route to more than one Service', () => {
    const { chart } = setup();
    const api = webApp(chart, 'api');
    expect(() => sticky(chart, { strategy: cookie({ path: '/' }), paths: [{ path: '/api', backend: api }] })).toThrow(
      /StickyIngress 'sticky': nginxCookie path '\/' is set and path '\/api' routes to Service 'api' besides 'debug': .*same cookie 'route' at Path '\/'.*ingress-nginx#1930\); remove the nginxCookie path .* or route Service 'api' through its own StickyIngress with another cookie name, e\.g\. 'route-api'/);
    const { chart: c2 } = setup();
    const s = sticky(c2, { strategy: cookie({ path: '/' }) });
    expect(() => s.addPath({ path: '/api', backend: webApp(c2, 'api') })).toThrow(/nginxCookie path '\/' is set and path '\/api' routes to Service 'api' besides 'debug'/);
  });

  test('fails if the use-regex annotation is not "true" but a path is a regex', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: cookie({ path: '/' }), annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'false' } });
    expect(() => s.addPath({ path: '/v[0-9]+', regex: true })).toThrow(
      /StickyIngress 'sticky': annotation nginx.ingress.kubernetes.io\/use-regex 'false' contradicts path '\/v\[0-9\]\+', a regular expression, which needs 'true'; remove the annotation/);
    const { chart: c2 } = setup();
    expect(() => sticky(c2, { strategy: cookie({ path: '/' }), annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'false' }, paths: [{ path: '/v[0-9]+', regex: true }] }))
      .toThrow(/use-regex 'false' contradicts path/);
  });

  test('fails if the default backend Ingress name would not be a DNS-1123 subdomain', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { name: 'a'.repeat(240), strategy: cookie(), defaultBackend: DefaultBackend.service(webApp(chart, 'fallback')) }))
      .toThrow(/default backend Ingress name 'a+-default-backend' \(<name>-default-backend\) is not a DNS-1123 subdomain/);
  });

  test('fails if a path backend lives in another namespace', () => {
    const { chart } = setup();
    const other = webApp(chart, 'other', { namespace: 'elsewhere' });
    expect(() => sticky(chart, { strategy: cookie(), paths: [{ path: '/other', backend: other }] }))
      .toThrow(/path '\/other' backend Service 'other' is in namespace 'elsewhere', not 'shop'/);
  });
});

// ---------------------------------------------------------------------------------------------- clientIp

describe('clientIp', () => {
  test('ClusterIP Service: sessionAffinity ClientIP with the timeout, and no Ingress', () => {
    const { app, chart } = setup();
    const web = webApp(chart);
    const s = new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp({ timeout: Duration.minutes(30) }) });
    const docs = synth(chart);
    expect(docs).toMatchSnapshot();
    const svc = find(docs, 'Service', 'debug');
    expect(svc.spec.sessionAffinity).toBe('ClientIP');
    expect(svc.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 1800 } });
    expect(svc.spec.externalTrafficPolicy).toBeUndefined();
    expect(all(docs, 'Ingress')).toEqual([]);
    expect(s.ingress).toBeUndefined();
    expect(s.clientIpTimeoutSeconds).toBe(1800);
    expect(web.sessionAffinityTimeout).toBe(1800);
    expect(() => validate(app)).not.toThrow();
  });

  test('default timeout is Kubernetes\' 3 hours', () => {
    const { chart } = setup();
    new StickyIngress(chart, 'sticky', { backend: webApp(chart), strategy: StickyStrategy.clientIp() });
    expect(find(synth(chart), 'Service').spec.sessionAffinityConfig.clientIP.timeoutSeconds).toBe(10800);
  });

  test('LoadBalancer Service: externalTrafficPolicy Local keeps the client IP', () => {
    const { chart } = setup();
    const web = webApp(chart, 'debug', { serviceType: ServiceType.LOAD_BALANCER });
    new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp({ timeout: Duration.hours(24) }) });
    const svc = find(synth(chart), 'Service');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } });
  });

  test('NodePort Service with an explicit Local policy is kept', () => {
    const { chart } = setup();
    const web = webApp(chart, 'debug', { serviceType: ServiceType.NODE_PORT, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL });
    new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp() });
    expect(find(synth(chart), 'Service').spec.externalTrafficPolicy).toBe('Local');
  });

  test('any construct exposing a Service works: the Service object is patched', () => {
    const { chart } = setup();
    const web = webApp(chart, 'debug', { serviceType: ServiceType.LOAD_BALANCER });
    const backend = { service: web.service };
    new StickyIngress(chart, 'sticky', { backend, strategy: StickyStrategy.clientIp({ timeout: Duration.seconds(60) }) });
    const svc = find(synth(chart), 'Service');
    expect(svc.spec).toMatchObject({ externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
  });

  test('fails if the backend is in an Istio-injected namespace (found in the construct tree at synth)', () => {
    const { app, chart } = setup('shop', { 'istio-injection': 'enabled' });
    new StickyIngress(chart, 'sticky', { backend: webApp(chart), strategy: StickyStrategy.clientIp() });
    expect(() => validate(app)).toThrow(
      /StickyIngress 'sticky': clientIp on Service 'debug' whose pods are in the Istio mesh \(namespace 'shop' is labelled istio-injection=enabled\).*istio\/istio#6011.*use StickyStrategy.istioConsistentHash/);
  });

  test('fails if the namespace is declared after the StickyIngress, in another chart, with an istio.io/rev label', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new StickyIngress(chart, 'sticky', { backend: webApp(chart), strategy: StickyStrategy.clientIp() });
    const mesh = new Chart(app, 'mesh');
    new Namespace(mesh, 'ns', { name: 'shop', labels: { 'istio.io/rev': 'canary' } });
    expect(() => validate(app)).toThrow(/labelled istio.io\/rev=canary/);
  });

  test('fails if meshInjected is declared', () => {
    const { chart } = setup();
    expect(() => new StickyIngress(chart, 'sticky', { backend: webApp(chart), strategy: StickyStrategy.clientIp(), meshInjected: true }))
      .toThrow(/whose pods are in the Istio mesh \(meshInjected is true\)/);
  });

  test('passes when injection is disabled for the namespace or opted out on the pods, or overridden', () => {
    const a = setup('shop', { 'istio-injection': 'disabled', 'istio.io/rev': 'stable' });
    new StickyIngress(a.chart, 'sticky', { backend: webApp(a.chart), strategy: StickyStrategy.clientIp() });
    expect(() => validate(a.app)).not.toThrow();

    const b = setup('shop', { 'istio-injection': 'enabled' });
    const web = webApp(b.chart);
    web.addPodAnnotation('sidecar.istio.io/inject', 'false');
    new StickyIngress(b.chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp() });
    expect(() => validate(b.app)).not.toThrow();

    const c = setup('shop', { 'istio-injection': 'enabled' });
    new StickyIngress(c.chart, 'sticky', { backend: webApp(c.chart), strategy: StickyStrategy.clientIp(), meshInjected: false });
    expect(() => validate(c.app)).not.toThrow();
  });

  test('meshInjectionOf reads Namespace objects rendered by any construct', () => {
    const { chart } = setup();
    const ns = new ApiObject(chart, 'raw-ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' } } });
    expect(meshInjectionOf({ name: 'debug', namespace: 'shop' }, [ns])).toMatch(/ambient/);
    expect(meshInjectionOf({ name: 'debug', namespace: 'other' }, [ns])).toBeUndefined();
  });

  test.each([[0], [86401]])('fails if the timeout %ss is outside 1-86400 seconds', (seconds) => {
    const { chart } = setup();
    expect(() => new StickyIngress(chart, 'sticky', { backend: webApp(chart), strategy: StickyStrategy.clientIp({ timeout: Duration.seconds(seconds) }) }))
      .toThrow(new RegExp(`clientIp timeout ${seconds}s is outside 1-86400 seconds; use a timeout between`));
  });

  test('fails if combined with a host (an Ingress controller hides the client IP)', () => {
    const { chart } = setup();
    expect(() => new StickyIngress(chart, 'sticky', { backend: webApp(chart), host: 'debug.example.com', strategy: StickyStrategy.clientIp() }))
      .toThrow(/clientIp cannot be combined with host: an Ingress controller connects to the pods itself/);
  });

  test('fails if the LoadBalancer Service keeps externalTrafficPolicy Cluster', () => {
    const { chart } = setup();
    const web = webApp(chart, 'debug', { serviceType: ServiceType.LOAD_BALANCER, externalTrafficPolicy: ExternalTrafficPolicy.CLUSTER });
    expect(() => new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp() }))
      .toThrow(/with externalTrafficPolicy Cluster: nodes SNAT external clients/);
  });

  test('fails on a headless Service', () => {
    const { chart } = setup();
    const web = webApp(chart, 'debug', { serviceType: ServiceType.HEADLESS });
    expect(() => new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp() })).toThrow(/headless Service 'debug' does nothing/);
  });

  test('fails if two StickyIngresses set different timeouts on one Service', () => {
    const { chart } = setup();
    const web = webApp(chart);
    new StickyIngress(chart, 'a', { backend: web, strategy: StickyStrategy.clientIp({ timeout: Duration.minutes(5) }) });
    expect(() => new StickyIngress(chart, 'b', { backend: web, strategy: StickyStrategy.clientIp({ timeout: Duration.minutes(10) }) }))
      .toThrow(/clientIp timeout 600s differs from the 300s already set on WebApp 'debug'/);
  });
});

// ---------------------------------------------------------------------------------------------- istioConsistentHash

describe('istioConsistentHash', () => {
  test('cookie hash in an injected namespace: DestinationRule for the Service and an Ingress for the Istio gateway', () => {
    // GIVEN
    const { app, chart } = setup('shop', { 'istio-injection': 'enabled' });
    // WHEN
    const s = sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route', path: '/', ttl: Duration.hours(1) } }) });
    // THEN
    const docs = synth(chart);
    expect(docs).toMatchSnapshot();
    const dr = find(docs, 'DestinationRule');
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.metadata).toMatchObject({ name: 'debug-sticky', namespace: 'shop' });
    expect(dr.spec).toEqual({ host: 'debug', trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: 'route', path: '/', ttl: '3600s' } } } } });
    const ing = find(docs, 'Ingress');
    expect(ing.spec.ingressClassName).toBe('istio');
    expect(ing.metadata.annotations).toBeUndefined();
    expect(s.destinationRule).toBeDefined();
    expect(() => validate(app)).not.toThrow();
  });

  test('cookie ttl defaults to 0s (a session cookie; Istio requires a ttl)', () => {
    const { chart } = setup();
    sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route' } }) });
    expect(find(synth(chart), 'DestinationRule').spec.trafficPolicy.loadBalancer.consistentHash).toEqual({ httpCookie: { name: 'route', ttl: '0s' } });
  });

  test.each([
    [{ header: 'x-user-id' }, { httpHeaderName: 'x-user-id' }],
    [{ sourceIp: true }, { useSourceIp: true }],
    [{ queryParameter: 'user' }, { httpQueryParameterName: 'user' }],
  ])('hash key %p renders %p', (options, expected) => {
    const { chart } = setup();
    sticky(chart, { strategy: StickyStrategy.istioConsistentHash(options) });
    expect(find(synth(chart), 'DestinationRule').spec.trafficPolicy.loadBalancer.consistentHash).toEqual(expected);
  });

  test('without a host: only the DestinationRule (in-mesh callers)', () => {
    const { chart } = setup();
    const s = sticky(chart, { host: undefined, strategy: StickyStrategy.istioConsistentHash({ header: 'x-user' }) });
    const docs = synth(chart);
    expect(all(docs, 'Ingress')).toEqual([]);
    expect(all(docs, 'DestinationRule')).toHaveLength(1);
    expect(s.ingress).toBeUndefined();
  });

  test('one DestinationRule per distinct backend Service', () => {
    const { chart } = setup();
    const api = webApp(chart, 'api');
    const s = sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }), paths: [{ path: '/api', backend: api }, { path: '/v2' }] });
    const drs = all(synth(chart), 'DestinationRule');
    expect(drs.map((d) => d.spec.host)).toEqual(['debug', 'api']);
    expect(s.destinationRules).toHaveLength(2);
  });

  test('fails unless exactly one hash key is set', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: StickyStrategy.istioConsistentHash({}) })).toThrow(/istioConsistentHash sets no hash key; set exactly one of cookie, header, sourceIp or queryParameter/);
    const { chart: c2 } = setup();
    expect(() => sticky(c2, { strategy: StickyStrategy.istioConsistentHash({ header: 'x-user', sourceIp: true }) })).toThrow(/istioConsistentHash sets header and sourceIp/);
  });

  test('fails if the cookie name is not an RFC 6265 token', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route;' } }) })).toThrow(/istioConsistentHash cookie name 'route;' is not an RFC 6265 token/);
  });

  test('fails if the header name is invalid', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ header: 'x user' }) })).toThrow(/header 'x user' is not an HTTP header name/);
  });

  test('fails if an L7 key is used on a port Istio treats as TCP', () => {
    const { chart } = setup();
    const tcp = webApp(chart, 'debug', { port: undefined, ports: [{ containerPort: 3000, name: 'tcp-app' }] });
    expect(() => sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route' } }) }, tcp)).toThrow(
      /istioConsistentHash hashes an HTTP cookie, but port 3000 \('tcp-app'\) of Service 'debug' is declared tcp, which Istio proxies as opaque non-HTTP traffic, so the hash would be ignored; serve plain HTTP on a port named 'http'/);
  });

  /** A backend whose Service port is exactly `port` (a raw Service, so names and appProtocol are as given). */
  function rawBackend(chart: Chart, port: Record<string, unknown>) {
    return { service: manifest(chart, 'raw-svc', 'v1', 'Service', { name: 'raw', body: { spec: { selector: { app: 'raw' }, ports: [{ port: 80, targetPort: 3000, ...port }] } } }) };
  }

  test('fails if a cookie hash targets an undeclared well-known port (Istio treats 3306 as TCP)', () => {
    const { chart } = setup();
    const backend = { service: manifest(chart, 'raw-svc', 'v1', 'Service', { name: 'raw', body: { spec: { selector: { app: 'raw' }, ports: [{ port: 3306, targetPort: 3000 }] } } }) };
    expect(() => new StickyIngress(chart, 'sticky', { backend, strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route' } }) }))
      .toThrow(/hashes an HTTP cookie, but port 3306 of Service 'raw' is treated as tcp \(Istio's default for well-known port 3306 when no protocol is declared\), which Istio proxies as opaque non-HTTP traffic/);
  });

  test.each([
    ['https', { name: 'https' }, 'https', 'TLS \\(a sidecar does not decrypt it\\)'],
    ['https-web', { name: 'https-web' }, 'https', 'TLS'],
    ['appProtocol https', { name: 'web', appProtocol: 'https' }, 'https', 'TLS'],
    ['tls', { name: 'tls' }, 'tls', 'TLS'],
    ['appProtocol kubernetes.io/wss', { appProtocol: 'kubernetes.io/wss' }, 'kubernetes.io/wss', 'TLS'],
    ['mysql', { name: 'mysql' }, 'mysql', 'non-HTTP'],
    ['REDIS (case-insensitive)', { name: 'REDIS' }, 'redis', 'non-HTTP'],
    ['appProtocol mongo', { name: 'http', appProtocol: 'mongo' }, 'mongo', 'non-HTTP'],
    ['UDP', { name: 'app', protocol: 'UDP' }, 'udp', 'non-HTTP'],
    ['SCTP', { name: 'http', protocol: 'SCTP' }, 'sctp', 'non-HTTP'],
  ])('fails if a cookie/header/query hash targets a port declared %s', (_label, port, declared, why) => {
    const { chart } = setup();
    expect(() => new StickyIngress(chart, 'sticky', { backend: rawBackend(chart, port), strategy: StickyStrategy.istioConsistentHash({ header: 'x-user' }) }))
      .toThrow(new RegExp(`hashes an HTTP header, but port 80.* of Service 'raw' is declared ${declared.replace(/\./g, '\\.')}, which Istio proxies as opaque ${why}`));
  });

  test.each([
    ['unnamed (Istio sniffs HTTP)', {}],
    ['named without a protocol prefix', { name: 'web' }],
    ['http-suffixed', { name: 'http-web' }],
    ['grpc-web', { name: 'grpc-web' }],
    ['appProtocol http over a tcp name (appProtocol wins)', { name: 'tcp-app', appProtocol: 'http' }],
    ['appProtocol kubernetes.io/h2c', { appProtocol: 'kubernetes.io/h2c' }],
    ['an unknown appProtocol (replaces the name; Istio sniffs)', { name: 'tcp', appProtocol: 'custom' }],
  ])('an HTTP hash accepts a port that is %s', (_label, port) => {
    const { chart } = setup();
    new StickyIngress(chart, 'sticky', { backend: rawBackend(chart, port), strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route' } }) });
    expect(find(synth(chart), 'DestinationRule').spec.host).toBe('raw');
  });

  test('sourceIp works on any TCP port, https included (no HTTP parsing needed)', () => {
    const { chart } = setup();
    new StickyIngress(chart, 'sticky', { backend: rawBackend(chart, { name: 'https' }), strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }) });
    expect(find(synth(chart), 'DestinationRule').spec.trafficPolicy.loadBalancer.consistentHash).toEqual({ useSourceIp: true });
  });

  test('fails if two StickyIngresses hash the same Service (each sees the other\'s DestinationRule)', () => {
    const { app, chart } = setup();
    const web = webApp(chart);
    new StickyIngress(chart, 'a', { backend: web, name: 'a', strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }) });
    const other = new Chart(app, 'other', { namespace: 'shop' });
    new StickyIngress(other, 'b', { backend: web, name: 'b', strategy: StickyStrategy.istioConsistentHash({ header: 'x-user' }) });
    expect(() => validate(app)).toThrow(/StickyIngress 'a': DestinationRule 'debug-sticky' also targets host 'debug'/);
  });

  test('fails if another Ingress of the class routes to the same Service with other or no cookie affinity (ingress-nginx keeps the first one)', () => {
    // GIVEN two nginx-cookie StickyIngresses with different settings for one Service
    const { app, chart } = setup();
    const web = webApp(chart);
    new StickyIngress(chart, 'shop', { name: 'shop', backend: web, host: 'shop.example.com', strategy: StickyStrategy.nginxCookie({ name: 'route' }) });
    const assets = new StickyIngress(chart, 'assets', { name: 'assets', backend: web, host: 'assets.example.com', strategy: StickyStrategy.nginxCookie({ name: 'route', path: '/' }) });
    assets.addPath({ path: '/static/[0-9]+', regex: true });
    // THEN the order in which they are applied would decide: rejected at synth
    expect(() => validate(app)).toThrow(/StickyIngress 'shop': Ingress 'assets' also routes to Service 'debug' with other cookie-affinity settings: ingress-nginx keeps one affinity setting per Service, from whichever Ingress was created first \(kubernetes\/ingress-nginx#4211\).*; route those paths through this StickyIngress/);
  });

  test('fails if the app\'s own plain Ingress of the same class routes to the sticky Service without affinity', () => {
    const { app, chart } = setup();
    const web = webApp(chart);
    web.exposeViaIngress({ host: 'plain.example.com', className: 'nginx' });
    sticky(chart, { strategy: StickyStrategy.nginxCookie({ name: 'route' }) }, web);
    expect(() => validate(app)).toThrow(/Ingress 'debug' also routes to Service 'debug' without cookie affinity/);
  });

  test('fails if the cookie domain does not cover the host, or a path is not under the cookie path (browsers drop or never send the cookie)', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: StickyStrategy.nginxCookie({ name: 'route', domain: 'other.org' }) }))
      .toThrow(/StickyIngress 'sticky': nginxCookie domain 'other.org' does not cover host 'debug.example.com', so browsers would ignore the cookie \(RFC 6265 domain matching\); use the host's domain or a parent of it \(e.g. 'example.com'\)/);
    expect(() => sticky(setup().chart, { path: '/app', strategy: StickyStrategy.nginxCookie({ name: 'route', path: '/other' }) }))
      .toThrow(/path '\/app' is not under the nginxCookie path '\/other', so browsers would not send the cookie back for it/);
    expect(() => sticky(setup().chart, { path: '/application', strategy: StickyStrategy.nginxCookie({ name: 'route', path: '/app' }) }))
      .toThrow(/path '\/application' is not under the nginxCookie path '\/app'/);
    for (const [domain, path, cookiePath] of [['example.com', '/app/x', '/app'], ['.debug.example.com', '/app', '/app/'.slice(0, 4)], ['debug.example.com', '/', '/']]) {
      expect(() => sticky(setup().chart, { path, strategy: StickyStrategy.nginxCookie({ name: 'route', domain, path: cookiePath }) })).not.toThrow();
    }
  });

  test('JavaScript callers get errors, not TypeErrors, for a missing backend or strategy', () => {
    const { chart } = setup();
    expect(() => new StickyIngress(chart, 'a', { backend: webApp(chart), host: 'a.example.com' } as any)).toThrow(/StickyIngress 'a': strategy 'undefined' is not a StickyStrategy/);
    expect(() => new StickyIngress(chart, 'b', { host: 'b.example.com', strategy: StickyStrategy.nginxCookie() } as any)).toThrow(/StickyIngress 'b': backend is missing/);
  });

  test('fails if two StickyIngresses of one class each render a 404 catch-all (ingress-nginx uses only the oldest)', () => {
    const { app, chart } = setup();
    const strategy = StickyStrategy.nginxCookie({ name: 'route' });
    new StickyIngress(chart, 'a', { name: 'a', backend: webApp(chart), host: 'a.example.com', strategy, defaultBackend: DefaultBackend.notFound() });
    new StickyIngress(chart, 'b', { name: 'b', backend: webApp(chart, 'other'), host: 'b.example.com', strategy, defaultBackend: DefaultBackend.notFound() });
    expect(() => validate(app)).toThrow(/StickyIngress 'b': DefaultBackend.notFound\(\) renders a second catch-all Ingress for class 'nginx' \(the first is StickyIngress 'a''s\): ingress-nginx uses only the oldest one/);
  });

  test('fails if the 404 default backend has no replicas', () => {
    expect(() => sticky(setup().chart, { strategy: StickyStrategy.nginxCookie({ name: 'route' }), defaultBackend: DefaultBackend.notFound({ replicas: 0 }) }))
      .toThrow(/StickyIngress 'sticky': DefaultBackend.notFound replicas 0 is not a whole number >= 1/);
  });

  test('fails if another Ingress of the class already routes the same host and path (the admission webhook rejects it)', () => {
    const { app, chart } = setup();
    const web = webApp(chart);
    const strategy = StickyStrategy.nginxCookie({ name: 'route' });
    new StickyIngress(chart, 'a', { name: 'a', backend: web, host: 'shop.example.com', strategy });
    new StickyIngress(new Chart(app, 'other', { namespace: 'other' }), 'b', { name: 'b', backend: webApp(new Chart(app, 'other2', { namespace: 'other' }), 'web2'), host: 'shop.example.com', strategy });
    expect(() => validate(app)).toThrow(/StickyIngress 'a': Ingress 'b' already routes host 'shop.example.com' path '\/' \(Prefix\): ingress-nginx's admission webhook rejects the second Ingress for a host and path/);
  });

  test('another Ingress with the same cookie settings, of another class, or for another Service is fine', () => {
    const { app, chart } = setup();
    const web = webApp(chart);
    const other = webApp(chart, 'other');
    const strategy = StickyStrategy.nginxCookie({ name: 'route' });
    new StickyIngress(chart, 'a', { name: 'a', backend: web, host: 'a.example.com', strategy });
    new StickyIngress(chart, 'b', { name: 'b', backend: web, host: 'b.example.com', strategy });           // same settings
    new StickyIngress(chart, 'c', { name: 'c', backend: other, host: 'c.example.com', strategy: StickyStrategy.nginxCookie({ name: 'x' }) });
    web.exposeViaIngress({ host: 'internal.example.com', className: 'internal-nginx' });                 // another controller
    expect(() => validate(app)).not.toThrow();
  });

  test.each([
    ['nginxCookie', () => StickyStrategy.nginxCookie({ name: 'route' }), 'ingress-nginx sends each request to one of'],
    ['clientIp', () => StickyStrategy.clientIp(), 'kube-proxy picks'],
  ])('fails if %s targets a CanaryRelease\'s Service, in every stage (the controller bypasses the VirtualService)', (label, strategy, layer) => {
    for (const stage of ['stable', 'canary-10']) {
      const { app, chart } = setup();
      const release = new CanaryRelease(chart, 'shop', {
        versions: [{ name: 'v1', image: IMAGE }, { name: 'v2', image: 'cotoami/http-debug-server:1.1.0' }], port: 3000,
        plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10] }), stage,
      });
      const backend = { service: release.service };
      new StickyIngress(chart, 'sticky', { backend, ...(label === 'nginxCookie' ? { host: 'shop.example.com' } : {}), strategy: strategy() });
      expect(() => validate(app)).toThrow(new RegExp(`StickyIngress 'sticky': ${label} on Service 'shop', which VirtualService 'shop' routes by subset \\(v1${stage === 'stable' ? '' : ', v2'}\\): ${layer} the Service's pods of every version directly, around the VirtualService.*keep users on a version with the CanaryRelease sticky option`));
    }
  });

  test('fails if clientIp targets a Service that an Ingress also routes to (the client is the controller)', () => {
    const { app, chart } = setup();
    const web = webApp(chart);
    web.exposeViaIngress({ host: 'shop.example.com' });
    new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp() });
    expect(() => validate(app)).toThrow(/clientIp on Service 'debug', which Ingress 'debug' also routes to: behind an Ingress controller kube-proxy sees the controller's pods, not the clients/);
  });

  test('fails if a CanaryRelease splits the app by weight (VirtualService found in the construct tree at synth)', () => {
    // GIVEN a weighted VirtualService for the same Service, as CanaryRelease renders it
    const { app, chart } = setup('shop', { 'istio-injection': 'enabled' });
    sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route' } }) });
    manifest(chart, 'canary-vs', 'networking.istio.io/v1', 'VirtualService', {
      name: 'debug',
      body: { spec: { hosts: ['debug'], http: [{ route: [{ destination: { host: 'debug', subset: 'v1' }, weight: 90 }, { destination: { host: 'debug', subset: 'v2' }, weight: 10 }] }] } },
    });
    // THEN
    expect(() => validate(app)).toThrow(
      /istioConsistentHash on Service 'debug', which VirtualService 'debug' splits by weight \(v1=90, v2=10\).*istio\/istio#9764.*use the CanaryRelease sticky option/);
  });

  test('a VirtualService with one destination, or for another Service, is not a split', () => {
    const { app, chart } = setup();
    sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }) });
    manifest(chart, 'vs1', 'networking.istio.io/v1', 'VirtualService', { name: 'debug', body: { spec: { hosts: ['debug'], http: [{ route: [{ destination: { host: 'debug' } }] }] } } });
    manifest(chart, 'vs2', 'networking.istio.io/v1', 'VirtualService', {
      name: 'other', body: { spec: { hosts: ['other'], http: [{ route: [{ destination: { host: 'other', subset: 'a' }, weight: 50 }, { destination: { host: 'other', subset: 'b' }, weight: 50 }] }] } },
    });
    expect(() => validate(app)).not.toThrow();
  });

  test('fails if another DestinationRule targets the same host', () => {
    const { app, chart } = setup();
    sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }) });
    manifest(chart, 'dr', 'networking.istio.io/v1', 'DestinationRule', { name: 'debug', body: { spec: { host: 'debug.shop.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } } });
    expect(() => validate(app)).toThrow(/DestinationRule 'debug' also targets host 'debug'/);
  });

  test('fails if a regex path is used (the Istio gateway does not implement them)', () => {
    const { chart } = setup();
    const s = sticky(chart, { strategy: StickyStrategy.istioConsistentHash({ sourceIp: true }) });
    expect(() => s.addPath({ path: '/v[0-9]', regex: true })).toThrow(/is a regular expression, which the Istio ingress gateway's Kubernetes Ingress support does not implement/);
  });
});

// ---------------------------------------------------------------------------------------------- WebApp.setSessionAffinity

describe('WebApp.setSessionAffinity', () => {
  test('fails if the timeout is out of range', () => {
    const { chart } = setup();
    expect(() => webApp(chart).setSessionAffinity(Duration.hours(25))).toThrow(/session affinity timeout \(seconds\) 90000 is not an integer in 1-86400/);
  });

  test('leaves the Service untouched unless called', () => {
    const { chart } = setup();
    webApp(chart, 'debug', { serviceType: ServiceType.LOAD_BALANCER });
    const svc = find(synth(chart), 'Service');
    expect(svc.spec.sessionAffinity).toBeUndefined();
    expect(svc.spec.externalTrafficPolicy).toBeUndefined();
  });
});

describe('durations', () => {
  test('fails if a duration is not a whole number of seconds', () => {
    const { chart } = setup();
    expect(() => sticky(chart, { strategy: cookie({ maxAge: Duration.millis(1500) }) })).toThrow(/nginxCookie maxAge 1.5s is not a positive whole number of seconds/);
    const { chart: c2 } = setup();
    expect(() => sticky(c2, { strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'route', ttl: Duration.millis(500) } }) })).toThrow(/cookie ttl 0.5s is not a whole number of seconds/);
  });
});
