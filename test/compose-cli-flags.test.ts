// `cdk8s-noops compose` (issue 16): every problem in one run with the flag that fixes it, a flag for
// every option a message names, Kompose-familiar aliases, stdout output, and variables from .env,
// --env-file and the shell as Docker Compose reads them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { main } from '../lib/cli/compose';
import { allSchemaProblems } from './support/schema';

const FILE = path.join(__dirname, 'fixtures', 'compose-flags', 'docker-compose.yml');
const FLAGS = ['--allow-mutable-image-tag=web', '--bind-mounts', 'web=configMap', '--allow-restart-always=migrate'];

function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(['compose', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'noops-compose-flags-'));
const docsOf = (yaml: string) => YAML.parseAllDocuments(yaml).map((d) => d.toJS());
const find = (docs: any[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

describe('cdk8s-noops compose, one run', () => {
  test('lists every problem with file:line and the flag that fixes it, exits 1 and writes nothing', () => {
    const out = tmp();
    try {
      const r = run([FILE, '-o', out]);
      expect(r.code).toBe(1);
      const errors = r.err.split('\n').filter((l) => l.startsWith('error: '));
      expect(errors).toEqual([
        expect.stringMatching(/docker-compose.yml:5 services.web.image: WebApp 'web': image 'nginx' has no tag; .*\(pass --allow-mutable-image-tag=web \(or --allow-mutable-image-tag for every service\)\)$/),
        expect.stringMatching(/docker-compose.yml:7 services.web.volumes\[0\] bind mount .*; use a named volume, or pass --bind-mounts web=configMap \(configuration files\), --bind-mounts web=emptyDir \(scratch data\) or --bind-mounts web=ignore \(source code the image contains\)$/),
        expect.stringMatching(/docker-compose.yml:18 services.migrate.restart restart 'no' .*; pass --allow-restart-always=migrate to run it as a Deployment anyway/),
      ]);
      expect(r.err).toMatch(/cdk8s-noops compose: 3 problems in .*docker-compose.yml; nothing written$/);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('with the flags the messages name it converts; the bind-mounted file is a ConfigMap, .env gives the variables', () => {
    const out = tmp();
    try {
      const r = run([FILE, '-o', out, ...FLAGS]);
      expect(r.err).not.toMatch(/error:/);
      expect(r.code).toBe(0);
      expect(r.err).toContain(`note: variables read from ${path.join(path.dirname(FILE), '.env')}`);
      expect(r.err).toMatch(/note: web publishes 8080 → 80\/TCP: .*; to expose it outside, pass --ingress web=<host> or --service-type web=LoadBalancer/);
      // docker-compose.yml is a default name and the file has no name: the chart and file are 'compose'.
      expect(r.out).toContain(`${path.join(out, 'compose.k8s.yaml')}: 3 services`);
      const docs = docsOf(fs.readFileSync(path.join(out, 'compose.k8s.yaml'), 'utf8'));
      expect(allSchemaProblems(docs)).toEqual([]);
      expect(find(docs, 'Deployment', 'api').spec.template.spec.containers[0].image).toBe('example/api:1.4.2');
      expect(find(docs, 'Deployment', 'api').spec.template.spec.containers[0].env).toEqual([
        { name: 'GREETING', value: 'hello' }, { name: 'REGION', value: 'eu-west-1' },
      ]);
      expect(docs.some((d) => d.kind === 'ConfigMap' && JSON.stringify(d.data).includes('proxy_pass http://api:3000'))).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('the shell environment wins over .env, --var over both; --env-file replaces .env', () => {
    const env = (r: ReturnType<typeof run>) => find(docsOf(r.out), 'Deployment', 'api').spec.template.spec.containers[0].env;
    expect(env(run([FILE, '-o', '-', ...FLAGS], { REGION: 'shell' }))).toContainEqual({ name: 'REGION', value: 'shell' });
    expect(env(run([FILE, '-o', '-', ...FLAGS, '--var', 'REGION=flag'], { REGION: 'shell' }))).toContainEqual({ name: 'REGION', value: 'flag' });
    const prod = run(['-f', FILE, '-o', '-', ...FLAGS, '--env-file', path.join(path.dirname(FILE), 'prod.env')], { API_VERSION: '2.0.0' });
    expect(env(prod)).toContainEqual({ name: 'REGION', value: 'us-east-2' });
    expect(find(docsOf(prod.out), 'Deployment', 'api').spec.template.spec.containers[0].image).toBe('example/api:2.0.0');
  });

  test('an unset variable names the ways to set it', () => {
    const r = run([FILE, '-o', '-', ...FLAGS, '--env-file', path.join(path.dirname(FILE), 'prod.env')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/docker-compose.yml:10 services.api.image: '\$\{API_VERSION\}' names the unset variable API_VERSION \(Compose would silently use an empty string\); pass --var API_VERSION=..., set it in the shell, or write it in .env \(or an --env-file\), or give a default/);
  });

  test('--out - prints the manifests to stdout; --quiet prints no notes', () => {
    const r = run([FILE, '--out', '-', '--quiet', ...FLAGS]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const docs = docsOf(r.out);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(expect.arrayContaining(['Deployment/web', 'Service/web', 'Deployment/api', 'Service/api', 'Deployment/migrate']));
  });

  test('Kompose-style flags: -n/--namespace, --replicas, --controller, --service-type, --ingress', () => {
    const r = run([FILE, '-o', '-', '-q', ...FLAGS, '-n', 'shop', '--replicas', '2', '--replicas', 'migrate=1', '--controller', 'api=statefulset',
      '--service-type', 'api=NodePort', '--ingress', 'web=shop.example.com']);
    expect(r.code).toBe(0);
    const docs = docsOf(r.out);
    expect(allSchemaProblems(docs)).toEqual([]);
    expect(find(docs, 'Namespace', 'shop')).toBeDefined();
    expect(find(docs, 'Deployment', 'web').metadata.namespace).toBe('shop');
    expect(find(docs, 'Deployment', 'web').spec.replicas).toBe(2);
    expect(find(docs, 'Deployment', 'migrate').spec.replicas).toBe(1);
    expect(find(docs, 'StatefulSet', 'api')).toBeDefined();
    expect(find(docs, 'Service', 'api').spec.type).toBe('NodePort');
    expect(find(docs, 'Ingress', 'web').spec.rules[0].host).toBe('shop.example.com');
  });

  test('--image gives a build-only service its image; --run-as-user a named user its uid', () => {
    const dir = tmp();
    try {
      const file = path.join(dir, 'compose.yaml');
      fs.writeFileSync(file, 'services:\n  app:\n    build: .\n    user: node\n    expose: ["3000"]\n');
      const fails = run([file, '-o', '-']);
      expect(fails.err).toMatch(/services.app service app has build but no image .*or pass --image app=<image>/);
      expect(fails.err).toMatch(/services.app.user user 'node' is not numeric.*or pass --run-as-user app=<uid>/);
      const r = run([file, '-o', '-', '-q', '--image', 'app=registry.example.com/app:1.0', '--run-as-user', 'app=1000']);
      expect(r.code).toBe(0);
      const pod = find(docsOf(r.out), 'Deployment', 'app').spec.template.spec;
      expect(pod.containers[0].image).toBe('registry.example.com/app:1.0');
      expect(pod.securityContext.runAsUser ?? pod.containers[0].securityContext.runAsUser).toBe(1000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails if --out names a file, with a clear message (not EEXIST)', () => {
    const dir = tmp();
    try {
      const file = path.join(dir, 'out.yaml');
      fs.writeFileSync(file, '');
      const r = run([FILE, '--out', file, ...FLAGS]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--out .*out.yaml is a file, not a directory; give a directory \(it is created if missing\) or - for stdout/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails if every service is in an inactive profile, naming --profile; writes no empty manifest', () => {
    const dir = tmp();
    try {
      const file = path.join(dir, 'compose.yaml');
      fs.writeFileSync(file, 'services:\n  debug:\n    image: \'busybox:1.36\'\n    profiles: [debug]\n');
      const r = run([file, '--out', path.join(dir, 'dist')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/every service is in an inactive profile \(debug\); pass --profile <profile>/);
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--version, usage errors of the new flags', () => {
    expect(run(['--version']).out).toBe(require('../package.json').version);
    expect(run([FILE, '--bind-mounts', 'web=hostPath'])).toMatchObject({ code: 2, err: expect.stringMatching(/--bind-mounts hostPath: use one of configmap, emptydir, ignore, error/) });
    expect(run([FILE, '--replicas', 'many'])).toMatchObject({ code: 2, err: expect.stringMatching(/--replicas many is not a number of replicas/) });
    expect(run([FILE, '--controller', 'daemonset'])).toMatchObject({ code: 2, err: expect.stringMatching(/--controller daemonset: use one of deployment, statefulset/) });
    expect(run([FILE, '--image', 'x'])).toMatchObject({ code: 2, err: expect.stringMatching(/--image x is not SERVICE=VALUE/) });
    expect(run([FILE, '-f', FILE])).toMatchObject({ code: 2, err: expect.stringMatching(/unexpected argument|one compose file at a time/) });
  });
});

describe('volume and name flags', () => {
  test('--volume-access, --volume-size, --existing-claim and --service-name set what their messages ask for', () => {
    const dir = tmp();
    try {
      const file = path.join(dir, 'shop.yaml');
      fs.writeFileSync(file, [
        'services:',
        '  a: { image: \'x/a:1\', expose: ["80"], volumes: [uploads:/data], deploy: { replicas: 2 } }',
        '  b: { image: \'x/b:1\', expose: ["80"], volumes: [uploads:/data, db:/db] }',
        '  1c: { image: \'x/c:1\', expose: ["80"] }',
        'volumes: { uploads: {}, db: {} }', ''].join('\n'));
      const fails = run([file, '-o', '-']);
      expect(fails.code).toBe(1);
      expect(fails.err).toMatch(/pass --service-name 1c=<name> to a name of lowercase letters/);
      expect(fails.err).toMatch(/pass --volume-access uploads=ReadWriteMany \(a StorageClass that supports it\)/);
      const r = run([file, '-o', '-', '-q', '--service-name', '1c=c', '--volume-access', 'uploads=ReadWriteMany', '--volume-size', 'uploads=5Gi', '--existing-claim', 'db=shop-db']);
      expect(r.err).toBe('');
      const docs = docsOf(r.out);
      expect(find(docs, 'PersistentVolumeClaim', 'uploads').spec).toMatchObject({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } } });
      expect(find(docs, 'PersistentVolumeClaim', 'db')).toBeUndefined();
      expect(find(docs, 'Deployment', 'b').spec.template.spec.volumes).toContainEqual(expect.objectContaining({ persistentVolumeClaim: { claimName: 'shop-db' } }));
      expect(find(docs, 'Service', 'c')).toBeDefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
