// Prints bench/results.json as the markdown tables of the README's Performance section:
//   node -r ./scripts/register.js bench/report.ts
import * as fs from 'fs';
import * as path from 'path';

const r = JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8'));
const f0 = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;

console.log(`Machine: ${r.machine.cpu}, ${r.machine.memoryGb} GB, ${r.machine.os}, node ${r.machine.node}; load average ${r.machine.loadAverageAtStart.join(' / ')} at start, ${r.machine.loadAverageAtEnd.join(' / ')} at the end; ${r.mode} run, ${r.startedAt}.\n`);
console.log('| scenario | layout | N | engine | manifests | phase ms, median (min–max) | of which file writes | process wall ms | peak RSS MB | µs / manifest | runs |');
console.log('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const c of r.cases) {
  console.log(`| ${c.scenario} | ${c.layout} | ${c.n} | ${c.engine} | ${c.manifests} | ${f0(c.phaseMs)} | ${c.writeMs.median.toFixed(0)} | ${f0(c.wallMs)} | ${c.peakRssMb.median.toFixed(0)} | ${c.usPerManifest.toFixed(0)} | ${c.runs} |`);
}
console.log('\n| scenario | layout | N | ours / raw cdk8s | ours / pure yaml | ours / cdk8s App | without file writes: ours / raw | ours / pure yaml |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const x of r.ratios) {
  console.log(`| ${x.scenario} | ${x.layout} | ${x.n} | ${x.oursOverRaw ?? '–'} | ${x.oursOverPureYaml ?? '–'} | ${x.oursOverCdk8sApp ?? '–'} | ${x.withoutWrites?.oursOverRaw ?? '–'} | ${x.withoutWrites?.oursOverPureYaml ?? '–'} |`);
}
console.log('\n| linearity | ' + r.linearity.map((l: any) => l.scenario).join(' | ') + ' |');
console.log('| --- | ' + r.linearity.map(() => '---:').join(' | ') + ' |');
console.log('| 1,000 charts / 1 chart (N = 1,000) | ' + r.linearity.map((l: any) => `${l.chartPerApp1000OverOneChart1000} (${l.withoutWrites.chartPerApp1000OverOneChart1000} without writes)`).join(' | ') + ' |');
console.log('| 3,000 charts / 1,000 charts | ' + r.linearity.map((l: any) => `${l.chartPerApp3000OverChartPerApp1000 ?? '–'} (${l.withoutWrites.chartPerApp3000OverChartPerApp1000 ?? '–'} without writes)`).join(' | ') + ' |');
const e = r.endToEnd;
console.log('\n| end to end | ms, median (min–max) | runs |');
console.log('| --- | ---: | ---: |');
for (const [name, t] of Object.entries<any>({ '`npm run synth` (all example apps)': e.npmRunSynth, '`cdk8s synth --no-check-upgrade`': e.cdk8sCliSynth, 'bare runner start-up (loader + cdk8s + lib)': e.bareRunnerStartup, '`node -e 0`': e.nodeStartup })) {
  console.log(`| ${name} | ${f0(t)} | ${t.runs} |`);
}
console.log('\n| target | value | target |');
console.log('| --- | ---: | --- |');
for (const [k, v] of Object.entries<any>(r.targets)) console.log(`| ${k} | ${v.value ?? 'n/a'} | ${v.target} |`);
