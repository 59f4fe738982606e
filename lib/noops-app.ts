import * as fs from 'fs';
import * as path from 'path';
import {
  ApiObject, ApiObjectMetadataDefinition, App, AppProps, Chart, DependencyGraph, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, Names,
  NumberStringUnionResolver, YamlOutputType,
} from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppRegistry } from './registry/registry';
import { stringifyYaml } from './yaml-emitter';

/** One chart's rendered manifests, as {@link NoopsApp.synthManifests} returns them. */
export interface ChartManifests {
  /** The chart. */
  readonly chart: Chart;
  /** The chart's manifests in output order: exactly what `Testing.synth(chart)` / `chart.toJson()` returns. */
  readonly manifests: any[];
}

/**
 * A cdk8s `App` whose synthesis is linear in the number of charts and serializes with a fast YAML
 * emitter ({@link stringifyYaml}); a drop-in replacement for `App` (same props, same files).
 *
 * cdk8s's `App.synth()` calls `chart.toJson()` for every chart, and every `toJson()` re-runs dependency
 * resolution and validation over the WHOLE app, so one chart per service costs O(charts × constructs):
 * 1,000 charts take seconds, 3,000 a minute. `NoopsApp` resolves dependencies and validates once, then
 * renders each chart's objects in the same topological order; plain `ApiObject`s are rendered in one
 * pass equivalent to `ApiObject.toJson()` when the app uses cdk8s's built-in resolvers only. The
 * output parses to exactly the objects standard synthesis produces (`test/noops-app.test.ts` checks
 * every example app), and for the strings manifests hold the files are byte-identical.
 *
 * Charts that override `toJson()` are rendered through their own `toJson()`, objects that override it
 * through theirs, and apps with custom `resolvers` through cdk8s's resolution, so customisations are kept.
 * One difference on purpose: with a file-per-resource output type, two objects that would be written to the
 * same file (same kind and name) make `synth()` throw before anything is written, where `App` silently keeps
 * only the last one.
 *
 * @example
 * const app = new NoopsApp();
 * new WebApp(new Chart(app, 'echo'), 'echo', { image: 'hashicorp/http-echo:1.0', port: 5678 });
 * app.synth(); // dist/echo.k8s.yaml
 */
export class NoopsApp extends App {
  private readonly writeConstructMetadataFile: boolean;

  public constructor(props: AppProps = {}) {
    super(props);
    this.writeConstructMetadataFile = props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
  }

  /**
   * Renders every chart's manifests (validating the app and resolving dependencies once), in the order
   * `synth()` writes them.
   */
  public synthManifests(): ChartManifests[] {
    const { charts, inTreeOrder } = this.prepare();
    return charts.map((chart) => ({ chart, manifests: renderChart(chart, inTreeOrder) }));
  }

  /** Writes the manifests to `outdir`, split into files by `yamlOutputType` exactly like `App.synth()`. */
  public override synth(): void {
    fs.mkdirSync(this.outdir, { recursive: true });
    const { charts, hasDependantCharts, inTreeOrder } = this.prepare();
    const render = (chart: Chart) => renderChart(chart, inTreeOrder);
    const ext = this.outputFileExtension;
    const save = (file: string, docs: unknown[]) => fs.writeFileSync(file, stringifyYaml(...docs), { encoding: 'utf8' });
    const resourceFile = (o: any) => `${o.kind}.${o.metadata.name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
    const indexed = (namer: (c: Chart) => string) => {
      let index = 0;
      return (c: Chart) => (hasDependantCharts ? `${String(index++).padStart(4, '0')}-${namer(c)}` : namer(c));
    };
    switch (this.yamlOutputType) {
      case YamlOutputType.FILE_PER_APP: {
        const all = charts.flatMap(render);
        if (charts.length > 0) save(path.join(this.outdir, `app${ext}`), all);
        break;
      }
      case YamlOutputType.FILE_PER_CHART: {
        const name = indexed((c) => Names.toDnsLabel(c));
        for (const chart of charts) save(path.join(this.outdir, name(chart) + ext), render(chart));
        break;
      }
      case YamlOutputType.FILE_PER_RESOURCE: {
        const files = new OneFilePerResource(this.yamlOutputType);
        for (const chart of charts) {
          for (const o of render(chart)) if (o !== undefined) files.add(path.join(this.outdir, resourceFile(o) + ext), o, chart);
        }
        for (const [file, o] of files.entries) save(file, [o]);
        break;
      }
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE: {
        const name = indexed((c) => Names.toDnsLabel(c));
        const files = new OneFilePerResource(this.yamlOutputType);
        const dirs: string[] = [];
        for (const chart of charts) {
          const dir = path.join(this.outdir, name(chart));
          dirs.push(dir);
          for (const o of render(chart)) if (o !== undefined) files.add(path.join(dir, resourceFile(o) + ext), o, chart);
        }
        for (const dir of dirs) fs.mkdirSync(dir, { recursive: true });
        for (const [file, o] of files.entries) save(file, [o]);
        break;
      }
      default:
        break;
    }
    if (this.writeConstructMetadataFile) {
      const resources: Record<string, { path: string }> = {};
      for (const chart of charts) for (const o of chartApiObjects(chart, inTreeOrder)) resources[o.name] = { path: o.node.path };
      fs.writeFileSync(path.join(this.outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
    }
  }

  /** All manifests of all charts as one YAML stream, like `App.synthYaml()`. */
  public override synthYaml(): string {
    const { charts, inTreeOrder } = this.prepare();
    return stringifyYaml(...charts.flatMap((chart) => renderChart(chart, inTreeOrder)));
  }

  /**
   * Validates and resolves dependencies once for the whole app (what every `chart.toJson()` repeats).
   * `inTreeOrder`: no construct of the app has a dependency, so each chart's objects are rendered in
   * construct-tree order (see {@link chartApiObjects}).
   */
  private prepare(): { charts: Chart[]; hasDependantCharts: boolean; inTreeOrder: boolean } {
    const all = this.node.findAll();
    // One validation pass: the app-wide rules read the constructs collected here instead of walking the tree.
    AppRegistry.of(this).validationPass(all, () => validate(all));
    const hasDependantCharts = resolveDependencies(all);
    // Without any dependency, cdk8s's dependency-graph order is the construct tree's pre-order (the graph
    // keys vertices by path, so a top-level chart whose id is an integer would sort first: not this case).
    const charts = all.filter((c): c is Chart => c instanceof Chart);
    const inTreeOrder = all.every((c) => c.node.dependencies.length === 0) && !charts.some((c) => /^(?:0|[1-9][0-9]*)$/.test(c.node.path));
    return { charts: inTreeOrder ? charts : this.charts, hasDependantCharts, inTreeOrder };
  }
}

/**
 * The files of a file-per-resource synthesis, collected before anything is written: two objects that map to
 * the same file (same kind and name, e.g. in two namespaces or two charts) would silently overwrite each other.
 */
class OneFilePerResource {
  /** File path → the object written there, in output order. */
  public readonly entries = new Map<string, any>();
  private readonly owners = new Map<string, Chart>();

  public constructor(private readonly outputType: YamlOutputType) {}

  /** Adds `o` (rendered by `chart`) as `file`; throws when another object already takes that file. */
  public add(file: string, o: any, chart: Chart): void {
    const first = this.entries.get(file);
    if (first !== undefined) {
      const show = (x: any, c: Chart) => `${x.kind} '${x.metadata?.name}' (namespace '${x.metadata?.namespace ?? '<none>'}', chart '${c.node.path}')`;
      throw new Error(
        `NoopsApp: yamlOutputType ${YamlOutputType[this.outputType]} writes ${show(o, chart)} to ${path.basename(file)}, the file of ${show(first, this.owners.get(file)!)}; ` +
        'the second would overwrite the first. Give the objects distinct names, or use YamlOutputType.FILE_PER_CHART' +
        (this.outputType === YamlOutputType.FILE_PER_RESOURCE ? ' or FOLDER_PER_CHART_FILE_PER_RESOURCE (one folder per chart)' : ''),
      );
    }
    this.entries.set(file, o);
    this.owners.set(file, chart);
  }
}

/**
 * The chart's manifests: `toJson()` of its API objects in dependency order (or the chart's own `toJson()`).
 * `inTreeOrder`: the app has no dependencies (see {@link chartApiObjects}).
 */
function renderChart(chart: Chart, inTreeOrder: boolean): any[] {
  if (chart.toJson !== Chart.prototype.toJson) return chart.toJson();
  const objects = chartApiObjects(chart, inTreeOrder);
  const fast = hasDefaultResolvers(chart);
  return objects.map((o) => (fast ? fastToJson(o) : o.toJson()));
}

/** Whether the app resolves values with cdk8s's three built-in resolvers only (no custom `resolvers`). */
function hasDefaultResolvers(chart: Chart): boolean {
  const r = App.of(chart).resolvers;
  // Exact classes: a subclass put in place of a built-in (app.resolvers is a mutable array) may resolve differently.
  return r.length === 3 && r[0]?.constructor === LazyResolver && r[1]?.constructor === ImplicitTokenResolver && r[2]?.constructor === NumberStringUnionResolver;
}

/** Thrown by {@link resolveAndSanitize} for anything it does not handle; the object then takes `toJson()`. */
const NOT_PLAIN = Symbol('not plain');

/**
 * `ApiObject.toJson()` for an object that does not override it, in an app with the built-in resolvers:
 * the same steps (resolve Lazy values, implicit tokens and number/string unions; drop null and undefined;
 * sort keys; apply JSON patches; `apiVersion`, `kind`, `metadata` first) in one pass instead of two,
 * without cdk8s's per-value bookkeeping (a context object, a key path and an `App.of()` walk up the tree
 * for every value) and with as few throwaway objects as possible: rendering allocates, and in a large app
 * allocation is what costs (see the README's performance section). Anything unusual (a class instance in
 * the props, an own `__proto__` key, an error, CDK8S_DISABLE_SORT) falls back to `toJson()`, so errors keep
 * cdk8s's wording. One difference that only a `Lazy` with side effects can see: values are produced in
 * sorted key order, where cdk8s produces them in insertion order (and an object that falls back produces
 * its values again).
 */
function fastToJson(o: ApiObject): any {
  const props = (o as any).props;
  if (o.toJson !== ApiObject.prototype.toJson || props === null || typeof props !== 'object' || props.constructor !== Object
    || typeof props.resolve === 'function' || process.env.CDK8S_DISABLE_SORT) return o.toJson();
  const patches: JsonPatch[] = (o as any).patches ?? [];
  try {
    const metadata = metadataJson(o);
    if (patches.length > 0) {
      // Patches address the sorted document, so build it as cdk8s does, patch it, then put the three keys first.
      const patched = JsonPatch.apply(resolveAndSanitize({ ...props, metadata }, false), ...patches);
      const result: any = {};
      for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
        if (k in patched) result[k] = patched[k];
      }
      return result;
    }
    // Without patches the result is built in its final key order directly.
    const result: any = {};
    const apiVersion = resolveAndSanitize(props.apiVersion, false);
    if (apiVersion != null) result.apiVersion = apiVersion;
    const kind = resolveAndSanitize(props.kind, false);
    if (kind != null) result.kind = kind;
    if (metadata != null) result.metadata = metadata;
    for (const k of sortedKeys(props)) {
      if (k === '__proto__') throw NOT_PLAIN;
      if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
      const v = resolveAndSanitize(props[k], false);
      if (v != null) result[k] = v;
    }
    return result;
  } catch {
    return o.toJson(); // let cdk8s throw its own error (or succeed, if the failure was ours)
  }
}

/**
 * `o.metadata.toJson()`: cdk8s resolves the metadata's fields and sanitizes them dropping empty arrays and
 * objects. Read from the fields cdk8s keeps them in (checked: a cdk8s that stores them differently, or a
 * subclass, takes `toJson()`).
 */
function metadataJson(o: ApiObject): any {
  const m = o.metadata as any;
  const extra = m._additionalAttributes;
  if (m.toJson !== ApiObjectMetadataDefinition.prototype.toJson || extra === null || typeof extra !== 'object'
    || typeof m.labels !== 'object' || typeof m.annotations !== 'object' || !Array.isArray(m.finalizers) || !Array.isArray(m.ownerReferences)) {
    return resolveAndSanitize(o.metadata.toJson(), false);
  }
  return resolveAndSanitize({
    ...extra,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }, true);
}

/**
 * cdk8s's `sanitizeValue(resolve([], value, obj), { sortKeys: true })` for the built-in resolvers;
 * `dropEmpty` adds `filterEmptyArrays` and `filterEmptyObjects` (what metadata gets).
 */
function resolveAndSanitize(value: any, dropEmpty: boolean): any {
  for (;;) {
    if (value == null) return undefined;
    if (value instanceof Lazy) { value = value.produce(); continue; }
    if (typeof value.resolve === 'function') { value = value.resolve(); continue; }
    if (value.constructor !== Object) {
      const t = typeof value.value;
      if (t === 'number' || t === 'string') { value = { value: value.value }; continue; }
    }
    break;
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (dropEmpty && value.length === 0) return undefined;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = resolveAndSanitize(value[i], dropEmpty);
    return out;
  }
  if (value.constructor !== Object) throw NOT_PLAIN;
  const out: any = {};
  let empty = true;
  for (const k of sortedKeys(value)) {
    if (k === '__proto__') throw NOT_PLAIN; // an own "__proto__" key: assigning it would set the prototype
    const v = resolveAndSanitize(value[k], dropEmpty);
    if (v != null) { out[k] = v; empty = false; }
  }
  return dropEmpty && empty ? undefined : out;
}

/**
 * `Object.keys(obj).sort()`. A manifest's objects have a handful of keys each, and an insertion sort in
 * place allocates nothing, where `Array.prototype.sort` allocates work arrays on every call (the largest
 * share of what rendering allocated). Same order: both compare UTF-16 code units.
 */
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    if (keys[j] < k) continue;
    while (j >= 0 && keys[j] > k) { keys[j + 1] = keys[j]; j--; }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * The API objects whose closest chart is `chart`, in dependency order (cdk8s's `chartToKube`). With
 * `inTreeOrder` (no construct of the app has a dependency) that order is the construct tree's pre-order.
 */
function chartApiObjects(chart: Chart, inTreeOrder: boolean): ApiObject[] {
  const ordered = inTreeOrder ? chart.node.findAll() : new DependencyGraph(chart.node).topology();
  return ordered.filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/** Runs every construct's validations; throws all errors at once, worded like cdk8s's. */
function validate(all: IConstruct[]): void {
  const errors: string[] = [];
  for (const c of all) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * cdk8s's `resolveDependencies`, run once: nested charts and cross-chart construct dependencies become
 * chart dependencies, and construct dependencies become dependencies between their API objects.
 * Returns whether any chart depends on another (file names are then indexed).
 */
function resolveDependencies(all: IConstruct[]): boolean {
  let hasDependantCharts = false;
  for (const parent of all) {
    if (!(parent instanceof Chart)) continue;
    for (const child of parent.node.children) {
      if (child instanceof Chart) {
        parent.node.addDependency(child);
        hasDependantCharts = true;
      }
    }
  }
  const deps: Array<{ source: IConstruct; target: IConstruct }> = [];
  for (const source of all) for (const target of source.node.dependencies) deps.push({ source, target });
  for (const { source, target } of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }
  const subtree = new Map<IConstruct, IConstruct[]>();
  const findAll = (c: IConstruct) => {
    let found = subtree.get(c);
    if (!found) subtree.set(c, (found = c.node.findAll()));
    return found;
  };
  // cdk8s rebuilds the list here, so the chart dependencies added above take part as well.
  const allDeps: Array<{ source: IConstruct; target: IConstruct }> = [];
  for (const source of all) for (const target of source.node.dependencies) allDeps.push({ source, target });
  for (const { source, target } of allDeps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    const targets = findAll(target).filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = findAll(source).filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const t of targets) {
      for (const s of sources) if (t !== s) s.node.addDependency(t);
    }
  }
  return hasDependantCharts;
}
