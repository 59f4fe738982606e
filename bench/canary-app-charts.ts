// Times N charts of one CanaryRelease each under cdk8s's standard `App` (which validates the whole app
// once per chart, so any check that redoes its work on every validation pass costs N times over):
//
//   node -r ./scripts/register.js bench/canary-app-charts.ts [N=1000] [runs=3] [outdir]
//
// Each run builds the app and calls `app.synth()` into a fresh directory (default: under os.tmpdir());
// prints the CPU time (user + system, ms) of build + synth per run, and the median.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { CanaryGateway, CanaryPlan, CanaryRelease } from '../lib';

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 3);
const base = process.argv[4] ?? os.tmpdir();

function once(): { cpuMs: number; wallMs: number } {
  const outdir = fs.mkdtempSync(path.join(base, 'canary-app-charts-'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir });
  for (let i = 0; i < n; i++) {
    const name = `canary-${i}`;
    new CanaryRelease(new Chart(app, name, { namespace: `ns-${i % 10}` }), name, {
      port: 8080,
      versions: [{ name: 'v1', image: 'nginx:1.27.2' }, { name: 'v2', image: 'nginx:1.27.3' }],
      plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 50] }),
      stage: 'canary-10',
      gateway: CanaryGateway.create({ hosts: [`${name}.example.com`] }),
    });
  }
  app.synth();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (fs.readdirSync(outdir).length !== n) throw new Error(`expected ${n} files in ${outdir}`);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

const results: number[] = [];
for (let r = 0; r < runs; r++) {
  const { cpuMs, wallMs } = once();
  results.push(cpuMs);
  console.log(`run ${r + 1}: ${n} charts, CPU ${cpuMs.toFixed(0)} ms, wall ${wallMs.toFixed(0)} ms`);
}
const sorted = [...results].sort((a, b) => a - b);
console.log(`median CPU: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`);
