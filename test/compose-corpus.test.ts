// Public compose files (test/fixtures/compose-corpus, see SOURCES.md) convert in one run with the
// flags a user would pass, kcheck-clean, and the result works as a whole: every name one service uses
// for another resolves to a Service selecting that service's pods on the named port, and the
// NetworkPolicies allow exactly what the Compose networks allow (replicas included).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { main } from '../lib/cli/compose';
import { toDnsLabel } from '../lib/core';
import { hostSpans } from '../lib/compose/names';
import { allowedFrom, matchesSelector, podLabelsByWorkload } from './support/netpol';
import { allSchemaProblems } from './support/schema';
import { audit, Level, PolicyMode } from '../lib/audit';

const CORPUS = path.join(__dirname, 'fixtures', 'compose-corpus');
// kcheck, the second opinion beside the repository (../shared/tools/kcheck), run as test/kcheck.test.ts runs
// it: through scripts/kcheck.js (its own dependencies, installed privately when needed), and only where it
// exists. The project's own audit always runs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureKcheck, kcheckAvailable } = require('../scripts/kcheck.js') as { ensureKcheck: () => string; kcheckAvailable: () => boolean };
const KCHECK_AVAILABLE = kcheckAvailable();
let kcheckJs: string | undefined;
const REGISTRY = 'registry.example.com';
const MIN_NAMES_CHECKED = 18;

/** Each sample and the flags its messages ask for (build-only services get a pushed image, source mounts the image's own code). */
const SAMPLES: Record<string, string[]> = {
  'elasticsearch-logstash-kibana': ['--bind-mounts', 'logstash=configMap'],
  'flask-redis': ['--image', 'redis=redislabs/redismod:0.1.0', '--image', `web=${REGISTRY}/flask-redis/web:1.0`, '--bind-mounts', 'web=ignore'],
  'gitea-postgres': ['--image', 'gitea=gitea/gitea:1.21.11'],
  'nextcloud-redis-mariadb': [],
  'nginx-golang-mysql': ['--image', `backend=${REGISTRY}/nginx-golang-mysql/backend:1.0`, '--image', 'proxy=nginx:1.27.3',
    '--bind-mounts', 'proxy=configMap', '--secret', 'db-password=nginx-golang-mysql-db:password'],
  'nginx-nodejs-redis': ['--image', 'redis=redislabs/redismod:0.1.0', '--image', `web1=${REGISTRY}/nginx-nodejs-redis/web:1.0`, '--image', `web2=${REGISTRY}/nginx-nodejs-redis/web:1.0`,
    '--image', `nginx=${REGISTRY}/nginx-nodejs-redis/nginx:1.0`, '--allow-restart-always=web1', '--allow-restart-always=web2'],
  'postgresql-pgadmin': ['--image', 'postgres=postgres:16.4', '--image', 'pgadmin=dpage/pgadmin4:8.6'],
  'prometheus-grafana': ['--image', 'prometheus=prom/prometheus:v2.53.0', '--image', 'grafana=grafana/grafana:11.1.0', '--bind-mounts', 'configMap'],
  'react-express-mongodb': ['--image', `frontend=${REGISTRY}/react-express-mongodb/frontend:1.0`, '--image', `backend=${REGISTRY}/react-express-mongodb/backend:1.0`, '--bind-mounts', 'ignore'],
  'react-java-mysql': ['--image', `backend=${REGISTRY}/react-java-mysql/backend:1.0`, '--port', 'backend=8080', '--image', `frontend=${REGISTRY}/react-java-mysql/frontend:1.0`,
    '--bind-mounts', 'frontend=ignore', '--secret', 'db-password=react-java-mysql-db:password'],
  'react-rust-postgres': ['--image', `frontend=${REGISTRY}/react-rust-postgres/frontend:1.0`, '--image', `backend=${REGISTRY}/react-rust-postgres/backend:1.0`, '--bind-mounts', 'ignore'],
  'spring-postgres': ['--image', `backend=${REGISTRY}/spring-postgres/backend:1.0`, '--image', 'db=postgres:16.4', '--secret', 'db-password=spring-postgres-db:password'],
  'wordpress-mysql': ['--image', 'wordpress=wordpress:6.5.3-apache'],
};

function composeFile(sample: string): string {
  const dir = path.join(CORPUS, sample);
  return path.join(dir, fs.readdirSync(dir).find((f) => /^compose\.ya?ml$/.test(f))!);
}

/** Converts a sample with the CLI, in-process, to stdout (an empty shell environment: .env only). */
function convert(sample: string): { code: number; docs: any[]; err: string; yaml: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(['compose', composeFile(sample), '-o', '-', '-n', sample, ...SAMPLES[sample]], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  const yaml = out.join('\n');
  return { code, docs: code === 0 ? YAML.parseAllDocuments(yaml).map((d) => d.toJS()) : [], err: err.join('\n'), yaml };
}

/** The names service `n` uses for other services, with the port it names (if any). */
function namesUsed(service: any): Array<{ name: string; port?: number; via: string }> {
  const out: Array<{ name: string; port?: number; via: string }> = [];
  const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
  for (const d of deps) out.push({ name: d, via: 'depends_on' });
  for (const l of service.links ?? []) out.push({ name: l.split(':')[1] ?? l.split(':')[0], via: 'links' });
  const env: Array<[string, string]> = Array.isArray(service.environment)
    ? service.environment.map((e: string) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]);
  const command = [service.command ?? []].flat().map(String);
  for (const [key, value] of [...env, ...command.map((c) => [undefined, c] as [undefined, string])]) {
    for (const span of hostSpans(value, key)) {
      const m = /^:(\d+)/.exec(value.slice(span.index + span.host.length));
      out.push({ name: span.host, port: m ? Number(m[1]) : undefined, via: key ? `environment ${key}` : 'command' });
    }
  }
  return out;
}

/** Sample → how many names of one service for another were checked. */
const CHECKED = new Map<string, number>();

describe.each(Object.keys(SAMPLES))('%s', (sample) => {
  const { code, docs, err, yaml } = convert(sample);
  const compose = YAML.parse(fs.readFileSync(composeFile(sample), 'utf8'));
  const serviceNames = Object.keys(compose.services);

  test('converts in one run with the flags its messages name; schema-clean and clean under the project\'s audit and kcheck', () => {
    expect(err.split('\n').filter((l) => l.startsWith('error:') || l.startsWith('cdk8s-noops compose:'))).toEqual([]);
    expect(code).toBe(0);
    expect(allSchemaProblems(docs)).toEqual([]);
    const own = audit(docs, { policy: PolicyMode.ERROR });
    expect(own.findings.filter((f) => f.level !== Level.WARNING).map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    if (!KCHECK_AVAILABLE) return; // test/kcheck.test.ts says once that the cross-checks are skipped
    kcheckJs ??= ensureKcheck();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-corpus-'));
    try {
      fs.writeFileSync(path.join(dir, `${sample}.k8s.yaml`), yaml);
      const r = spawnSync(process.execPath, [kcheckJs, dir, '--policy=error'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stdout + r.stderr).toMatch(/0 errors, 0 policy/);
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  test('every name one service uses for another is a Service selecting that service\'s pods, on the named port', () => {
    const pods = podLabelsByWorkload(docs);
    const byName = new Map<string, string>(); // every name a container resolves in Compose → the service
    for (const n of serviceNames) {
      byName.set(n.toLowerCase(), n);
      const s = compose.services[n];
      for (const extra of [s.container_name, s.hostname]) if (extra) byName.set(String(extra).toLowerCase(), n);
    }
    let checked = 0;
    for (const n of serviceNames) {
      for (const use of namesUsed(compose.services[n])) {
        const target = byName.get(use.name.toLowerCase());
        if (!target || target === n) continue;
        checked++;
        const svc = docs.find((d) => d.kind === 'Service' && d.metadata.name === toDnsLabel(use.name));
        expect({ from: n, name: use.name, via: use.via, service: svc?.metadata.name }).toEqual({ from: n, name: use.name, via: use.via, service: toDnsLabel(use.name) });
        expect(matchesSelector({ matchLabels: svc.spec.selector }, pods.get(toDnsLabel(target))!)).toBe(true);
        if (use.port !== undefined) {
          const port = svc.spec.ports.find((p: any) => p.port === use.port);
          expect({ from: n, name: use.name, port: port?.port }).toEqual({ from: n, name: use.name, port: use.port });
          const workload = docs.find((d) => (d.kind === 'Deployment' || d.kind === 'StatefulSet') && d.metadata.name === toDnsLabel(target));
          const containerPorts = workload.spec.template.spec.containers[0].ports ?? [];
          expect(containerPorts.some((p: any) => p.name === port.targetPort || p.containerPort === port.targetPort)).toBe(true);
        }
      }
    }
    CHECKED.set(sample, checked);
  });

  if (sample === 'react-rust-postgres') {
    test('the Kompose trap: backend, which declares no port, gets a Service on the port its own ADDRESS listens on', () => {
      expect(docs.find((d) => d.kind === 'Service' && d.metadata.name === 'backend').spec.ports.map((p: any) => p.port)).toEqual([8000]);
      expect(err).toContain('note: service backend declares no port; it listens on 8000 by its environment ADDRESS');
      // compose.yaml is a default name: the chart, the file and the credentials Secret take the file's name:.
      expect(err).toContain('create it: kubectl create secret generic react-rust-postgres-credentials -n react-rust-postgres --from-literal=PG_PASSWORD=<value> --from-literal=POSTGRES_PASSWORD=<value>');
    });
  }

  if (sample === 'nginx-golang-mysql') {
    test('backend, which declares no port, gets a Service on the port the proxy\'s nginx.conf connects to', () => {
      expect(docs.find((d) => d.kind === 'Service' && d.metadata.name === 'backend').spec.ports.map((p: any) => p.port)).toEqual([8000]);
      expect(err).toContain('note: service backend declares no port; its Service serves 8000, the port proxy (bind-mounted ./proxy/nginx.conf) connects to');
    });
  }

  test('the NetworkPolicies allow exactly what the Compose networks allow (replicas included; published services are open)', () => {
    const netsOf = (n: string): string[] => {
      const nets = compose.services[n].networks;
      return nets === undefined ? ['default'] : Array.isArray(nets) ? nets : Object.keys(nets);
    };
    for (const target of serviceNames) {
      const allowed = allowedFrom(docs, toDnsLabel(target));
      const published = (compose.services[target].ports ?? []).length > 0;
      if (published) {
        expect({ target, allowed }).toEqual({ target, allowed: 'anyone' });
        continue;
      }
      const expected = serviceNames.filter((m) => netsOf(m).some((net) => netsOf(target).includes(net))).map(toDnsLabel).sort();
      expect({ target, allowed }).toEqual({ target, allowed: expected });
    }
  });
});

test('the name check checks something: the samples name each other 18 times', () => {
  expect(CHECKED.size).toBe(Object.keys(SAMPLES).length);
  expect([...CHECKED.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(MIN_NAMES_CHECKED);
});
