import { App, Chart, Testing } from 'cdk8s';
import { CanaryRelease, MeshNamespace, StickyIngress, StickyStrategy, WebApp } from '../lib';
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
