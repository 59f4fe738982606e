import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { COTOAMI_COMPOSE_FILE, cotoami } from '../apps/cotoami';
import { WEB_AP_DB_KVS_COMPOSE_FILE, composeWebApDbKvs } from '../apps/compose-web-ap-db-kvs';
import { ComposeApp } from '../lib';
import { ExampleApp } from '../apps/registry';

// Kompose's failure in the seed scenario: AP could not resolve DB ("Unknown MySQL server host 'DB'")
// because services without `ports` got no Service. Here, every host name a service uses — its
// depends_on and links targets (and link aliases), and every environment value that names another
// service or one of its extra names (`DB`, `db:3306`, `redis://KVS:6379/0`, `postgres://u@postgres/x`)
// — must resolve to a Service in the rendered output (DNS is case-insensitive: `DB` resolves to the
// Service `db`; a name that is no DNS name, `my_db`, is the Service `my-db` and the values naming it
// are rewritten), and every wait-for init container must target a Service port that exists.

/** The Service name a Compose name becomes (`DB` → `db`, `my_db` → `my-db`). */
const dnsName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

/** Host names a Compose file makes its services use, read straight from the file (not from ComposeApp). */
function hostsUsed(compose: any): Array<{ service: string; host: string; why: string }> {
  const services = compose.services as Record<string, any>;
  const names = new Set<string>();
  for (const [n, s] of Object.entries(services)) {
    names.add(n.toLowerCase());
    // Since Docker 20.10 a container's hostname resolves on its networks too, like container_name and aliases.
    for (const extra of [s.container_name, s.hostname]) if (extra) names.add(String(extra).toLowerCase());
    for (const net of Object.values(Array.isArray(s.networks) ? {} : s.networks ?? {}) as any[]) for (const a of net?.aliases ?? []) names.add(String(a).toLowerCase());
    for (const l of s.links ?? []) for (const h of String(l).split(':')) names.add(h.toLowerCase());
  }
  const out: Array<{ service: string; host: string; why: string }> = [];
  for (const [n, s] of Object.entries(services)) {
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    for (const d of deps) out.push({ service: n, host: d, why: 'depends_on' });
    for (const l of s.links ?? []) for (const h of String(l).split(':')) out.push({ service: n, host: h, why: 'links' });
    const env = Array.isArray(s.environment)
      ? s.environment.map((e: string) => e.split('=').slice(1).join('='))
      : Object.values(s.environment ?? {}).map((v) => (v == null ? '' : String(v)));
    for (const value of env) {
      const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^:/?#]+)/i.exec(value)?.[1];
      const hostPort = /^([A-Za-z0-9_.-]+)(?::\d+)?$/.exec(value)?.[1];
      for (const candidate of [url, hostPort]) {
        if (candidate && names.has(candidate.toLowerCase())) out.push({ service: n, host: candidate, why: `environment value '${value}'` });
      }
    }
  }
  return out;
}

function checkResolves(compose: any, docs: any[]): string[] {
  const problems: string[] = [];
  const services = docs.filter((d) => d.kind === 'Service');
  const hosts = hostsUsed(compose);
  expect(hosts.length).toBeGreaterThan(0);
  for (const { service, host, why } of hosts) {
    const svc = services.find((s) => s.metadata.name === dnsName(host));
    if (!svc) problems.push(`${service} uses '${host}' (${why}) but no Service '${dnsName(host)}' is rendered`);
    else if (!svc.spec.ports?.length) problems.push(`${service} uses '${host}' (${why}) but Service '${svc.metadata.name}' has no ports`);
  }
  for (const w of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')) {
    for (const c of w.spec.template.spec.initContainers ?? []) {
      const m = /nc -z -w 2 (\S+) (\d+)/.exec(c.command?.[2] ?? '');
      if (!m) continue;
      const svc = services.find((s) => s.metadata.name === m[1]);
      if (!svc?.spec.ports.some((p: any) => p.port === Number(m[2]))) problems.push(`${w.metadata.name} init container ${c.name} waits for ${m[1]}:${m[2]}, which is no Service port`);
    }
  }
  return problems;
}

describe.each([
  ['compose-web-ap-db-kvs', WEB_AP_DB_KVS_COMPOSE_FILE, composeWebApDbKvs],
  ['cotoami', COTOAMI_COMPOSE_FILE, cotoami],
] as Array<[string, string, ExampleApp]>)('example app %s', (_name, file, example) => {
  test('every host name a service uses resolves to a Service with ports', () => {
    const app: App = Testing.app();
    example.build(app);
    const docs = app.charts.flatMap((c) => Testing.synth(c));
    expect(checkResolves(YAML.parse(fs.readFileSync(file, 'utf8')), docs)).toEqual([]);
  });

  test('no credential is written: no Secret is rendered, secret-looking variables use secretKeyRef', () => {
    const app: App = Testing.app();
    example.build(app);
    const docs = app.charts.flatMap((c) => Testing.synth(c));
    expect(docs.filter((d) => d.kind === 'Secret')).toEqual([]);
    const env = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet').flatMap((d) => d.spec.template.spec.containers.flatMap((c: any) => c.env ?? []));
    const secretLooking = env.filter((e: any) => /PASS|SECRET|TOKEN|KEY/i.test(e.name));
    expect(secretLooking.length).toBeGreaterThan(0);
    for (const e of secretLooking) expect(e).toEqual({ name: e.name, valueFrom: { secretKeyRef: { name: expect.stringMatching(/-credentials$/), key: expect.any(String) } } });
  });
});

test('the seed scenario\'s own compose file (with links aliases, container_name and env hosts) resolves too', () => {
  const compose = {
    services: {
      DB: { image: 'mysql:8.4', environment: { MYSQL_ALLOW_EMPTY_PASSWORD: 'yes' } },
      KVS: { image: 'redis:7.4.1', command: 'redis-server', container_name: 'KVS-main' },
      WEB: { image: 'httpd:2.4.62', depends_on: ['DB'], ports: ['3000:3000'], environment: ['AP_ADDR=AP:2000'] },
      AP: { image: 'example/ap:1.0', depends_on: ['DB'], links: ['DB:mysql'], ports: ['2000:2000'], environment: { DB_HOST: 'DB', CACHE: 'kvs-main:6379', CACHE_URL: 'redis://KVS/0' } },
    },
  };
  const chart = new Chart(Testing.app(), 'seed', { namespace: 'seed' });
  ComposeApp.fromObject(chart, 'seed', compose);
  expect(checkResolves(compose, Testing.synth(chart))).toEqual([]);
});

test('names that are no DNS names (service, container_name, hostname, network and links aliases) resolve as their mapped Services, and the values naming them are rewritten', () => {
  const compose = {
    services: {
      app_db: { image: 'postgres:16.4', container_name: 'legacy_db', hostname: 'pg_main', networks: { default: { aliases: ['db_alias'] } } },
      kv_store: { image: 'redis:7.4.1' },
      api: {
        image: 'example/api:1.0',
        expose: ['9000'],
        depends_on: ['app_db'],
        links: ['kv_store:cache_link'],
        environment: {
          DB_URL: 'postgres://u@app_db:5432/x', LEGACY_HOST: 'legacy_db', PG: 'pg_main:5432', ALIAS_ADDR: 'db_alias:5432', CACHE_URL: 'redis://cache_link:6379/0', KV: 'kv_store:6379',
        },
      },
    },
  };
  const chart = new Chart(Testing.app(), 'mapped', { namespace: 'mapped' });
  ComposeApp.fromObject(chart, 'mapped', compose);
  const docs = Testing.synth(chart);
  expect(checkResolves(compose, docs)).toEqual([]);
  // What the container really gets: every host in its rendered environment is a Service with ports.
  const services = docs.filter((d) => d.kind === 'Service' && d.spec.ports?.length).map((d) => d.metadata.name);
  const api = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'api').spec.template.spec.containers[0];
  const hosts = api.env.map((e: any) => /^(?:[a-z]+:\/\/(?:[^@/]*@)?)?([^:/]+)/.exec(e.value)![1]);
  expect(hosts).toEqual(['app-db', 'legacy-db', 'pg-main', 'db-alias', 'cache-link', 'kv-store']);
  for (const h of hosts) expect(services).toContain(h);
});

test('the checker itself catches a missing Service', () => {
  const compose = { services: { api: { image: 'a:1', depends_on: ['db'] }, db: { image: 'b:1' } } };
  const docs = [{ kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ port: 80 }] } }];
  expect(checkResolves(compose, docs)).toEqual(['api uses \'db\' (depends_on) but no Service \'db\' is rendered']);
});

test('fixture files exist', () => {
  expect(fs.existsSync(path.join(__dirname, 'fixtures', 'compose', 'cli.yml'))).toBe(true);
});
