// Compose conversion at scale (issue 16): N services on a few networks, each connecting to the next
// by URL, converted in one process per N. Not part of `npm test`; run it to see time, memory and
// output grow linearly with N (one NetworkPolicy per network, not one rule per pair of services):
//
//   node -r ./scripts/register.js bench/compose-services.ts            N = 250, 500, 1000, 2000
//   node -r ./scripts/register.js bench/compose-services.ts 2000 4000
import { spawnSync } from 'child_process';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ComposeApp } from '../lib';

const NETWORKS = 8;

/** A Compose document with `n` services: service i is on networks i%8 and (i+1)%8 and calls service i+1. */
export function composeOf(n: number): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const next = `svc-${(i + 1) % n}`;
    services[`svc-${i}`] = {
      image: `registry.example.com/team-${i % 20}/svc-${i}:1.${i % 7}.0`,
      expose: ['8080'],
      environment: { NEXT_URL: `http://${next}:8080/api`, LOG_LEVEL: 'info' },
      networks: [`net-${i % NETWORKS}`, `net-${(i + 1) % NETWORKS}`],
      deploy: { replicas: 2, resources: { limits: { memory: '256m' }, reservations: { cpus: '0.1', memory: '128m' } } },
    };
  }
  return { services, networks: Object.fromEntries(Array.from({ length: NETWORKS }, (_, k) => [`net-${k}`, {}])) };
}

/** Converts `n` services in this process and reports CPU time, peak RSS, output size and object counts. */
function child(n: number): void {
  const start = process.cpuUsage();
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  ComposeApp.fromObject(chart, 'bench', composeOf(n), { onWarning: () => undefined });
  const yaml = app.synthYaml();
  const cpu = process.cpuUsage(start);
  const policies = (yaml.match(/^kind: NetworkPolicy$/gm) ?? []).length;
  console.log(JSON.stringify({ n, cpuMs: Math.round((cpu.user + cpu.system) / 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), outputMb: +(yaml.length / 1e6).toFixed(2), policies }));
}

if (process.argv[2] === '--child') {
  child(Number(process.argv[3]));
} else if (require.main === module) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  for (const n of sizes.length ? sizes : [250, 500, 1000, 2000]) {
    const r = spawnSync(process.execPath, ['-r', path.join(__dirname, '..', 'scripts', 'register.js'), __filename, '--child', String(n)], { encoding: 'utf8' });
    process.stdout.write(r.status === 0 ? r.stdout : `n=${n}: failed (${r.status}) ${r.stderr.slice(-500)}\n`);
  }
}
