// Compose `include` (issue 16): included files are merged, keep their own file and lines in messages,
// and their relative paths stay relative to themselves; conflicts, cycles and files outside the
// project are refused.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ComposeApp } from '../lib';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-compose-include-'));
  fs.mkdirSync(path.join(root, 'db'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(root, f), text);
}
function convert(file = 'compose.yaml', options = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const app = ComposeApp.fromFile(chart, 'shop', path.join(root, file), { onWarning: () => undefined, existingSecretName: 'creds', ...options });
  return { app, docs: Testing.synth(chart) };
}
const env = (docs: any[], name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0].env;

test('included services, volumes and networks are merged; their env_file is read relative to the included file', () => {
  write({
    'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  web:\n    image: \'x/web:1\'\n    expose: ["80"]\n    environment: { DB_URL: "postgres://db:5432/app" }\n    networks: [back]\n',
    'db/compose.yaml': 'services:\n  db:\n    image: \'postgres:16.4\'\n    env_file: db.env\n    volumes: [data:/var/lib/postgresql/data]\n    networks: [back]\nvolumes:\n  data: {}\nnetworks:\n  back: {}\n',
    'db/db.env': 'POSTGRES_DB=app\n',
  });
  const { app, docs } = convert();
  expect(Object.keys(app.services).sort()).toEqual(['db', 'web']);
  expect(env(docs, 'db')).toContainEqual({ name: 'POSTGRES_DB', value: 'app' });
  expect(docs.find((d) => d.kind === 'PersistentVolumeClaim' && d.metadata.name === 'data')).toBeDefined();
  expect(app.notes).toContain(`included ${path.join(root, 'db/compose.yaml')}: services.db, volumes.data, networks.back`);
});

test('messages about an included service name the included file and its line', () => {
  write({
    'compose.yaml': 'include:\n  - path: db/compose.yaml\nservices:\n  web: { image: \'x/web:1\', expose: ["80"] }\n',
    'db/compose.yaml': 'services:\n  db:\n    image: postgres\n',
  });
  expect(() => convert()).toThrow(new RegExp(`${path.join(root, 'db/compose.yaml').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3 services.db.image: WebApp 'db': image 'postgres' has no tag`));
});

test('fails if an entry is defined twice, the include cycles, or the file is outside the project', () => {
  write({ 'compose.yaml': 'include: [db/compose.yaml]\nservices:\n  db: { image: \'x/db:1\', expose: ["5432"] }\n', 'db/compose.yaml': 'services:\n  db: { image: \'x/db:2\' }\n' });
  expect(() => convert()).toThrow(/compose.yaml:3 services.db service 'db' is defined here and in the included .*db\/compose.yaml; define it once/);
  write({ 'a.yaml': 'include: [b.yaml]\nservices:\n  a: { image: \'x/a:1\' }\n', 'b.yaml': 'include: [a.yaml]\nservices:\n  b: { image: \'x/b:1\' }\n' });
  expect(() => convert('a.yaml')).toThrow(/b.yaml:1 include\[0\] includes 'a.yaml', which includes this file again \(a.yaml → b.yaml → a.yaml\); remove the cycle/);
  write({ 'out.yaml': 'include: [../elsewhere.yaml]\nservices:\n  a: { image: \'x/a:1\' }\n' });
  fs.writeFileSync(path.join(root, '..', path.basename(root) + '-elsewhere.yaml'), 'services: {}\n');
  expect(() => convert('out.yaml')).toThrow(/include\[0\] includes '..\/elsewhere.yaml', which does not exist/);
  write({ 'out2.yaml': `include: [../${path.basename(root)}-elsewhere.yaml]\nservices:\n  a: { image: 'x/a:1' }\n` });
  expect(() => convert('out2.yaml')).toThrow(/include\[0\] includes .*-elsewhere.yaml', which is outside the project directory/);
  fs.rmSync(path.join(root, '..', path.basename(root) + '-elsewhere.yaml'));
});

describe('extends', () => {
  test('a service extends another of this file or of another file, with Compose\'s merge rules', () => {
    write({
      'compose.yaml': [
        'services:',
        '  base:',
        '    image: \'x/app:1\'',
        '    expose: ["80"]',
        '    environment: [LOG=info, MODE=base]',
        '    labels: { team: shop }',
        '    command: ["serve"]',
        '    healthcheck: { test: ["CMD", "true"], interval: 10s }',
        '  web:',
        '    extends: base',
        '    expose: ["8080"]',
        '    environment: { MODE: web }',
        '    command: ["serve", "--web"]',
        '    healthcheck: { interval: 5s }',
        '  worker:',
        '    extends: { file: db/common.yaml, service: common }',
        '    restart: always',
        ''].join('\n'),
      'db/common.yaml': 'services:\n  common:\n    image: \'x/worker:1\'\n    env_file: common.env\n',
      'db/common.env': 'QUEUE=jobs\n',
    });
    const { app, docs } = convert();
    const c = (n: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === n).spec.template.spec.containers[0];
    expect(app.services.web.ports.map((p) => p.containerPort)).toEqual([80, 8080]);
    expect(c('web').env).toEqual([{ name: 'LOG', value: 'info' }, { name: 'MODE', value: 'web' }]);
    expect(c('web').args).toEqual(['serve', '--web']);
    expect(c('web').readinessProbe).toMatchObject({ exec: { command: ['true'] }, periodSeconds: 5 });
    expect(c('worker').env).toEqual([{ name: 'QUEUE', value: 'jobs' }]);
  });

  test('fails if extends names a missing service or cycles', () => {
    write({ 'compose.yaml': 'services:\n  a:\n    extends: nope\n' });
    expect(() => convert()).toThrow(/compose.yaml:3 services.a.extends extends 'nope', which is not a service of this file; use one of a/);
    write({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n' });
    expect(() => convert()).toThrow(/extends 'b', which extends a again \(a → b\)|extends 'a', which extends b again/);
  });
});
