import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryGateway, CanaryPlan, CanaryRelease, ComposeApp, MeshNamespace, Probe, WebApp } from '../lib';
import { withChildSlots } from '../lib/k8s-object';

// V8 gives the hidden class of `{}` at most 1,536 transitions; `constructs` keeps each node's children in
// a `{}` keyed by child id. See withChildSlots (lib/k8s-object.ts) and the README's performance section.
v8.setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line no-new-func
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** Two objects built key by key from `{}` with a property name never used before: do they share a hidden class? */
function freshObjectsShareAHiddenClass(tag: string): boolean {
  const make = () => {
    const o: Record<string, number> = {};
    o[`never-seen-before-${tag}`] = 1;
    o.second = 2;
    return o;
  };
  return haveSameMap(make(), make());
}

const CHARTS = 2_000;

describe('one chart per service does not exhaust the hidden class of {} (V8 keeps at most 1,536 transitions)', () => {
  test('2,000 charts each holding a WebApp under its own id', () => {
    const app = new App();
    for (let i = 0; i < CHARTS; i++) {
      const name = `webapp-${i}`;
      new WebApp(new Chart(app, name), name, { image: 'nginx:1.27.3', port: 8080, readiness: Probe.httpGet('/healthz') });
    }
    expect(Object.getPrototypeOf((app.node.findChild('webapp-0').node as any)._children)).not.toBe(Object.prototype);
    expect(freshObjectsShareAHiddenClass('webapp')).toBe(true);
    // The children table still behaves like a plain object for constructs.
    const chart = app.node.findChild('webapp-7') as Chart;
    expect(chart.node.children.map((c) => c.node.id)).toEqual(['webapp-7']);
    expect(chart.node.tryFindChild('webapp-7')).toBeInstanceOf(WebApp);
    expect(chart.node.tryRemoveChild('webapp-7')).toBe(true);
    expect(chart.node.children).toEqual([]);
    expect(() => new Construct(app.node.findChild('webapp-8'), 'webapp-8')).toThrow(/There is already a Construct with name 'webapp-8'/);
  });

  test('1,000 charts each holding a CanaryRelease and 1,000 a construct of your own through withChildSlots', () => {
    const app = new App();
    for (let i = 0; i < CHARTS / 2; i++) {
      const name = `canary-${i}`;
      new CanaryRelease(new Chart(app, name), name, {
        port: 8080,
        versions: [{ name: 'v1', image: 'nginx:1.27.2' }, { name: 'v2', image: 'nginx:1.27.3' }],
        plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10] }),
        stage: 'canary-10',
        gateway: CanaryGateway.create({ hosts: [`${name}.example.com`] }),
      });
    }
    class Service extends Construct {
      public constructor(scope: Construct, id: string) {
        super(withChildSlots(scope), id);
      }
    }
    for (let i = 0; i < CHARTS / 2; i++) new Service(new Chart(app, `own-${i}`), `own-${i}`);
    expect(freshObjectsShareAHiddenClass('canary')).toBe(true);
  });

  test('every construct of the library gives the scope it is added to a children table of its own', () => {
    const tableOf = (c: Construct) => Object.getPrototypeOf((c.node as any)._children);
    const app = new App();
    const chart = (id: string) => new Chart(app, id);
    const web = chart('web');
    new WebApp(web, 'w', { image: 'nginx:1.27.3', port: 8080 });
    const canary = chart('canary');
    new CanaryRelease(canary, 'c', { port: 8080, versions: [{ name: 'v1', image: 'nginx:1.27.2' }, { name: 'v2', image: 'nginx:1.27.3' }], plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10] }), stage: 'canary-10' });
    const mesh = chart('mesh');
    new MeshNamespace(mesh, 'n', { name: 'shop' });
    const compose = chart('compose');
    const c = ComposeApp.fromObject(compose, 'x', { services: { web: { image: 'nginx:1.27.3', expose: [80] } } });
    for (const scope of [web, canary, mesh, compose, c]) expect(tableOf(scope)).not.toBe(Object.prototype);
    expect(tableOf(chart('plain').node.scope as Construct)).toBe(Object.prototype); // the App's own table: charts are added by cdk8s
    // Every Construct subclass in lib/ (also those not built above: MySqlBinding, OsbaMySqlServer, StickyIngress).
    const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const constructors = sources(path.join(__dirname, '..', 'lib')).flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return [...text.matchAll(/class (\w+) extends Construct\b[\s\S]*?super\(([^;]*)\);/g)].map((m) => `${m[1]}: super(${m[2]})`);
    });
    expect(constructors.length).toBeGreaterThanOrEqual(7);
    for (const c2 of constructors) expect(c2).toMatch(/super\(withChildSlots\(scope\), id\)/);
  });

  test('fails like constructs and cdk8s do without a scope (from JavaScript)', () => {
    expect(() => new WebApp(undefined as any, 'w', { image: 'nginx:1.27.3', port: 8080 })).toThrow(/cannot find a parent chart/);
  });

  // Last: it exhausts the limit for the rest of this file (each test file runs in its own V8 context).
  test('control: 2,000 charts each holding a plain construct under its own id exhaust it', () => {
    const app = new App();
    for (let i = 0; i < CHARTS; i++) new Construct(new Chart(app, `plain-${i}`), `plain-${i}`);
    expect(freshObjectsShareAHiddenClass('plain')).toBe(false);
  });
});
