import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { CanaryRelease, MeshNamespace, Namespace, StickyIngress, StickyStrategy, WebApp } from '../lib';
import { duplicateObjectErrors } from '../lib/k8s-object';
import { allSchemaProblems } from './support/schema';

// Rules that span constructs, exercised with the real constructs rather than hand-made objects.
describe('cross-construct rules', () => {
  const IMAGE = 'hashicorp/http-echo:1.0';

  function meshChart(app: App): Chart {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new MeshNamespace(chart, 'ns', { name: 'shop' });
    return chart;
  }

  test('fails if istioConsistentHash targets an app that a CanaryRelease splits by weight (points to the sticky canary option)', () => {
    // GIVEN a canary at 90/10 in a mesh namespace
    const app = Testing.app();
    const chart = meshChart(app);
    const canary = new CanaryRelease(chart, 'shop', {
      port: 8080,
      versions: [{ name: 'v1', image: IMAGE }, { name: 'v2', image: 'hashicorp/http-echo:1.0.1' }],
      stages: [{ name: 'canary', weights: { v1: 90, v2: 10 } }],
      stage: 'canary',
    });
    // WHEN a consistent hash is put on its Service
    new StickyIngress(chart, 'sticky', { backend: canary, strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'user' } }) });
    // THEN synthesis fails and names the CanaryRelease sticky option
    expect(() => app.synth()).toThrow(/istioConsistentHash on Service 'shop', which VirtualService 'shop' splits by weight \(v1=90, v2=10\).*use the CanaryRelease sticky option/);
  });

  test('fails if clientIp is used on a backend in a MeshNamespace (Envoy bypasses kube-proxy affinity)', () => {
    const app = Testing.app();
    const chart = meshChart(app);
    const web = new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.clientIp({}) });
    expect(() => app.synth()).toThrow(/clientIp on Service 'web' whose pods are in the Istio mesh \(namespace 'shop' is labelled istio-injection=enabled\).*use StickyStrategy.istioConsistentHash/);
  });

  test('istioConsistentHash on a plain WebApp in a MeshNamespace renders a valid DestinationRule', () => {
    const app = Testing.app();
    const chart = meshChart(app);
    const web = new WebApp(chart, 'web', { image: IMAGE, port: 8080 });
    new StickyIngress(chart, 'sticky', { backend: web, strategy: StickyStrategy.istioConsistentHash({ cookie: { name: 'user' } }) });
    const docs = Testing.synth(chart);
    expect(allSchemaProblems(docs)).toEqual([]);
    const dr = docs.find((d) => d.kind === 'DestinationRule');
    expect(dr.spec.host).toBe('web');
    expect(dr.spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name).toBe('user');
  });
});

describe('one object per identity (group, kind, namespace, name) across the app', () => {
  const IMAGE = 'hashicorp/http-echo:1.0';

  test('fails if a WebApp and another object render the same Service (applying both would keep only the last)', () => {
    // GIVEN a WebApp 'db' and, in another chart of the same namespace, a hand-written Service 'db'
    const app = Testing.app();
    const web = new Chart(app, 'web', { namespace: 'shop' });
    new WebApp(web, 'db', { image: IMAGE, port: 8080 });
    const legacy = new Chart(app, 'legacy', { namespace: 'shop' });
    new ApiObject(legacy, 'db-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 3306 }] } });
    // THEN synthesis fails naming both objects' paths and the fix
    expect(() => app.synth()).toThrow(/duplicate object: Service 'db' in namespace 'shop' is rendered by both 'web\/db\/[^']*' and 'legacy\/db-svc', with different content; .*applying both keeps only the last\. Give one of them another name or namespace/);
  });

  test('fails if two charts each render the same Namespace, saying to render it once', () => {
    const app = Testing.app();
    for (const id of ['orders', 'payments']) new Namespace(new Chart(app, id), 'ns', { name: 'shop' });
    expect(() => app.synth()).toThrow(/duplicate object: Namespace 'shop' is rendered twice, identically, by 'orders\/ns\/[^']*' and 'payments\/ns\/[^']*'; render it once/);
  });

  test('a cluster-scoped object is one object whatever chart namespace cdk8s stamps on it', () => {
    const app = Testing.app();
    new Namespace(new Chart(app, 'a', { namespace: 'a' }), 'ns', { name: 'shop' });
    new Namespace(new Chart(app, 'b', { namespace: 'b' }), 'ns', { name: 'shop' });
    expect(() => app.synth()).toThrow(/duplicate object: Namespace 'shop' is rendered twice/);
  });

  test('the same name in other namespaces, kinds or API groups is fine', () => {
    // GIVEN WebApps 'web' in two namespaces, and objects named 'web' of other kinds/groups beside one of them
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new WebApp(shop, 'web', { image: IMAGE, port: 8080 });
    new WebApp(new Chart(app, 'staging', { namespace: 'staging' }), 'web', { image: IMAGE, port: 8080 });
    new ApiObject(shop, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' } });
    new ApiObject(shop, 'other-group', { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'web' } });
    // THEN it synthesizes
    expect(() => app.synth()).not.toThrow();
    expect(duplicateObjectErrors(shop.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject))).toEqual([]);
  });
});
