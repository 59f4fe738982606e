import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { main } from '../lib/cli/compose';
import { allSchemaProblems } from './support/schema';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-noops.js');
const FIXTURES = path.join(__dirname, 'fixtures', 'compose');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'noops-compose-cli-'));
}

test('package.json declares the cdk8s-noops bin', () => {
  expect(require('../package.json').bin).toEqual({ 'cdk8s-noops': 'bin/cdk8s-noops.js' });
});

test('the launcher renders a compose file into --out (spawned as npx would run it)', () => {
  const out = tmp();
  try {
    // Run from another directory, as a user would: the launcher must find its own TypeScript loader.
    const r = spawnSync(process.execPath, [BIN, 'compose', path.join(FIXTURES, 'cli.yml'), '--out', out, '--existing-secret', 'cli-credentials', '--namespace', 'cli'],
      { cwd: os.tmpdir(), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toContain('note: service DB is named db');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${path.join(out, 'cli.k8s.yaml')}: 2 services (DB → db, web)`);
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(out, 'cli.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(expect.arrayContaining(['Namespace/cli', 'Deployment/db', 'Service/db', 'Deployment/web', 'Service/web']));
    expect(docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'db').spec.template.spec.containers[0].env)
      .toEqual([{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'cli-credentials', key: 'POSTGRES_PASSWORD' } } }]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('the launcher fails with exit code 1 and file:line on an invalid compose file', () => {
  const out = tmp();
  try {
    const r = spawnSync(process.execPath, [BIN, 'compose', path.join(FIXTURES, 'cli-bad.yml'), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cli-bad.yml:4 services.web.portz unknown key 'portz'/);
    expect(fs.readdirSync(out)).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

describe('main()', () => {
  const run = (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('--help prints the usage', () => {
    expect(run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('usage: cdk8s-noops compose <docker-compose.yml>') });
  });

  test('fails with exit code 2 on usage errors', () => {
    expect(run().code).toBe(2);
    expect(run('kompose').err).toMatch(/unknown command 'kompose'/);
    expect(run('compose').err).toMatch(/give the compose file/);
    expect(run('compose', 'a.yml', '--bogus')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown option --bogus/) });
    expect(run('compose', 'a.yml', '--var', 'NOEQUALS')).toMatchObject({ code: 2, err: expect.stringMatching(/--var NOEQUALS is not KEY=VALUE/) });
    expect(run('compose', 'a.yml', '--out')).toMatchObject({ code: 2, err: expect.stringMatching(/--out needs a value/) });
  });

  test('the seed\'s compose file: invalid image names are named with the fix, ports the compose file lacks come from --port', () => {
    const out = tmp();
    try {
      const seed = run('compose', path.join(FIXTURES, 'seed.yml'), '--out', out, '--port', 'DB=3306', '--port', 'KVS=6379');
      expect(seed.code).toBe(1);
      expect(seed.err).toMatch(/seed.yml:4 services.DB.image: WebApp 'db': image 'sample-DB:1.0' is not a valid image reference \(the kubelet would fail with InvalidImageName\); repository paths are lowercase: use 'sample-db:1.0'/);
      // The classic Kompose trap: DB has no port, yet WEB and AP address it. The CLI's advice names its own flag.
      const noPort = run('compose', path.join(FIXTURES, 'seed-lowercase.yml'), '--out', out);
      expect(noPort.code).toBe(1);
      expect(noPort.err).toMatch(/service DB is addressed by WEB \(depends_on\), AP \(depends_on\), AP \(links\) but has no port: .*; pass --port DB=<port>, or add expose: \["<port>"\] to the service/);
      const ok = run('compose', path.join(FIXTURES, 'seed-lowercase.yml'), '--out', out, '--port', 'DB=3306', '--port', 'KVS=6379', '--existing-secret', 'seed-credentials');
      expect(ok.err).not.toMatch(/cdk8s-noops compose:/);
      expect(ok.code).toBe(0);
      const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(out, 'seed-lowercase.k8s.yaml'), 'utf8')).map((d) => d.toJS());
      expect(allSchemaProblems(docs)).toEqual([]);
      const svc = (name: string) => docs.find((d) => d.kind === 'Service' && d.metadata.name === name);
      expect(svc('db').spec.ports.map((p: any) => p.port)).toEqual([3306]);
      expect(svc('kvs').spec.ports.map((p: any) => p.port)).toEqual([6379]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('fails if --port is not SERVICE=PORT', () => {
    expect(run('compose', 'a.yml', '--port', 'DB')).toMatchObject({ code: 2, err: expect.stringMatching(/--port DB is not SERVICE=PORT with a port between 1 and 65535 \(e.g. --port DB=3306\)/) });
    expect(run('compose', 'a.yml', '--port', 'DB=70000')).toMatchObject({ code: 2, err: expect.stringMatching(/--port DB=70000 is not SERVICE=PORT/) });
  });

  test('env_file (long form, Compose syntax, --var interpolation) and extra names mapped to DNS names', () => {
    const out = tmp();
    try {
      const r = run('compose', path.join(FIXTURES, 'cli-env.yml'), '--out', out, '--existing-secret', 'creds', '--var', 'WHO=cli');
      expect(r.code).toBe(0);
      expect(r.err).toContain('note: container_name \'app_db\' of service db is the Service name app-db');
      const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(out, 'cli-env.k8s.yaml'), 'utf8')).map((d) => d.toJS());
      expect(allSchemaProblems(docs)).toEqual([]);
      expect(docs.find((d) => d.kind === 'Service' && d.metadata.name === 'app-db')).toBeDefined();
      expect(docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'web').spec.template.spec.containers[0].env).toEqual([
        { name: 'GREETING', value: 'hello cli' },
        { name: 'DATABASE_URL', value: 'postgres://app@app-db:5432/app' },
      ]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('--var feeds interpolation; conversion errors exit 1', () => {
    const out = tmp();
    try {
      const r = run('compose', path.join(FIXTURES, 'cli.yml'), '--out', out, '--var', 'POSTGRES_PASSWORD=x', '--write-secrets');
      expect(r.code).toBe(0);
      expect(r.err).toContain('note: secret-looking environment of DB (POSTGRES_PASSWORD) is in Secret db-env');
      const missing = run('compose', path.join(FIXTURES, 'cli.yml'), '--out', out, '--write-secrets');
      expect(missing.code).toBe(1);
      expect(missing.err).toMatch(/cli.yml:5 services.DB.environment.POSTGRES_PASSWORD environment POSTGRES_PASSWORD has no value/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
