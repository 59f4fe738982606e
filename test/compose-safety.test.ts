// Safe by default (issue 16): host files are read only inside the project directory (symbolic links
// resolved), and credentials never appear as literals outside a Secret.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ComposeApp, ComposeAppOptions } from '../lib';
import { main } from '../lib/cli/compose';

/** A project directory `<tmp>/project` holding `files`, beside `<tmp>/outside.env`. */
function project(files: Record<string, string>): { dir: string; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-compose-safety-'));
  const dir = path.join(root, 'project');
  fs.mkdirSync(path.join(dir, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(root, 'outside.env'), 'CI_TOKEN=from-outside\n');
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return { dir, root };
}

function convert(dir: string, yaml: string, options: ComposeAppOptions = {}) {
  fs.writeFileSync(path.join(dir, 'compose.yaml'), yaml);
  const chart = new Chart(Testing.app(), 'test');
  const app = ComposeApp.fromFile(chart, 'shop', path.join(dir, 'compose.yaml'), { onWarning: () => undefined, ...options });
  return { app, docs: Testing.synth(chart) };
}

const SERVICE = 'services:\n  a:\n    image: \'x/a:1\'\n    expose: ["80"]\n';

describe('host files stay inside the project directory', () => {
  let dirs: string[] = [];
  const make = (files: Record<string, string> = {}) => {
    const p = project(files);
    dirs.push(p.root);
    return p;
  };
  afterEach(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  test('fails if env_file is an absolute path or ../ outside the project', () => {
    const { dir } = make();
    expect(() => convert(dir, `${SERVICE}    env_file: /etc/hostname\n`))
      .toThrow(/compose.yaml:5 services.a.env_file env_file '\/etc\/hostname' is outside the project directory .*project: its content would be copied into the manifests; move the file into the project directory, or set allowOutside: true if you trust this Compose file/);
    expect(() => convert(dir, `${SERVICE}    env_file: ../outside.env\n`)).toThrow(/env_file '..\/outside.env' is outside the project directory/);
  });

  test('fails if a file in the project is a symbolic link to a file outside', () => {
    const { dir, root } = make();
    fs.symlinkSync(path.join(root, 'outside.env'), path.join(dir, 'app.env'));
    expect(() => convert(dir, `${SERVICE}    env_file: app.env\n`)).toThrow(new RegExp(`env_file 'app.env' is a link to ${path.join(root, 'outside.env').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, outside the project directory`));
  });

  test('fails if a config file or a bind-mounted file (also one inside a mounted directory) is outside', () => {
    const { dir, root } = make({ 'conf/ok.conf': 'ok' });
    expect(() => convert(dir, `${SERVICE}    configs: [c]\nconfigs:\n  c:\n    file: ../outside.env\n`)).toThrow(/compose.yaml:\d+ configs.c.file config file '..\/outside.env' is outside the project directory/);
    expect(() => convert(dir, `${SERVICE}    volumes: ['../outside.env:/etc/app.env:ro']\n`, { defaults: { bindMounts: 'configMap' as any } }))
      .toThrow(/services.a.volumes\[0\] bind mount source '..\/outside.env' is outside the project directory/);
    fs.symlinkSync(path.join(root, 'outside.env'), path.join(dir, 'conf', 'leak.conf'));
    expect(() => convert(dir, `${SERVICE}    volumes: ['./conf:/etc/app:ro']\n`, { defaults: { bindMounts: 'configMap' as any } }))
      .toThrow(/bind-mounted file 'conf\/leak.conf' is a link to .*outside.env, outside the project directory/);
  });

  test('allowOutside reads them (a trusted file); files inside the project read as before', () => {
    const { dir } = make({ 'app.env': 'GREETING=hi\n' });
    const inside = convert(dir, `${SERVICE}    env_file: app.env\n`);
    expect(JSON.stringify(inside.docs)).toContain('"value":"hi"');
    const outside = convert(dir, `${SERVICE}    env_file: ../outside.env\n`, { allowOutside: true, existingSecretName: 'creds' });
    expect(outside.app.requiredSecretKeys).toEqual({ creds: ['CI_TOKEN'] });
  });

  test('the CLI names --allow-outside', () => {
    const { dir } = make();
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `${SERVICE}    env_file: ../outside.env\n`);
    const err: string[] = [];
    const code = main(['compose', path.join(dir, 'compose.yaml'), '-o', '-'], { out: () => undefined, err: (l) => err.push(l), env: {} });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/outside the project directory .*; move the file into the project directory, or pass --allow-outside if you trust this Compose file/);
    expect(main(['compose', path.join(dir, 'compose.yaml'), '-o', '-', '-q', '--allow-outside', '--existing-secret', 'creds'], { out: () => undefined, err: () => undefined, env: {} })).toBe(0);
  });
});

describe('credentials never appear as literals outside a Secret', () => {
  const FIX = path.join(__dirname, 'fixtures', 'compose');
  const run = (yaml: string, options: ComposeAppOptions = {}) => {
    const chart = new Chart(Testing.app(), 'test');
    const app = ComposeApp.fromYaml(chart, 'shop', yaml, { baseDir: FIX, fileName: 'docker-compose.yml', onWarning: () => undefined, ...options });
    return { app, docs: Testing.synth(chart), text: JSON.stringify(Testing.synth(chart)) };
  };
  const container = (docs: any[], name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0];

  test('DATABASE_PWD, AUTH_CREDENTIALS, PRIVATE_PEM, *_SALT and URLs with user:pass@ go to the Secret', () => {
    const { docs, text } = run(`
services:
  app:
    image: 'x/app:1'
    expose: ["80"]
    environment:
      DATABASE_PWD: pw-1
      AUTH_CREDENTIALS: cred-2
      PRIVATE_PEM: pem-3
      WP_AUTH_SALT: salt-4
      CACHE_URL: redis://:pw-5@cache:6379/0
      DATABASE_URL: postgres://app:pw-6@db:5432/app
      PUBLIC_URL: https://shop.example.com/x
  db:
    image: 'postgres:16'
  cache:
    image: 'redis:7.4'
`, { variables: {} });
    const env = Object.fromEntries(container(docs, 'app').env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef.name]));
    expect(env).toEqual({ DATABASE_PWD: 'app-env', AUTH_CREDENTIALS: 'app-env', PRIVATE_PEM: 'app-env', WP_AUTH_SALT: 'app-env', CACHE_URL: 'app-env', DATABASE_URL: 'app-env', PUBLIC_URL: 'https://shop.example.com/x' });
    const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === 'app-env');
    // Host names in the Secret's URLs are rewritten like any value.
    expect(secret.stringData.DATABASE_URL).toBe('postgres://app:pw-6@db:5432/app');
    for (const v of ['pw-1', 'cred-2', 'pem-3', 'salt-4', 'pw-5', 'pw-6']) expect(text.split(v).length - 1).toBe(1); // in the Secret only
  });

  test('with an existing Secret, a secret variable in a healthcheck or command is the container\'s variable, never its value', () => {
    const { docs, text, app } = run(`
services:
  db:
    image: 'mysql:8.4'
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
    healthcheck:
      test: ["CMD", "mysqladmin", "ping", "-uroot", "-p\${MYSQL_ROOT_PASSWORD}"]
  backup:
    image: 'mysql:8.4'
    restart: always
    environment:
      MYSQL_ROOT_PASSWORD: \${MYSQL_ROOT_PASSWORD}
    command: mysqldump -h db -uroot -p\${MYSQL_ROOT_PASSWORD} --all-databases
    healthcheck:
      test: mysql -h db -uroot -p"\${MYSQL_ROOT_PASSWORD}" -e 'select 1'
`, { existingSecretName: 'creds', variables: { MYSQL_ROOT_PASSWORD: 'hunter2' } });
    expect(text).not.toContain('hunter2');
    expect(app.requiredSecretKeys).toEqual({ creds: ['MYSQL_ROOT_PASSWORD'] });
    expect(container(docs, 'db').readinessProbe.exec.command).toEqual(['/bin/sh', '-c', '\'mysqladmin\' \'ping\' \'-uroot\' \'-p\'"${MYSQL_ROOT_PASSWORD}"']);
    expect(container(docs, 'backup').args).toEqual(['mysqldump', '-h', 'db', '-uroot', '-p$(MYSQL_ROOT_PASSWORD)', '--all-databases']);
    expect(container(docs, 'backup').readinessProbe.exec.command).toEqual(['/bin/sh', '-c', 'mysql -h db -uroot -p"${MYSQL_ROOT_PASSWORD}" -e \'select 1\'']);
  });

  test('fails if a command uses a secret variable the service does not have in its environment', () => {
    expect(() => run('services:\n  job:\n    image: \'x/job:1\'\n    restart: always\n    command: login --token ${API_TOKEN}\n', { variables: { API_TOKEN: 't0ken' } }))
      .toThrow(/docker-compose.yml:5 services.job.command command uses the secret variable API_TOKEN, which is not in the service's environment: its value is not written into a command; add 'API_TOKEN: \$\{API_TOKEN\}' to the environment of job/);
  });
});

describe('the CLI writes no credential literal without --write-secrets', () => {
  const FILE = path.join(__dirname, 'fixtures', 'compose', 'cli.yml');
  const cli = (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(['compose', FILE, '-o', '-', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), env: { POSTGRES_PASSWORD: 'from-the-shell' } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('by default the values are read from <name>-credentials, and the command that creates it is printed', () => {
    const r = cli('-n', 'shop');
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('from-the-shell');
    expect(r.out).not.toMatch(/kind: Secret/);
    expect(r.out).toContain('name: cli-credentials');
    expect(r.err).toContain('create it: kubectl create secret generic cli-credentials -n shop --from-literal=POSTGRES_PASSWORD=<value>');
  });

  test('--write-secrets writes them (explicitly asked); it excludes --existing-secret', () => {
    const r = cli('--write-secrets');
    expect(r.code).toBe(0);
    expect(r.out).toContain('from-the-shell');
    expect(cli('--write-secrets', '--existing-secret', 'x')).toMatchObject({ code: 2, err: expect.stringMatching(/--write-secrets and --existing-secret exclude each other/) });
  });
});

describe('capabilities', () => {
  const run = (yaml: string, options: ComposeAppOptions = {}) => {
    const chart = new Chart(Testing.app(), 'test');
    ComposeApp.fromYaml(chart, 'shop', yaml, { fileName: 'docker-compose.yml', onWarning: () => undefined, ...options });
    return Testing.synth(chart);
  };
  const VPN = 'services:\n  vpn:\n    image: \'x/vpn:1\'\n    expose: ["51820/udp"]\n    healthcheck: { test: ["CMD", "wg"] }\n    cap_add: [NET_ADMIN, SYS_MODULE]\n';

  test('fails if cap_add goes beyond NET_BIND_SERVICE, naming the opt-in', () => {
    expect(() => run(VPN)).toThrow(/docker-compose.yml:6 services.vpn.cap_add cap_add \["NET_ADMIN","SYS_MODULE"\] adds capabilities that Pod Security "restricted" refuses .*; remove them if the service runs without, or set options.services.vpn.allowCapabilities: true/);
    expect(() => run('services:\n  web: { image: \'x/web:1\', expose: ["80"], cap_add: [NET_BIND_SERVICE] }\n')).not.toThrow();
  });

  test('allowCapabilities (--allow-capabilities) adds them', () => {
    const docs = run(VPN, { services: { vpn: { allowCapabilities: true } } });
    const c = docs.find((d: any) => d.kind === 'Deployment').spec.template.spec.containers[0];
    expect(c.securityContext.capabilities.add).toEqual(['NET_ADMIN', 'SYS_MODULE']);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-caps-'));
    try {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), VPN);
      const err: string[] = [];
      expect(main(['compose', path.join(dir, 'compose.yaml'), '-o', '-'], { out: () => undefined, err: (l) => err.push(l), env: {} })).toBe(1);
      expect(err.join('\n')).toMatch(/or pass --allow-capabilities=vpn \(the namespace/);
      expect(main(['compose', path.join(dir, 'compose.yaml'), '-o', '-', '--allow-capabilities'], { out: () => undefined, err: () => undefined, env: {} })).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('URLs with a password', () => {
  test('with an existing Secret, a URL whose password is a variable is read from the Secret, and the variable is not needed', () => {
    const chart = new Chart(Testing.app(), 'test');
    const app = ComposeApp.fromYaml(chart, 'shop', 'services:\n  api:\n    image: \'x/api:1\'\n    expose: ["80"]\n    environment:\n      DATABASE_URL: postgres://app:${DB_PASSWORD}@db:5432/app\n  db:\n    image: \'postgres:16.4\'\n',
      { fileName: 'docker-compose.yml', onWarning: () => undefined, existingSecretName: 'creds' });
    const docs = Testing.synth(chart);
    expect(app.requiredSecretKeys).toEqual({ creds: ['DATABASE_URL'] });
    const env = docs.find((d: any) => d.kind === 'Deployment' && d.metadata.name === 'api').spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'creds', key: 'DATABASE_URL' } } }]);
  });
});
