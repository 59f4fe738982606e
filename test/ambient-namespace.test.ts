import { Chart, Testing } from 'cdk8s';
import { MeshDataplane, MeshNamespace, MeshNamespaceProps } from '../lib';
import { allSchemaProblems } from './support/schema';

function render(props: Partial<MeshNamespaceProps>) {
  const chart = new Chart(Testing.app(), 'test');
  const ns = new MeshNamespace(chart, 'ns', { name: 'shop', ...props });
  return { ns, docs: Testing.synth(chart) };
}

test('ambient: dataplane-mode ambient, Pod Security restricted, a waypoint and istio.io/use-waypoint (snapshot)', () => {
  const { ns, docs } = render({ dataplane: MeshDataplane.AMBIENT });
  expect(docs).toMatchSnapshot();
  expect(allSchemaProblems(docs)).toEqual([]);
  expect(docs[0].metadata.labels).toEqual({
    'app.kubernetes.io/managed-by': 'cdk8s-noops',
    'istio.io/dataplane-mode': 'ambient',
    'pod-security.kubernetes.io/enforce': 'restricted',
    'istio.io/use-waypoint': 'waypoint',
  });
  expect(docs[1]).toMatchObject({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
    spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
  });
  expect(ns.injectionLabel).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
  expect(ns.waypoint).toBeDefined();
});

test('ambient without a waypoint: L4 only, no use-waypoint label', () => {
  const { docs } = render({ dataplane: MeshDataplane.AMBIENT, waypoint: false });
  expect(docs.map((d) => d.kind)).toEqual(['Namespace']);
  expect(docs[0].metadata.labels['istio.io/use-waypoint']).toBeUndefined();
  expect(docs[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
});

test('sidecar mode (the default) keeps istio-injection: enabled and no Pod Security label', () => {
  const { ns, docs } = render({});
  expect(ns.dataplane).toBe(MeshDataplane.SIDECAR);
  expect(docs).toHaveLength(1);
  expect(docs[0].metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-noops', 'istio-injection': 'enabled', 'pod-security.kubernetes.io/enforce': 'baseline' });
});

test.each<[string, Partial<MeshNamespaceProps>, RegExp]>([
  ['a revision in ambient mode', { dataplane: MeshDataplane.AMBIENT, revision: 'canary' }, /MeshNamespace 'shop': revision 'canary' is set in ambient mode; revision selects a sidecar injector/],
  ['a waypoint in sidecar mode', { waypoint: true }, /MeshNamespace 'shop': waypoint is set in sidecar mode; waypoints are for ambient mode/],
  ['a user label for the dataplane', { labels: { 'istio.io/dataplane-mode': 'none' } }, /labels set istio.io\/dataplane-mode='none' \(MeshNamespace sets the mesh labels itself\)/],
  ['a weaker Pod Security level in ambient mode', { dataplane: MeshDataplane.AMBIENT, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } }, /labels set pod-security.kubernetes.io\/enforce='baseline'/],
  ['an unknown dataplane (JavaScript)', { dataplane: 'cilium' as MeshDataplane }, /dataplane 'cilium' is not a MeshDataplane; use MeshDataplane.SIDECAR or MeshDataplane.AMBIENT/],
])('fails if %s', (_what, props, message) => {
  expect(() => render(props)).toThrow(message);
});
