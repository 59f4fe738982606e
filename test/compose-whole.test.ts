// The converted application works as a whole (issue 16): a Service for every service another one
// connects to (on the port it names), the file's own /tmp, memory that fits a JVM heap.
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ComposeApp, ComposeAppOptions } from '../lib';
import { allSchemaProblems } from './support/schema';

function convert(yaml: string, options: ComposeAppOptions = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const app = ComposeApp.fromYaml(chart, 'shop', yaml, { baseDir: path.join(__dirname, 'fixtures', 'compose'), fileName: 'docker-compose.yml', onWarning: () => undefined, ...options });
  const docs = Testing.synth(chart);
  return { app, docs };
}
const find = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
const pod = (docs: any[], name: string) => docs.find((d) => (d.kind === 'Deployment' || d.kind === 'StatefulSet') && d.metadata.name === name).spec.template.spec;

describe('a Service for every service another one names', () => {
  test('the Kompose trap: a backend without ports that the frontend proxies to gets a Service on the port of the URL', () => {
    const { docs, app } = convert(`
services:
  frontend:
    image: 'example/frontend:1.0'
    ports: ["3000:3000"]
    environment:
      API_PROXY: http://backend:8000/api
  backend:
    image: 'example/backend:1.0'
    depends_on: [db]
  db:
    image: 'postgres:16.4'
  worker_1:
    image: 'example/worker:1.0'
  worker_2:
    image: 'example/worker:1.0'
    command: ["--join", "worker_1:7000"]
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    const backend = find(docs, 'Service', 'backend');
    expect(backend.spec.selector).toEqual(pod(docs, 'backend').containers.length && find(docs, 'Deployment', 'backend').spec.selector.matchLabels);
    expect(backend.spec.ports).toEqual([expect.objectContaining({ port: 8000, targetPort: 'tcp-8000' })]);
    expect(pod(docs, 'backend').containers[0].ports).toEqual([expect.objectContaining({ containerPort: 8000, name: 'tcp-8000' })]);
    expect(app.services.backend.ports).toEqual([expect.objectContaining({ containerPort: 8000, source: 'reference' })]);
    expect(find(docs, 'Service', 'worker-1').spec.ports.map((p: any) => p.port)).toEqual([7000]);
    expect(app.notes).toContain('service backend declares no port; its Service serves 8000, the port frontend (environment API_PROXY) connects to (set options.services.backend.port if it listens elsewhere)');
  });
});

describe('/tmp', () => {
  test('the file\'s own tmpfs or volume at /tmp replaces the library\'s /tmp emptyDir (read_only + tmpfs: /tmp)', () => {
    const { docs } = convert(`
services:
  a:
    image: 'example/a:1.0'
    read_only: true
    tmpfs: /tmp
  b:
    image: 'example/b:1.0'
    volumes: ['scratch:/tmp']
  c:
    image: 'example/c:1.0'
    tmpfs: ['/tmp:size=64m', /run]
volumes:
  scratch: {}
`);
    for (const n of ['a', 'b', 'c']) {
      const mounts = pod(docs, n).containers[0].volumeMounts.filter((m: any) => m.mountPath === '/tmp');
      expect(mounts).toHaveLength(1);
    }
    expect(pod(docs, 'a').volumes.find((v: any) => v.emptyDir?.medium === 'Memory')).toBeDefined();
    expect(pod(docs, 'b').volumes.find((v: any) => v.persistentVolumeClaim?.claimName === 'scratch')).toBeDefined();
  });
});

describe('resources', () => {
  test('a JVM heap flag sizes the memory when the file sets none; the file\'s own resources win', () => {
    const { docs, app } = convert(`
services:
  es:
    image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.0'
    environment: { ES_JAVA_OPTS: "-Xms512m -Xmx512m", discovery.type: single-node }
  big:
    image: 'example/app:1.0'
    command: ["java", "-Xmx2g", "-jar", "app.jar"]
  sized:
    image: 'example/app:1.0'
    environment: { JAVA_OPTS: "-Xmx2g" }
    deploy: { resources: { limits: { memory: 3g } } }
`);
    expect(pod(docs, 'es').containers[0].resources.requests.memory).toBe('512Mi');
    expect(pod(docs, 'es').containers[0].resources.limits.memory).toBe('768Mi');
    expect(pod(docs, 'big').containers[0].resources.limits.memory).toBe('3072Mi');
    expect(pod(docs, 'sized').containers[0].resources.limits.memory).toBe('3Gi');
    expect(app.notes).toContain('es: -Xmx512m in environment ES_JAVA_OPTS and no memory in the file: memory request 512Mi (the heap), limit 768Mi (heap + max(50%, 256Mi)); set deploy.resources to size it yourself');
  });

  test('no CPU limit is invented when the file says nothing about CPU; the defaults that apply are noted once', () => {
    const { docs, app } = convert(`
services:
  a: { image: 'example/a:1.0', expose: [80] }
  b: { image: 'example/b:1.0', expose: [80] }
  c: { image: 'example/c:1.0', expose: [80], cpus: 0.5 }
`);
    expect(pod(docs, 'a').containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } });
    expect(pod(docs, 'c').containers[0].resources.limits.cpu).toBe('500m');
    expect(app.notes).toContain('a, b: the file sets no resources, so the WebApp defaults apply: cpu request 100m (no limit: none is invented), memory request 128Mi and limit 256Mi; set deploy.resources (limits, reservations) or mem_limit/cpus to size them');
  });
});

describe('networks', () => {
  test('one NetworkPolicy per network: replicas reach each other, a service alone on its network admits its replicas, waits only where allowed', () => {
    const { docs, app } = convert(`
services:
  web: { image: 'example/web:1.0', expose: [80], networks: [front], depends_on: [api, db], deploy: { replicas: 3 } }
  api: { image: 'example/api:1.0', expose: [9000], networks: [front, back] }
  db: { image: 'postgres:16.4', networks: [back] }
  lonely: { image: 'example/cache:1.0', expose: [7000], networks: [solo], deploy: { replicas: 2 } }
networks: { front: {}, back: {}, solo: {} }
`);
    expect(allSchemaProblems(docs)).toEqual([]);
    const { allowedFrom } = require('./support/netpol');
    expect(allowedFrom(docs, 'web')).toEqual(['api', 'web']);
    expect(allowedFrom(docs, 'db')).toEqual(['api', 'db']);
    expect(allowedFrom(docs, 'lonely')).toEqual(['lonely']);
    expect(docs.filter((d) => d.kind === 'NetworkPolicy')).toHaveLength(3);
    // web waits for api (a common network) but not for db, which the policy would block.
    const inits = pod(docs, 'web').initContainers.map((c: any) => c.name);
    expect(inits.some((n: string) => n.includes('api'))).toBe(true);
    expect(inits.some((n: string) => n.includes('db'))).toBe(false);
    expect(app.notes).toContain('web does not wait for db: they share no Compose network, so the NetworkPolicies block the connection (as Compose networks do); put them on a common network if web talks to db');
  });

  test('the policies grow linearly: 200 services on one network give one policy', () => {
    const services = Array.from({ length: 200 }, (_, i) => `  s${i}: { image: 'example/s:1.0', expose: [80] }`).join('\n');
    const { docs } = convert(`services:\n${services}\n`);
    expect(docs.filter((d) => d.kind === 'NetworkPolicy')).toHaveLength(1);
  });
});

describe('configuration files name services too', () => {
  test('a Compose config\'s proxy_pass and a prometheus target give the services they name a Service on that port', () => {
    const { docs, app } = convert(`
services:
  proxy:
    image: 'nginx:1.27.3'
    ports: ["80:80"]
    configs: [{ source: site, target: /etc/nginx/conf.d/default.conf }]
  api: { image: 'example/api:1.0' }
  prometheus:
    image: 'prom/prometheus:v2.53.0'
    configs: [{ source: prom, target: /etc/prometheus/prometheus.yml }]
  exporter: { image: 'example/exporter:1.0' }
configs:
  site:
    content: "server { listen 80; location / { proxy_pass http://api:3000; } }"
  prom:
    content: "scrape_configs: [{ job_name: x, static_configs: [{ targets: ['exporter:9100'] }] }]"
`);
    expect(find(docs, 'Service', 'api').spec.ports.map((p: any) => p.port)).toEqual([3000]);
    expect(find(docs, 'Service', 'exporter').spec.ports.map((p: any) => p.port)).toEqual([9100]);
    expect(app.notes).toContain('service api declares no port; its Service serves 3000, the port proxy (config site) connects to (set options.services.api.port if it listens elsewhere)');
  });
});
