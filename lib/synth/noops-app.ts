import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart, Names, YamlOutputType } from 'cdk8s';
import { AppRegistry } from '../registry/registry';
import { cdk8sFastPathTested, installedCdk8sVersion } from './cdk8s-internals';
import { resolveDependencies, validate } from './dependencies';
import { OneFilePerResource } from './files';
import { chartApiObjects, renderChart } from './render';
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
 * emitter (`lib/synth/yaml-emitter.ts`); a drop-in replacement for `App` (same props, same files).
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
    const { charts, inTreeOrder, fastPath } = this.resolveOnce();
    return charts.map((chart) => ({ chart, manifests: renderChart(chart, inTreeOrder, fastPath) }));
  }

  /** Writes the manifests to `outdir`, split into files by `yamlOutputType` exactly like `App.synth()`. */
  public override synth(): void {
    fs.mkdirSync(this.outdir, { recursive: true });
    const { charts, hasDependantCharts, inTreeOrder, fastPath } = this.resolveOnce();
    const render = (chart: Chart) => renderChart(chart, inTreeOrder, fastPath);
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
    const { charts, inTreeOrder, fastPath } = this.resolveOnce();
    return stringifyYaml(...charts.flatMap((chart) => renderChart(chart, inTreeOrder, fastPath)));
  }

  /**
   * Validates and resolves dependencies once for the whole app (what every `chart.toJson()` repeats).
   * `inTreeOrder`: no construct of the app has a dependency, so each chart's objects are rendered in
   * construct-tree order (see {@link chartApiObjects}). (Not named `prepare`: constructs 10.3 refuses to
   * validate a construct with a method of that name, a leftover of its older API.)
   */
  private resolveOnce(): { charts: Chart[]; hasDependantCharts: boolean; inTreeOrder: boolean; fastPath: boolean } {
    const all = this.node.findAll();
    // One validation pass: the app-wide rules read the constructs collected here instead of walking the tree.
    AppRegistry.of(this).validationPass(all, () => validate(all));
    const hasDependantCharts = resolveDependencies(all);
    // Without any dependency, cdk8s's dependency-graph order is the construct tree's pre-order (the graph
    // keys vertices by path, so a top-level chart whose id is an integer would sort first: not this case).
    const charts = all.filter((c): c is Chart => c instanceof Chart);
    const inTreeOrder = all.every((c) => c.node.dependencies.length === 0) && !charts.some((c) => /^(?:0|[1-9][0-9]*)$/.test(c.node.path));
    const fastPath = cdk8sFastPathTested(installedCdk8sVersion());
    return { charts: inTreeOrder ? charts : this.charts, hasDependantCharts, inTreeOrder, fastPath };
  }
}

