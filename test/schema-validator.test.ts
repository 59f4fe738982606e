import { allSchemaProblems, schemaProblems } from './support/schema';

// The validator is a test tool: prove it catches what it claims to catch.
describe('schema validator (test support)', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  });

  test('accepts a valid Deployment', () => {
    expect(schemaProblems(deployment())).toEqual([]);
  });

  test('rejects an unknown field deep in a pod spec', () => {
    const d: any = deployment();
    d.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(schemaProblems(d)).toEqual(['/spec/template/spec/containers/0/imagePullPolcy: unknown field']);
  });

  describe('rejects an unknown field that is the only key of its object', () => {
    const container = (d: any) => d.spec.template.spec.containers[0];
    test.each([
      ['securityContext', { runAsNonroot: true }, '/securityContext/runAsNonroot'],
      ['resources', { limit: { cpu: '1' } }, '/resources/limit'],
      ['readinessProbe', { httpget: {} }, '/readinessProbe/httpget'],
    ])('container %s: %j', (field, value, at) => {
      const d: any = deployment();
      container(d)[field] = value;
      expect(schemaProblems(d)).toEqual([`/spec/template/spec/containers/0${at}: unknown field`]);
    });

    test('an empty object and free-form maps (labels, annotations) stay fine', () => {
      const d: any = deployment();
      container(d).securityContext = {};
      d.metadata.annotations = { 'only-key': 'x' };
      d.spec.template.metadata.labels = { app: 'web' };
      expect(schemaProblems(d)).toEqual([]);
    });
  });

  test('rejects a wrong type', () => {
    const d: any = deployment();
    d.spec.replicas = 'two';
    expect(schemaProblems(d).join()).toMatch(/replicas/);
  });

  test('rejects an unknown field in an Istio VirtualService and accepts a valid one', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews' },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }] }] },
    };
    expect(schemaProblems(vs)).toEqual([]);
    const bad: any = JSON.parse(JSON.stringify(vs));
    bad.spec.http[0].route[0].weigth = 100;
    expect(schemaProblems(bad).join()).toMatch(/weigth/);
  });

  test('reports kinds without a schema', () => {
    expect(allSchemaProblems([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual(['Widget/w/: no schema for example.com/v1 Widget']);
  });
});
