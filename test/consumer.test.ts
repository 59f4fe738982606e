// The package as a user gets it: `npm pack`, installed into a scratch cdk8s app (offline, from the npm
// cache) whose cdk8s and constructs are the lowest versions we support, not the repository's own. The app
// is type-checked with the cdk8s TypeScript template's compiler options and synthesized by the cdk8s CLI;
// then audit() and every sub-command of the installed `cdk8s-noops` bin run on the result.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createScratchApp, npm, ScratchApp } from './support/consumer';

const ROOT = path.resolve(__dirname, '..');
jest.setTimeout(300_000);

/** tsconfig.json of `cdk8s init typescript-app` (less `charset`, which TypeScript 5 removed). */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true,
    inlineSources: true, lib: ['es2016'], module: 'CommonJS', noEmitOnError: true, noFallthroughCasesInSwitch: true,
    noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true, noUnusedLocals: true, noUnusedParameters: true,
    resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true, stripInternal: true,
    target: 'ES2017',
  },
  include: ['**/*.ts'],
  exclude: ['node_modules', 'cdk8s.out'],
};

/** The README's complete `main.ts` (its first TypeScript block), as a user's main.ts in a new cdk8s project. */
const MAIN_TS = (() => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /## A complete `main\.ts`[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no "A complete `main.ts`" section with a ts block');
  return block[1];
})();

const COMPOSE = `services:
  web:
    image: nginx:1.27.3
    ports: ["8080:80"]
  cache:
    image: redis:7.4.1
`;

let app: ScratchApp;
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-consumer-'));
  app = createScratchApp(path.join(work, 'app'), {
    'main.ts': MAIN_TS,
    'tsconfig.json': `${JSON.stringify(TEMPLATE_TSCONFIG, null, 2)}\n`,
    'cdk8s.yaml': 'language: typescript\napp: node main.js\n',
    'docker-compose.yml': COMPOSE,
  });
});

afterAll(() => {
  if (work && !process.env.KEEP_CONSUMER_APP) fs.rmSync(work, { recursive: true, force: true });
});

const bin = (...args: string[]) => spawnSync(path.join(app.dir, 'node_modules/.bin/cdk8s-noops'), args, { cwd: app.dir, encoding: 'utf8' });

test('npm pack lists LICENSE, CHANGELOG, README, the CRDs, the build and the bin, and no sources or tests', () => {
  const [info] = JSON.parse(npm(ROOT, ['pack', '--dry-run', '--json', '--ignore-scripts'])) as Array<{ files: Array<{ path: string }> }>;
  const files = info.files.map((f) => f.path);
  for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'bin/cdk8s-noops.js', 'build/lib/index.js', 'build/lib/index.d.ts',
    'build/lib/audit/index.js', 'build/lib/review/index.js', 'crds/istio-networking-v1.yaml', 'crds/SOURCES.md']) {
    expect(files).toContain(f);
  }
  expect(files.filter((f) => /^(lib|test|apps|bench|scripts)\/|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
});

test('the app has one cdk8s and one constructs: the floor versions, not the repository\'s', () => {
  const tree = JSON.parse(npm(app.dir, ['ls', 'cdk8s', 'constructs', '--all', '--json'])) as any;
  const versions = (name: string) => {
    const found = new Set<string>();
    const walk = (node: any) => {
      for (const [n, d] of Object.entries<any>(node.dependencies ?? {})) {
        if (n === name) found.add(d.version);
        walk(d);
      }
    };
    walk(tree);
    return [...found];
  };
  expect(versions('cdk8s')).toEqual([app.cdk8sVersion]);
  expect(versions('constructs')).toEqual([app.constructsVersion]);
  expect(app.cdk8sVersion).not.toBe(require('cdk8s/package.json').version);
  expect(app.constructsVersion).not.toBe(require('constructs/package.json').version);
});

describe('a new cdk8s project using the package', () => {
  beforeAll(() => {
    // Type-check and compile main.ts with the template's options (the repository's TypeScript).
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app.dir], { cwd: app.dir, encoding: 'utf8' });
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade'], { cwd: app.dir, encoding: 'utf8' });
  });

  test('cdk8s synth writes the manifests', () => {
    const yaml = fs.readFileSync(path.join(app.dir, 'dist/demo.k8s.yaml'), 'utf8');
    expect(yaml).toMatch(/^kind: Deployment\n/m);
    expect(yaml).toMatch(/^  name: echo\n/m);
    expect(yaml).toMatch(/^kind: VirtualService\n/m);
  });

  test('audit() from the installed cdk8s-noops/audit is clean on them', () => {
    const script = "const { audit, PolicyMode } = require('cdk8s-noops/audit'); const r = audit('dist', { policy: PolicyMode.ERROR }); "
      + 'console.log(JSON.stringify({ ok: r.ok, documents: r.documents, findings: r.findings.filter((f) => f.level !== "WARNING") }));';
    const report = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app.dir, encoding: 'utf8' }));
    expect(report).toEqual({ ok: true, documents: expect.any(Number), findings: [] });
    expect(report.documents).toBeGreaterThanOrEqual(6);
  });

  test('NoopsApp renders what cdk8s renders, with the fast path on this cdk8s', () => {
    const script = `
      const { App, Chart } = require('cdk8s');
      const { NoopsApp, WebApp, CanaryPlan, CanaryRelease } = require('cdk8s-noops');
      const build = (app) => {
        const chart = new Chart(app, 'demo', { namespace: 'demo' });
        new WebApp(chart, 'echo', { image: 'hashicorp/http-echo:1.0', args: ['-text=hi'], port: 5678, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 } });
        new CanaryRelease(chart, 'shop', { port: 8080, versions: [{ name: 'v1', image: 'ghcr.io/acme/shop:1.0.0' }, { name: 'v2', image: 'ghcr.io/acme/shop:2.0.0' }],
          plan: CanaryPlan.of([{ name: 'canary', weights: { v1: 90, v2: 10 } }, { name: 'promoted', weights: { v2: 100 } }]), stage: 'canary' });
        return app;
      };
      const internals = require('./node_modules/cdk8s-noops/build/lib/synth/cdk8s-internals.js');
      console.log(JSON.stringify({ fast: internals.cdk8sFastPathTested(internals.installedCdk8sVersion()),
        same: build(new NoopsApp({ outdir: 'out-noops' })).synthYaml() === build(new App({ outdir: 'out-app' })).synthYaml() }));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app.dir, encoding: 'utf8' }))).toEqual({ fast: true, same: true });
  });

  test('the constructs load without the tools: importing cdk8s-noops loads neither the audit nor the review', () => {
    const script = "require('cdk8s-noops'); const loaded = Object.keys(require.cache); "
      + "console.log(JSON.stringify(loaded.filter((f) => /cdk8s-noops[\\\\/]build[\\\\/]lib[\\\\/](audit|review|cli)[\\\\/]|elkjs|kubernetes-models/.test(f))));";
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: app.dir, encoding: 'utf8' }))).toEqual([]);
  });

  test('cdk8s-noops check: exit 0 on the synthesized manifests', () => {
    const run = bin('check', 'dist', '--policy=error');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^check: \d+ documents, 0 errors, 0 policy, \d+ warnings \(policy error\)$/m);
    expect(run.status).toBe(0);
  });

  test('cdk8s-noops review: writes the page', () => {
    const run = bin('review', 'dist', '--out=review/index.html');
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(app.dir, 'review/index.html'), 'utf8')).toMatch(/<svg/);
  });

  test('cdk8s-noops compose: converts a compose file', () => {
    const run = bin('compose', 'docker-compose.yml', '--out', 'compose-out');
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(app.dir, 'compose-out/compose.k8s.yaml'), 'utf8')).toMatch(/^kind: Deployment\n/m);
  });

  test('--version and --help on the installed bin', () => {
    expect(bin('--version').stdout.trim()).toBe(require('../package.json').version);
    for (const sub of ['compose', 'check', 'review']) {
      expect(bin(sub, '--help')).toMatchObject({ status: 0, stdout: expect.stringContaining(`usage: cdk8s-noops ${sub}`) });
      expect(bin(sub, '--version').stdout.trim()).toBe(require('../package.json').version);
    }
  });
});
