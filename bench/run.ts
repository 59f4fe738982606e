// The synth benchmark (`npm run bench`, never part of `npm test`). Results and method: the README's Performance section.
//
//   npm run bench                 N = 10, 100, 1000; 5 runs per case
//   npm run bench -- --quick      fewer runs, under 2 minutes
//   npm run bench -- --full       also N = 3000
//
// Every run is its own process (peak RSS is per process). Writes bench/results.json.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ChildArgs, ChildResult } from './child';
import { Layout, ScenarioName } from './scenarios';

const ROOT = path.join(__dirname, '..');
const REGISTER = path.join(ROOT, 'scripts', 'register.js');
const argv = new Set(process.argv.slice(2));
const QUICK = argv.has('--quick');
const FULL = argv.has('--full');
const MODE = QUICK ? 'quick' : FULL ? 'full' : 'default';
const SIZES = FULL ? [10, 100, 1000, 3000] : [10, 100, 1000];
const LAYOUTS: Layout[] = ['one-chart', 'chart-per-app'];
const ENGINES: Array<ChildArgs['engine']> = ['ours', 'cdk8s-app', 'raw', 'pure-yaml'];
/** Runs per case (the median is reported); a case stops early once it has used its time budget. */
const RUNS = QUICK ? 3 : 5;
const CASE_BUDGET_MS = QUICK ? 1_500 : 60_000;
/**
 * Where runs write their files: inside the project, on the disk dist/ lives on. (On this workplace
 * creating files under /tmp costs ≈1 ms each — 30× more than here — which would swamp chart-per-app.)
 */
const OUT_ROOT = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-noops-bench');
fs.mkdirSync(OUT_ROOT, { recursive: true });
const TMP = fs.mkdtempSync(path.join(OUT_ROOT, 'run-'));
/**
 * Why no run's output is deleted before the bench ends. This machine's root file system is ext4 without a
 * journal, and there the kernel avoids reusing an inode freed in the last 60 s (360 s while its inode table
 * block is not yet written back): every file creation scans past all such inodes of its block group
 * (`recently_deleted()` in `find_inode_bit()`, seen with `perf record`). After deleting a few thousand files,
 * creating 1,000 files costs 0.3-1 s of kernel CPU instead of 25-35 ms, for minutes. Deleting each run's files
 * right after it made the next runs pay for it: the bench's own cleanup, not synthesis.
 */
const KEEP_OUTPUT_NOTE = 'every run\'s files are kept until the bench ends, because on this file system creating a file costs more for every file deleted in the minutes before (see fileCreationProbe)';

/** Median, min and max of one measure over the runs. */
interface Stat { readonly median: number; readonly min: number; readonly max: number }

/** One (scenario, layout, N, engine) case. */
interface CaseResult {
  readonly scenario: ScenarioName;
  readonly layout: Layout;
  readonly n: number;
  readonly engine: ChildArgs['engine'];
  readonly runs: number;
  readonly manifests: number;
  readonly files: number;
  readonly bytes: number;
  /** The measured phase: build + synth + write (ours, cdk8s-app); synth + write (raw); stringify + write (pure-yaml). */
  readonly phaseMs: Stat;
  readonly phaseCpuMs: Stat;
  /** Time inside fs.writeFileSync during the phase (the file system's share). */
  readonly writeMs: Stat;
  /** The phase without the file writes: what the engine itself costs. */
  readonly computeMs: Stat;
  /** The whole child process, from spawn to exit (node start-up, loading, input JSON, the phase). */
  readonly wallMs: Stat;
  readonly processCpuMs: Stat;
  readonly peakRssMb: Stat;
  /** Median phase time per manifest, µs. */
  readonly usPerManifest: number;
  /** {@link fileCreationProbe} just before the case's runs, ms (chart-per-app cases only). */
  readonly fileCreationProbeMs?: number;
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]) };
}

const round = (x: number) => Math.round(x * 10) / 10;

function spawnChild(args: ChildArgs): { result: ChildResult; wallMs: number } {
  const t0 = performance.now();
  const p = spawnSync(process.execPath, ['-r', REGISTER, path.join(__dirname, 'child.ts'), JSON.stringify(args)], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  if (p.status !== 0) throw new Error(`bench child failed (${args.engine} ${args.scenario} ${args.layout} N=${args.n}):\n${p.stderr}`);
  const line = p.stdout.trim().split('\n').pop()!;
  return { result: JSON.parse(line), wallMs };
}

function runCase(scenario: ScenarioName, layout: Layout, n: number, engine: ChildArgs['engine'], input: string): CaseResult {
  const fileCreationProbeMs = layout === 'chart-per-app' ? fileCreationProbe() : undefined;
  const results: Array<{ result: ChildResult; wallMs: number }> = [];
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const outdir = path.join(TMP, `${scenario}-${layout}-${n}-${engine}-${i}`);
    results.push(spawnChild({ engine, scenario, n, layout, outdir, input }));
    // Kept until the bench ends (see KEEP_OUTPUT_NOTE): deleting here would slow the next runs' writes.
    if (performance.now() - started > CASE_BUDGET_MS && results.length >= 1) break;
  }
  const r0 = results[0].result;
  const phase = stat(results.map((r) => r.result.phaseMs));
  return {
    scenario, layout, n, engine,
    runs: results.length,
    manifests: r0.manifests,
    files: r0.files,
    bytes: r0.bytes,
    phaseMs: phase,
    phaseCpuMs: stat(results.map((r) => r.result.phaseCpuMs)),
    writeMs: stat(results.map((r) => r.result.writeMs)),
    computeMs: stat(results.map((r) => r.result.phaseMs - r.result.writeMs)),
    wallMs: stat(results.map((r) => r.wallMs)),
    processCpuMs: stat(results.map((r) => r.result.processCpuMs)),
    peakRssMb: stat(results.map((r) => r.result.peakRssMb)),
    usPerManifest: round((phase.median * 1000) / r0.manifests),
    fileCreationProbeMs,
  };
}

/** File creations per probe: as many as a chart-per-app run of N = 1,000 creates. */
const PROBE_FILES = 1000;
/** A probe above this means creation is slowed by recently deleted files (a settled disk takes 20-40 ms). */
const PROBE_SLOW_MS = 100;

/**
 * Times creating {@link PROBE_FILES} small files in a fresh directory (kept until the bench ends), the file
 * system's share of a chart-per-app run: recorded with every case, so a slow disk shows in the results.
 */
function fileCreationProbe(): number {
  const dir = fs.mkdtempSync(path.join(TMP, 'probe-'));
  const text = 'x'.repeat(3000);
  const t0 = performance.now();
  for (let i = 0; i < PROBE_FILES; i++) fs.writeFileSync(path.join(dir, `c${i}.k8s.yaml`), text);
  return round(performance.now() - t0);
}

/**
 * Waits (up to `maxMs`) until file creation is no longer slowed by files deleted before the bench started
 * (by an earlier bench's cleanup, `npm ci`, tests), probing every 20 s. Returns the probes taken.
 */
function settleFileSystem(maxMs: number): number[] {
  const probes = [fileCreationProbe()];
  const started = performance.now();
  while (probes[probes.length - 1] > PROBE_SLOW_MS && performance.now() - started < maxMs) {
    if (probes.length === 1) console.log(`file creation is slow (${PROBE_FILES} files: ${probes[0]} ms; settled: 20-40 ms), most likely files deleted in the last minutes; waiting up to ${Math.round(maxMs / 60_000)} min`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20_000);
    probes.push(fileCreationProbe());
    console.log(`  probe: ${probes[probes.length - 1]} ms`);
  }
  return probes;
}

/** Times a shell command end to end, `runs` times. */
function timeCommand(command: string, runs: number): Stat & { readonly command: string; readonly runs: number } {
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const p = spawnSync(command, { cwd: ROOT, shell: true, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
    walls.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`'${command}' failed:\n${p.stdout}\n${p.stderr}`);
  }
  return { command, runs, ...stat(walls) };
}

function fmt(s: Stat, digits = 0): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memoryGb: round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map(round),
  };
}

function main(): void {
  const startedAt = new Date().toISOString();
  const machineInfo = machine();
  console.log(`cdk8s-noops synth benchmark (${MODE}): ${machineInfo.cpu}, ${machineInfo.memoryGb} GB, node ${machineInfo.node}, load ${machineInfo.loadAverageAtStart.join(' ')}`);
  if (machineInfo.loadAverageAtStart[0] > 0.5 * os.cpus().length) {
    console.log('note: the machine is busy (load average above half the cores): timings are noisy; re-run when it is quiet.');
  }
  const notes: string[] = [];
  const scenarios: ScenarioName[] = ['webapp', 'canary'];
  if (QUICK) notes.push('--quick: 3 runs per case, 1 for the slow ones; cdk8s-app is not run for chart-per-app N = 1000 (≈10 s a run)');

  const settleProbesMs = settleFileSystem(QUICK ? 0 : 7 * 60_000);
  const settled = settleProbesMs[settleProbesMs.length - 1] <= PROBE_SLOW_MS;
  console.log(`file creation probe (${PROBE_FILES} files): ${settleProbesMs.join(', ')} ms${settled ? '' : ' — still slow: chart-per-app times include it'}`);
  if (!settled) notes.push(`file creation was slow when the cases started (${PROBE_FILES} files: ${settleProbesMs[settleProbesMs.length - 1]} ms, settled: 20-40 ms): chart-per-app times include it`);

  const cases: CaseResult[] = [];
  console.log('\nscenario layout         N     engine     manifests  phase ms med (min–max)  of which write  wall ms med (min–max)    CPU ms  peak RSS MB  µs/manifest  runs');
  for (const scenario of scenarios) {
    for (const layout of LAYOUTS) {
      for (const n of SIZES) {
        const input = path.join(TMP, `${scenario}-${layout}-${n}.json`);
        spawnChild({ engine: 'prepare', scenario, n, layout, outdir: path.join(TMP, `prepare-${scenario}-${layout}-${n}`), input });
        for (const engine of ENGINES) {
          if (QUICK && engine === 'cdk8s-app' && layout === 'chart-per-app' && n >= 1000) continue; // ≈10 s a run
          const c = runCase(scenario, layout, n, engine, input);
          cases.push(c);
          console.log([
            scenario.padEnd(8), layout.padEnd(14), String(n).padStart(5), engine.padEnd(10), String(c.manifests).padStart(9),
            fmt(c.phaseMs).padStart(24), c.writeMs.median.toFixed(0).padStart(14), fmt(c.wallMs).padStart(24), c.phaseCpuMs.median.toFixed(0).padStart(9),
            c.peakRssMb.median.toFixed(0).padStart(12), c.usPerManifest.toFixed(1).padStart(12), String(c.runs).padStart(5),
            c.fileCreationProbeMs === undefined ? '' : `  (file creation probe ${c.fileCreationProbeMs.toFixed(0)} ms)`,
          ].join(' '));
        }
      }
    }
  }

  const find = (s: ScenarioName, l: Layout, n: number, e: ChildArgs['engine']) => cases.find((c) => c.scenario === s && c.layout === l && c.n === n && c.engine === e);
  const ratios = [];
  console.log('\nratios of median phase times (below 1.0: ours is faster)');
  console.log('scenario layout         N   ours/raw-cdk8s  ours/pure-yaml  ours/cdk8s-App(same constructs)  | without file writes: ours/raw  ours/pure-yaml');
  for (const c of cases.filter((x) => x.engine === 'ours')) {
    const rawC = find(c.scenario, c.layout, c.n, 'raw');
    const pure = find(c.scenario, c.layout, c.n, 'pure-yaml');
    const std = find(c.scenario, c.layout, c.n, 'cdk8s-app');
    const r = {
      scenario: c.scenario, layout: c.layout, n: c.n,
      oursOverRaw: rawC ? round2(c.phaseMs.median / rawC.phaseMs.median) : undefined,
      oursOverPureYaml: pure ? round2(c.phaseMs.median / pure.phaseMs.median) : undefined,
      oursOverCdk8sApp: std ? round2(c.phaseMs.median / std.phaseMs.median) : undefined,
      withoutWrites: {
        oursOverRaw: rawC ? round2(c.computeMs.median / rawC.computeMs.median) : undefined,
        oursOverPureYaml: pure ? round2(c.computeMs.median / pure.computeMs.median) : undefined,
      },
    };
    ratios.push(r);
    const cell = (v: number | undefined, width: number) => (v === undefined ? 'n/a' : String(v)).padStart(width); // n/a: baseline not run (--quick)
    console.log(`${c.scenario.padEnd(8)} ${c.layout.padEnd(14)} ${String(c.n).padStart(5)} ${cell(r.oursOverRaw, 15)} ${cell(r.oursOverPureYaml, 15)} ${cell(r.oursOverCdk8sApp, 15)}                   | ${cell(r.withoutWrites.oursOverRaw, 24)} ${cell(r.withoutWrites.oursOverPureYaml, 15)}`);
  }

  const linearity = [];
  for (const scenario of scenarios) {
    const one = find(scenario, 'one-chart', 1000, 'ours');
    const per = find(scenario, 'chart-per-app', 1000, 'ours');
    const per3k = find(scenario, 'chart-per-app', 3000, 'ours');
    if (!one || !per) continue;
    linearity.push({
      scenario,
      chartPerApp1000OverOneChart1000: round2(per.phaseMs.median / one.phaseMs.median),
      chartPerApp3000OverChartPerApp1000: per3k ? round2(per3k.phaseMs.median / per.phaseMs.median) : undefined,
      withoutWrites: {
        chartPerApp1000OverOneChart1000: round2(per.computeMs.median / one.computeMs.median),
        chartPerApp3000OverChartPerApp1000: per3k ? round2(per3k.computeMs.median / per.computeMs.median) : undefined,
      },
    });
  }

  console.log('\nend to end');
  const runs = QUICK ? 3 : 5;
  const synth = timeCommand('npm run --silent synth', runs);
  const cli = timeCommand('node_modules/.bin/cdk8s synth --no-check-upgrade', QUICK ? 1 : 3);
  const startup = timeCommand(`node -r ./scripts/register.js bench/startup.ts`, runs);
  const nodeOnly = timeCommand(`node -e 0`, runs);
  for (const t of [synth, cli, startup, nodeOnly]) console.log(`${t.command.padEnd(52)} ${fmt(t)} ms (${t.runs} runs)`);

  const webOne = find('webapp', 'one-chart', 1000, 'ours');
  const webRaw = find('webapp', 'one-chart', 1000, 'raw');
  const webPure = find('webapp', 'one-chart', 1000, 'pure-yaml');
  const lin = linearity.find((l) => l.scenario === 'webapp');
  const targets = {
    oursOverRaw1000: { target: '≤ 1.0', value: webOne && webRaw ? round2(webOne.phaseMs.median / webRaw.phaseMs.median) : undefined },
    oursOverPureYaml1000: { target: '≤ 1.5', value: webOne && webPure ? round2(webOne.phaseMs.median / webPure.phaseMs.median) : undefined },
    peakRssMb1000: { target: '≤ 512', value: webOne?.peakRssMb.median },
    chartPerApp1000OverOneChart: { target: '≤ 1.3', value: lin?.chartPerApp1000OverOneChart1000 },
    chartPerApp1000OverOneChartWithoutWrites: { target: '≤ 1.3', value: lin?.withoutWrites.chartPerApp1000OverOneChart1000 },
    chartPerApp3000Over1000: { target: '≤ 3.3', value: lin?.chartPerApp3000OverChartPerApp1000 },
    chartPerApp3000Over1000WithoutWrites: { target: '≤ 3.3', value: lin?.withoutWrites.chartPerApp3000OverChartPerApp1000 },
    npmRunSynthMs: { target: '≤ 2000', value: synth.median },
  };
  console.log('\ntargets (webapp, N = 1000)');
  for (const [k, v] of Object.entries(targets)) console.log(`${k.padEnd(30)} ${String(v.value ?? 'n/a').padStart(8)}  target ${v.target}`);
  for (const note of notes) console.log(`note: ${note}`);

  const loadAverageAtEnd = os.loadavg().map(round);
  const results = {
    mode: MODE, startedAt, finishedAt: new Date().toISOString(),
    machine: { ...machineInfo, loadAverageAtEnd },
    noise: 'CPU is shared: other processes on the machine inflate timings; compare ratios taken in the same run rather than absolute times.',
    method: {
      runsPerCase: RUNS, caseBudgetMs: CASE_BUDGET_MS,
      phase: 'ours / cdk8s-app: build the constructs, synth, write files; raw: build one ApiObject per manifest (from the JSON ours emitted) and App.synth(); pure-yaml: YAML.stringify with cdk8s options and write files. Modules and inputs are loaded before the clock starts.',
      wall: 'the whole child process (spawn to exit), including node start-up, the TypeScript loader and loading modules',
      peakRss: 'process.resourceUsage().maxRSS of the child',
      fileCreationProbe: `creating ${PROBE_FILES} files of 3 kB in a fresh directory, timed before every chart-per-app case; the bench first waits (up to 7 min, not with --quick) until it takes at most ${PROBE_SLOW_MS} ms`,
      files: `written under node_modules/.cache/cdk8s-noops-bench/ (same disk as dist/), a fresh directory per run; ${KEEP_OUTPUT_NOTE}`,
    },
    fileSystem: { settleProbesMs, probeAtEndMs: fileCreationProbe() },
    cases, ratios, linearity,
    endToEnd: { npmRunSynth: synth, cdk8sCliSynth: cli, bareRunnerStartup: startup, nodeStartup: nodeOnly },
    targets, notes,
  };
  if (QUICK) {
    console.log('\n--quick: bench/results.json is left as it is (run without --quick to refresh it)');
  } else {
    fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log('\nwrote bench/results.json');
  }
  fs.rmSync(TMP, { recursive: true, force: true });
}

const round2 = (x: number) => Math.round(x * 100) / 100;

main();
