import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, LazyResolver, ResolutionContext, Testing, YamlOutputType } from 'cdk8s';
import { VirtualService } from '../imports/networking.istio.io';
import * as YAML from 'yaml';
import { EXAMPLE_APPS } from '../apps';
import { NoopsApp } from '../lib/synth';

const parseAll = (text: string) => YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'noops-app-'));
}

function readDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

// EXAMPLE_APPS is read when the tests run, so example apps added later are covered too.
describe.each(EXAMPLE_APPS.map((e) => [e.name, e] as const))('example app %s: the fast path renders what cdk8s renders', (_name, example) => {
  test('manifests equal Testing.synth of every chart, and the YAML files parse back to them', () => {
    // GIVEN the app built twice: in a standard cdk8s App and in a NoopsApp
    const standard = Testing.app();
    example.build(standard);
    const outdir = tmpdir();
    const fast = new NoopsApp({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    example.build(fast);

    // WHEN both are synthesized
    const expected = standard.charts.map((c) => ({ id: c.node.path, docs: Testing.synth(c) }));
    const ours = fast.synthManifests().map((m) => ({ id: m.chart.node.path, docs: m.manifests }));
    fast.synth();

    // THEN the objects are identical, chart by chart, and so is what the files parse to
    expect(ours).toEqual(expected);
    const files = readDir(outdir);
    expect(Object.keys(files).length).toEqual(expected.length);
    for (const [file, text] of Object.entries(files)) {
      const chart = fast.charts.find((c) => file.endsWith(`${c.node.id}.k8s.yaml`) || file === `${c.node.id}.k8s.yaml`);
      expect(chart).toBeDefined();
      expect(parseAll(text)).toEqual(expected.find((e) => e.id === chart!.node.path)!.docs);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});

test('every example app together: same files, same YAML documents as App.synth()', () => {
  // GIVEN all example apps in one App and in one NoopsApp
  const stdDir = tmpdir();
  const fastDir = tmpdir();
  const standard = new App({ outdir: stdDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const fast = new NoopsApp({ outdir: fastDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  for (const e of EXAMPLE_APPS) { e.build(standard); e.build(fast); }

  // WHEN both write their files
  standard.synth();
  fast.synth();

  // THEN the same file names hold documents that parse to the same objects
  const want = readDir(stdDir);
  const got = readDir(fastDir);
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const f of Object.keys(want)) expect(parseAll(got[f])).toEqual(parseAll(want[f]));
  expect(parseAll(fast.synthYaml())).toEqual(parseAll(standard.synthYaml()));
  fs.rmSync(stdDir, { recursive: true, force: true });
  fs.rmSync(fastDir, { recursive: true, force: true });
});

describe('cdk8s semantics kept', () => {
  function twoCharts(app: App): { a: Chart; b: Chart } {
    const a = new Chart(app, 'alpha');
    const b = new Chart(app, 'beta');
    const cmA = new ApiObject(a, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { flag: 'yes', mode: '0755' } });
    const cmB = new ApiObject(b, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    cmA.addDependency(cmB); // alpha now depends on beta: beta is written first, file names are indexed
    return { a, b };
  }

  test('cross-chart dependencies order the charts and index the file names, like App.synth()', () => {
    const stdDir = tmpdir();
    const fastDir = tmpdir();
    const std = new App({ outdir: stdDir });
    twoCharts(std);
    std.synth();
    const fast = new NoopsApp({ outdir: fastDir });
    twoCharts(fast);
    fast.synth();
    expect(Object.keys(readDir(fastDir))).toEqual(['0000-beta.k8s.yaml', '0001-alpha.k8s.yaml']);
    expect(readDir(fastDir)).toEqual(readDir(stdDir));
  });

  test.each([
    YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
  ])('output type %s writes the same files as App.synth()', (yamlOutputType) => {
    const stdDir = tmpdir();
    const fastDir = tmpdir();
    const std = new App({ outdir: stdDir, yamlOutputType });
    twoCharts(std);
    std.synth();
    const fast = new NoopsApp({ outdir: fastDir, yamlOutputType });
    twoCharts(fast);
    fast.synth();
    expect(readDir(fastDir)).toEqual(readDir(stdDir));
  });

  test('fails if two objects of one kind and name map to the same file (FILE_PER_RESOURCE), and writes nothing', () => {
    const outdir = path.join(tmpdir(), 'out');
    const app = new NoopsApp({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    new ApiObject(new Chart(app, 'shop'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' } });
    new ApiObject(new Chart(app, 'blog'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'blog' } });
    expect(() => app.synth()).toThrow(
      "NoopsApp: yamlOutputType FILE_PER_RESOURCE writes ConfigMap 'settings' (namespace 'blog', chart 'blog') to ConfigMap.settings.k8s.yaml, " +
      "the file of ConfigMap 'settings' (namespace 'shop', chart 'shop'); the second would overwrite the first. Give the objects distinct names, " +
      'or use YamlOutputType.FILE_PER_CHART or FOLDER_PER_CHART_FILE_PER_RESOURCE (one folder per chart)',
    );
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('fails if two objects of one chart map to the same file (FOLDER_PER_CHART_FILE_PER_RESOURCE)', () => {
    const app = new NoopsApp({ outdir: tmpdir(), yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    const chart = new Chart(app, 'shop');
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'a' } });
    new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'b' } });
    expect(() => app.synth()).toThrow(/^NoopsApp: yamlOutputType FOLDER_PER_CHART_FILE_PER_RESOURCE writes ConfigMap 'settings' \(namespace 'b', chart 'shop'\) to ConfigMap\.settings\.k8s\.yaml, .*Give the objects distinct names, or use YamlOutputType\.FILE_PER_CHART$/);
  });

  test('quotes YAML 1.1 look-alikes ("yes", "0755") so kubectl reads strings', () => {
    const app = new NoopsApp({ outdir: tmpdir() });
    twoCharts(app);
    expect(app.synthYaml()).toContain('flag: "yes"\n  mode: "0755"\n');
  });

  test('construct validations run once and fail synthesis with cdk8s\'s message', () => {
    const app = new NoopsApp({ outdir: tmpdir() });
    const chart = new Chart(app, 'c');
    let runs = 0;
    chart.node.addValidation({ validate: () => { runs++; return ['broken on purpose']; } });
    expect(() => app.synth()).toThrow(/Validation failed with the following errors:\n {2}\[c\] broken on purpose/);
    expect(runs).toBe(1);
  });

  test('validation runs once for all charts, not once per chart', () => {
    const app = new NoopsApp({ outdir: tmpdir() });
    let runs = 0;
    for (let i = 0; i < 5; i++) new Chart(app, `c${i}`).node.addValidation({ validate: () => { runs++; return []; } });
    app.synth();
    expect(runs).toBe(5);
  });

  test('a chart that overrides toJson() keeps its own rendering', () => {
    class Custom extends Chart {
      public override toJson(): any[] { return [...super.toJson(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra' } }]; }
    }
    const app = new NoopsApp({ outdir: tmpdir() });
    new ApiObject(new Custom(app, 'custom'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' } });
    expect(app.synthManifests()[0].manifests.map((m) => m.metadata.name)).toEqual(['own', 'extra']);
  });

  test('records construct metadata when asked, like App', () => {
    const outdir = tmpdir();
    const app = new NoopsApp({ outdir, recordConstructMetadata: true });
    new ApiObject(new Chart(app, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' } });
    app.synth();
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8'))).toEqual({ version: '1.0.0', resources: { m: { path: 'c/cm' } } });
  });
});

describe('rendering shortcuts give what ApiObject.toJson() gives', () => {
  /** Builds the same objects into a standard app and a NoopsApp; returns both renderings. */
  function both(build: (app: App) => void, props: { resolvers?: IResolver[] } = {}): { want: any[]; got: any[] } {
    const std = Testing.app(props);
    build(std);
    const fast = new NoopsApp({ outdir: tmpdir(), ...props });
    build(fast);
    return {
      want: std.charts.map((c) => Testing.synth(c)),
      got: fast.synthManifests().map((m) => m.manifests),
    };
  }

  class Port { public constructor(public readonly value: number) {} }

  function objects(app: App): void {
    const chart = new Chart(app, 'c', { namespace: 'ns', labels: { team: 'a' } });
    const cm = new ApiObject(chart, 'cm', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations: { note: 'yes' } },
      data: { b: 'second', a: 'first', lazy: Lazy.any({ produce: () => 'produced' }) as any, gone: undefined, nothing: null },
      binaryData: {},
      list: [1, null, 'x', Lazy.any({ produce: () => ({ z: 1, y: [undefined] }) })],
      token: { resolve: () => ({ fromToken: true }) },
      union: new Port(8080),
    });
    cm.addJsonPatch(JsonPatch.add('/data/patched', 'by a patch'), JsonPatch.remove('/data/b'));
    // An L1 class generated by `cdk8s import` (its toJson() maps property names).
    new VirtualService(chart, 'svc', { spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web', port: { number: 80 } }, weight: 100 }] }] } });
    new ApiObject(chart, 'late', { apiVersion: 'v1', kind: 'Secret', metadata: {}, stringData: Lazy.any({ produce: () => ({ k: 'v' }) }) });
  }

  test('Lazy values, tokens, number/string unions, null and undefined, sorted keys, JSON patches, L1 classes', () => {
    const { want, got } = both(objects);
    expect(got).toEqual(want);
    expect(JSON.stringify(got)).toEqual(JSON.stringify(want)); // key order too: it is the YAML's order
    expect(got[0][0].data).toEqual({ a: 'first', lazy: 'produced', patched: 'by a patch' });
    expect(got[0][0].union).toEqual({ value: 8080 });
  });

  test('metadata (empties dropped, finalizers, owner references, added attributes) and key order, with and without patches', () => {
    const build = (app: App) => {
      const chart = new Chart(app, 'm', { namespace: 'ns' });
      const reversed = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(19 - i).padStart(2, '0')}`, String(i)]));
      for (const patched of [false, true]) {
        const o = new ApiObject(chart, `meta-${patched}`, {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: {
            name: `meta-${patched}`, generateName: 'm-', finalizers: ['example.com/f'], labels: { z: 'last', A: 'upper', b: 'mid' },
            ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1', extra: [] } as any],
          },
          zeta: { b: [], a: {}, c: [{}], B: 'upper first' }, Alpha: 1, data: reversed, few: { d: 1, c: 2, b: 3, a: 4 },
        } as any);
        o.metadata.add('emptyObject', {});
        o.metadata.add('emptyList', []);
        o.metadata.add('lazyAttribute', Lazy.any({ produce: () => ({ nested: [], kept: 'yes' }) }));
        o.metadata.addLabel('lazy', Lazy.any({ produce: () => 'produced' }) as any);
        if (patched) o.addJsonPatch(JsonPatch.add('/aaa', 'added by a patch'));
      }
      new ApiObject(chart, 'bare', { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: {}, annotations: {} } });
    };
    const { want, got } = both(build);
    expect(got).toEqual(want);
    expect(JSON.stringify(got)).toEqual(JSON.stringify(want));
    expect(Object.keys(got[0][0].data)[0]).toEqual('k00');
    expect(got[0][0].metadata.emptyObject).toBeUndefined();
    expect(got[0][0].metadata.lazyAttribute).toEqual({ kept: 'yes' });
    expect(Object.keys(got[0][1]).slice(0, 4)).toEqual(['apiVersion', 'kind', 'metadata', 'Alpha']);
  });

  test('the shortcut is what renders plain objects (a Lazy sees who asks)', () => {
    const callers: string[] = [];
    const who = (value: string) => Lazy.any({
      produce: () => {
        const stack = new Error().stack ?? '';
        callers.push(stack.includes('resolveAndSanitize') ? 'shortcut' : stack.includes('resolve') ? 'cdk8s' : 'unknown');
        return value;
      },
    });
    const app = new NoopsApp({ outdir: tmpdir() });
    new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o', labels: { l: who('label') as any } }, data: { d: who('data') } });
    expect(app.synthManifests()[0].manifests[0]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o', labels: { l: 'label' } }, data: { d: 'data' } });
    expect(callers).toEqual(['shortcut', 'shortcut']);
  });

  test('an own "__proto__" key takes the standard path (assigning it would set the prototype)', () => {
    const build = (app: App) => {
      const o = new ApiObject(new Chart(app, 'p'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o', labels: JSON.parse('{"__proto__":"x"}') }, data: JSON.parse('{"__proto__":{"q":1},"a":"b"}') });
      o.metadata.add('extra', JSON.parse('{"__proto__":{"q":1}}'));
    };
    const { want, got } = both(build);
    expect(JSON.stringify(got)).toEqual(JSON.stringify(want));
    expect(Object.getPrototypeOf(got[0][0].data)).toBe(Object.getPrototypeOf(want[0][0].data));
    const std = Testing.app();
    build(std);
    const fast = new NoopsApp({ outdir: tmpdir() });
    build(fast);
    expect(fast.synthYaml()).toEqual(std.synthYaml());
  });

  test('a built-in resolver replaced by a subclass takes the standard path', () => {
    // cdk8s appends the built-ins after custom resolvers; only replacing one in app.resolvers reaches this.
    class ShoutingLazy extends LazyResolver {
      public override resolve(context: ResolutionContext): void {
        super.resolve(context);
        if (context.replaced && typeof context.replacedValue === 'string') context.replaceValue(context.replacedValue.toUpperCase());
      }
    }
    const std = Testing.app();
    const fast = new NoopsApp({ outdir: tmpdir() });
    for (const app of [std, fast]) {
      app.resolvers.splice(0, 1, new ShoutingLazy());
      objects(app);
    }
    const got = fast.synthManifests().map((m) => m.manifests);
    expect(got).toEqual(std.charts.map((c) => Testing.synth(c)));
    expect(got[0][0].data.lazy).toEqual('PRODUCED');
  });

  test('custom resolvers take the standard path', () => {
    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        const v = context.value;
        if (typeof v === 'string' && context.key.includes('data') && v !== v.toUpperCase()) context.replaceValue(v.toUpperCase());
      }
    }
    const { want, got } = both(objects, { resolvers: [new Upper()] });
    expect(got).toEqual(want);
    expect(got[0][0].data.a).toEqual('FIRST');
  });

  test('a value cdk8s cannot render fails with cdk8s\'s message', () => {
    class Weird { public readonly x = 1; }
    const app = new NoopsApp({ outdir: tmpdir() });
    new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o' }, data: new Weird() as any });
    expect(() => app.synthManifests()).toThrow(/Failed serializing construct at path 'c\/o' with name 'o': Error: can't render non-simple object of type 'Weird'/);
  });
});

describe('the fast path is guarded by the cdk8s version', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cdk8sFastPathTested, installedCdk8sVersion } = require('../lib/synth/cdk8s-internals') as typeof import('../lib/synth/cdk8s-internals');

  test('the installed cdk8s is one it was tested against', () => {
    expect(installedCdk8sVersion()).toBe(require('cdk8s/package.json').version);
    expect(cdk8sFastPathTested(installedCdk8sVersion())).toBe(true);
  });

  test('versions outside the tested range, or unreadable ones, take cdk8s\'s own path', () => {
    expect(['2.68.0', '2.69.3', '2.70.999'].map(cdk8sFastPathTested)).toEqual([true, true, true]);
    expect(['2.67.9', '2.71.0', '3.0.0', '2.70.1-beta.1', '', undefined].map((v) => cdk8sFastPathTested(v as string | undefined)))
      .toEqual([false, false, false, false, false, false]);
  });
});
