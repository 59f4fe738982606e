import { audit, Level, PolicyMode } from '../lib/audit';

// The audit's Gateway API cross-references (lib/audit/rules/gateway-api.ts), on hand-written bundles.
const GROUP = 'gateway.networking.k8s.io';
const ns = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
const service = (name: string, namespace = 'shop', port = 80) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port }] },
});
const gateway = (listener: Record<string, unknown>, namespace = 'infra') => ({
  apiVersion: `${GROUP}/v1`, kind: 'Gateway', metadata: { name: 'public', namespace },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', ...listener }] },
});
const route = (spec: Record<string, unknown>) => ({
  apiVersion: `${GROUP}/v1`, kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'shop' },
  spec: { parentRefs: [{ name: 'public', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }], ...spec },
});
const grant = (namespace: string, from: Record<string, string>, to: Record<string, string>) => ({
  apiVersion: `${GROUP}/v1`, kind: 'ReferenceGrant', metadata: { name: 'g', namespace }, spec: { from: [from], to: [to] },
});
const findings = (docs: unknown[]) => audit([ns('shop'), ns('infra'), service('web'), ...docs], { policy: PolicyMode.OFF })
  .findings.filter((f) => /^(httproute|gateway-certificate)/.test(f.rule)).map((f) => [f.level, f.rule, f.path, f.message]);

test('a route accepted by its Gateway, to an existing Service port: no finding', () => {
  expect(findings([gateway({ hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }), route({ hostnames: ['shop.example.com'] })])).toEqual([]);
});

test('parentRef: a Gateway not in the bundle is a WARNING; a GAMMA parent Service must exist', () => {
  expect(findings([route({})])).toEqual([[Level.WARNING, 'httproute-parent', '/spec/parentRefs/0/name', expect.stringMatching(/parent Gateway 'public' is not in the bundle/)]]);
  expect(findings([route({ parentRefs: [{ group: '', kind: 'Service', name: 'missing' }] })]))
    .toEqual([[Level.ERROR, 'httproute-parent', '/spec/parentRefs/0/name', "parent Service 'missing' (GAMMA) not found in namespace 'shop'"]]);
});

test('parentRef: no listener admits the route\'s namespace (Same, or a Selector the namespace does not match)', () => {
  expect(findings([gateway({}), route({})])).toEqual([[Level.ERROR, 'httproute-parent', '/spec/parentRefs/0',
    "no HTTP/HTTPS listener of Gateway 'public' (namespace 'infra') admits HTTPRoutes from namespace 'shop'"]]);
  expect(findings([gateway({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'web' } } } } }), route({})])).toHaveLength(1);
  expect(findings([gateway({ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } } } }), route({})])).toEqual([]);
});

test('hostnames: no listener accepts any of them', () => {
  expect(findings([gateway({ hostname: 'a.example.com', allowedRoutes: { namespaces: { from: 'All' } } }), route({ hostnames: ['b.example.com'] })])).toEqual([[
    Level.ERROR, 'httproute-hostnames', '/spec/hostnames', "no hostname of the route ('b.example.com') is accepted by a listener of Gateway 'public' ('http': a.example.com)",
  ]]);
});

test('backendRefs: the Service and its port must exist; another namespace needs a ReferenceGrant there', () => {
  const all = gateway({ allowedRoutes: { namespaces: { from: 'All' } } });
  expect(findings([all, route({ rules: [{ backendRefs: [{ name: 'web', port: 8080 }, { name: 'nope', port: 80 }] }] })])).toEqual([
    [Level.ERROR, 'httproute-backend', '/spec/rules/0/backendRefs/0/port', "Service 'web' has no port 8080"],
    [Level.ERROR, 'httproute-backend', '/spec/rules/0/backendRefs/1/name', "backend Service 'nope' not found in namespace 'shop'"],
  ]);
  const crossNs = route({ rules: [{ backendRefs: [{ name: 'api', namespace: 'backend', port: 80 }] }] });
  expect(findings([all, ns('backend'), service('api', 'backend'), crossNs])).toEqual([[Level.ERROR, 'httproute-backend-grant', '/spec/rules/0/backendRefs/0',
    "backend Service 'api' is in namespace 'backend', and no ReferenceGrant there lets HTTPRoutes from 'shop' refer to it; add a ReferenceGrant in 'backend' (from HTTPRoute in 'shop', to Service 'api')"]]);
  expect(findings([all, ns('backend'), service('api', 'backend'), crossNs,
    grant('backend', { group: GROUP, kind: 'HTTPRoute', namespace: 'shop' }, { group: '', kind: 'Service' })])).toEqual([]);
});

test('a mirror backend is checked like a backendRef; an RE2-incompatible regex is an ERROR', () => {
  const all = gateway({ allowedRoutes: { namespaces: { from: 'All' } } });
  expect(findings([all, route({ rules: [{
    matches: [{ headers: [{ type: 'RegularExpression', name: 'user', value: '(?!bot).*' }] }],
    filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 } } }],
    backendRefs: [{ name: 'web', port: 80 }],
  }] })]).map((f) => f[1])).toEqual(['httproute-backend', 'httproute-regex']);
});

test('a Gateway\'s TLS Secret in another namespace needs a ReferenceGrant there', () => {
  const https = (namespace: string) => gateway({ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'tls', namespace }] } });
  expect(findings([ns('certs'), https('certs')])).toEqual([[Level.ERROR, 'gateway-certificate-grant', '/spec/listeners/0/tls/certificateRefs/0',
    "listener 'https' uses Secret 'tls' in namespace 'certs', and no ReferenceGrant there lets Gateways from 'infra' refer to it; add a ReferenceGrant in 'certs' (from Gateway in 'infra', to Secret 'tls')"]]);
  expect(findings([ns('certs'), https('certs'), grant('certs', { group: GROUP, kind: 'Gateway', namespace: 'infra' }, { group: '', kind: 'Secret', name: 'tls' })])).toEqual([]);
  expect(findings([https('infra')])).toEqual([]);
});

test('an HTTPRoute annotated noops.io/gateway-api-channel: experimental is validated against the experimental-channel CRD', () => {
  const sticky = route({ rules: [{ backendRefs: [{ name: 'web', port: 80 }], sessionPersistence: { sessionName: 'route', type: 'Cookie', cookieConfig: { lifetimeType: 'Session' } } }] });
  const schema = (doc: any) => audit([doc], { policy: PolicyMode.OFF }).findings.filter((f) => f.rule === 'unknown-field' || f.rule === 'schema').map((f) => `${f.path}: ${f.message}`);
  // standard channel (no annotation): the experimental field is reported
  expect(schema(sticky)).toEqual(['/spec/rules/0/sessionPersistence: unknown field']);
  // declared experimental: accepted, and still checked (an unknown field of the experimental schema is reported)
  const declared = { ...sticky, metadata: { ...sticky.metadata, annotations: { 'noops.io/gateway-api-channel': 'experimental' } } };
  expect(schema(declared)).toEqual([]);
  const bad = { ...declared, spec: { ...declared.spec, rules: [{ ...declared.spec.rules[0], sessionPersistence: { sessionName: 'route', idleTimeout: '5m' } }] } };
  expect(schema(bad)).toEqual(['/spec/rules/0/sessionPersistence/idleTimeout: unknown field']);
});
