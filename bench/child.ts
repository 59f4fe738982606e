// One benchmark run in its own process (so peak RSS is honest). Called by bench/run.ts:
//   node -r ./scripts/register.js bench/child.ts '<json ChildArgs>'
// Prints one JSON line (ChildResult) on stdout.
import * as fs from 'fs';
import * as path from 'path';
import type { Layout, ScenarioName } from './scenarios';

/** What to run. */
export interface ChildArgs {
  /**
   * - `ours`: our constructs in a NoopsApp (fast synth + YAML emitter).
   * - `cdk8s-app`: our constructs in a standard cdk8s `App` (shows what NoopsApp saves).
   * - `raw`: one plain `ApiObject` per manifest from `input`, standard `App.synth()`.
   * - `pure-yaml`: the manifests from `input` through `YAML.stringify` (cdk8s's options) into files, no cdk8s.
   * - `prepare`: render with NoopsApp and save the manifests to `input` (not timed).
   */
  readonly engine: 'ours' | 'cdk8s-app' | 'raw' | 'pure-yaml' | 'prepare';
  readonly scenario: ScenarioName;
  readonly n: number;
  readonly layout: Layout;
  readonly outdir: string;
  /** JSON file of `{ charts: [{ name, docs }] }` (written by `prepare`, read by `raw` and `pure-yaml`). */
  readonly input?: string;
}

/** What one run measured. */
export interface ChildResult {
  /** Time of the measured phase (build + synth + write files), ms. */
  readonly phaseMs: number;
  /** CPU time (user + system) of the measured phase, ms. */
  readonly phaseCpuMs: number;
  /** CPU time of the whole process, ms. */
  readonly processCpuMs: number;
  /** Time from process start to the end of the measured phase, ms. */
  readonly uptimeMs: number;
  /** Peak resident set size of the process, MB. */
  readonly peakRssMb: number;
  /** Time spent inside `fs.writeFileSync` during the phase (file system cost, same for every engine), ms. */
  readonly writeMs: number;
  /** Manifests written. */
  readonly manifests: number;
  /** Files written. */
  readonly files: number;
  /** Bytes written. */
  readonly bytes: number;
}

interface ChartDocs { readonly name: string; readonly docs: any[] }

function main(): void {
  const args: ChildArgs = JSON.parse(process.argv[2]);
  fs.mkdirSync(args.outdir, { recursive: true });
  // Inputs are loaded before the clock starts: the baselines are timed on serialisation alone.
  const input: ChartDocs[] | undefined = args.input && args.engine !== 'prepare'
    ? JSON.parse(fs.readFileSync(args.input, 'utf8')).charts
    : undefined;
  const engines = { ours, 'cdk8s-app': cdk8sApp, raw, 'pure-yaml': pureYaml, prepare };
  // Modules are loaded before the clock starts too: the phase is the work, not `require`.
  const run = engines[args.engine](args, input);
  // Measure the file system's share: cdk8s, yaml and NoopsApp all write through fs.writeFileSync.
  // (Patched on the module object itself: `import * as fs` is a read-only view of it.)
  const nodeFs: typeof fs = require('fs');
  let writeMs = 0;
  const writeFileSync = nodeFs.writeFileSync;
  nodeFs.writeFileSync = (...a: Parameters<typeof fs.writeFileSync>) => {
    const w0 = performance.now();
    try { return writeFileSync(...a); } finally { writeMs += performance.now() - w0; }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const returned = run();
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  nodeFs.writeFileSync = writeFileSync;
  const manifests = returned >= 0 ? returned : countManifests(args.outdir);
  const { files, bytes } = countFiles(args.outdir);
  const result: ChildResult = {
    phaseMs: t1 - t0,
    phaseCpuMs: (cpu.user + cpu.system) / 1000,
    processCpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage()),
    uptimeMs: t1,
    writeMs,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    manifests,
    files,
    bytes,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

type Engine = (args: ChildArgs, input?: ChartDocs[]) => () => number;

const ours: Engine = (args) => {
  const { NoopsApp } = require('../lib/synth') as typeof import('../lib/synth');
  const { buildScenario } = require('./scenarios') as typeof import('./scenarios');
  return () => {
    const app = new NoopsApp({ outdir: args.outdir });
    buildScenario(app, args.scenario, args.n, args.layout);
    app.synth();
    return -1; // counted after the clock stops
  };
};

const cdk8sApp: Engine = (args) => {
  const { App } = require('cdk8s') as typeof import('cdk8s');
  const { buildScenario } = require('./scenarios') as typeof import('./scenarios');
  return () => {
    const app = new App({ outdir: args.outdir });
    buildScenario(app, args.scenario, args.n, args.layout);
    app.synth();
    return -1; // counted after the clock stops
  };
};

const raw: Engine = (args, input) => {
  const { ApiObject, App, Chart } = require('cdk8s') as typeof import('cdk8s');
  return () => {
    const app = new App({ outdir: args.outdir });
    let count = 0;
    for (const c of input!) {
      const chart = new Chart(app, c.name);
      c.docs.forEach((doc, i) => { new ApiObject(chart, `m${i}`, doc); count++; });
    }
    app.synth();
    return count;
  };
};

const pureYaml: Engine = (args, input) => {
  const YAML = require('yaml') as typeof import('yaml');
  return () => {
    let count = 0;
    for (const c of input!) {
      const text = c.docs.map((d) => YAML.stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
      fs.writeFileSync(path.join(args.outdir, `${c.name}.k8s.yaml`), text);
      count += c.docs.length;
    }
    return count;
  };
};

const prepare: Engine = (args) => {
  const { NoopsApp } = require('../lib/synth') as typeof import('../lib/synth');
  const { buildScenario } = require('./scenarios') as typeof import('./scenarios');
  return () => {
    const app = new NoopsApp({ outdir: args.outdir });
    buildScenario(app, args.scenario, args.n, args.layout);
    const charts = app.synthManifests().map((m) => ({ name: m.chart.node.id, docs: m.manifests }));
    fs.writeFileSync(args.input!, JSON.stringify({ charts }));
    return charts.reduce((sum, c) => sum + c.docs.length, 0);
  };
};

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const f of fs.readdirSync(dir)) {
    files++;
    bytes += fs.statSync(path.join(dir, f)).size;
  }
  return { files, bytes };
}

/** Documents in the written files (a `---` line separates two). */
function countManifests(dir: string): number {
  let count = 0;
  for (const f of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    if (text.length > 0) count += 1 + (text.match(/^---$/gm)?.length ?? 0);
  }
  return count;
}

main();
