// Builds the benchmark's synthetic apps: N WebApps (Deployment, Service, Ingress, HPA, PDB,
// NetworkPolicy) or N CanaryReleases (two versions + Gateway), as one chart or one chart per app.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CanaryGateway, CanaryPlan, CanaryRelease, NetworkPeer, Probe, WebApp } from '../lib';

/** What one benchmark case renders. */
export type ScenarioName = 'webapp' | 'canary';
/** How the apps are split into charts. */
export type Layout = 'one-chart' | 'chart-per-app';

/** Adds N apps of `scenario` to `app`, either all in one chart or one chart per app. */
export function buildScenario(app: App, scenario: ScenarioName, n: number, layout: Layout): void {
  const add = scenario === 'webapp' ? addWebApp : addCanary;
  let shared: Chart | undefined;
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const chart = layout === 'chart-per-app'
      ? new Chart(app, name, { namespace: `bench-${i % 50}` })
      : (shared ??= new Chart(app, `bench-${scenario}`, { namespace: 'bench' }));
    add(chart, name, i);
  }
}

function addWebApp(scope: Construct, name: string, i: number): void {
  const web = new WebApp(scope, name, {
    image: `registry.example.com/team-${i % 20}/${name}:1.${i % 7}.${i % 13}`,
    port: 8080,
    env: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'a,b,c', REPLICA_HINT: String(i % 3) },
    autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 75 },
    readiness: Probe.httpGet('/healthz'),
  });
  web.exposeViaIngress({ host: `${name}.example.com` });
  web.allowFrom(NetworkPeer.namespace('ingress-nginx'));
}

function addCanary(scope: Construct, name: string, i: number): void {
  const image = `registry.example.com/team-${i % 20}/${name}`;
  new CanaryRelease(scope, name, {
    port: 8080,
    versions: [
      { name: 'v1', image: `${image}:1.${i % 7}.0`, readiness: Probe.httpGet('/healthz') },
      { name: 'v2', image: `${image}:1.${i % 7}.1`, readiness: Probe.httpGet('/healthz') },
    ],
    plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 50] }),
    stage: 'canary-10',
    gateway: CanaryGateway.create({ hosts: [`${name}.example.com`] }),
  });
}
