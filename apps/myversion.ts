import { App } from 'cdk8s';
import { CanaryPlan, CanaryRelease, Probe, RouteMatch, StringMatch } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/** A small image answering every path, `/version` included, with the version it runs. */
export const versionImage = (version: string) => ({
  image: 'hashicorp/http-echo:1.0',
  args: [`-text={"version":"${version}"}`],
  replicas: 2,
  readiness: Probe.httpGet('/version'),
});

/** The seed's stages: all traffic to v1, a 90/10 canary, user `yoichi` on v2, then v2 for everyone. */
export const MYVERSION_PLAN = CanaryPlan.of([
  { name: 'all-v1', weights: { v1: 100, v2: 0 } },
  { name: 'canary', weights: { v1: 90, v2: 10 } },
  { name: 'user-v2', weights: { v1: 100 }, routes: [{ name: 'user-yoichi', match: RouteMatch.header('user', StringMatch.regex('yoichi')), version: 'v2' }] },
  { name: 'promoted', weights: { v2: 100 } },
]);

/**
 * The seed's canary of `myversion`: versions v1 and v2 behind one Service, one VirtualService per
 * stage. A pipeline renders one stage at a time (`CANARY_STAGE=canary npm run synth`) into one
 * namespace; this example renders every stage side by side so reviewers can diff them, so each stage
 * gets its own chart, file (`dist/myversion-<stage>.k8s.yaml`) and namespace (`myversion-<stage>`).
 */
export const myversion: ExampleApp = {
  name: 'myversion',
  description: 'Istio canary of v1/v2 rendered once per stage: all-v1, canary (90/10), user-v2 (header user=yoichi), promoted',
  build(app: App) {
    for (const stage of MYVERSION_PLAN.stages) {
      const chart = namespacedChart(app, `myversion-${stage.name}`, { mesh: true });
      new CanaryRelease(chart, 'myversion', {
        versions: [{ name: 'v1', ...versionImage('v1') }, { name: 'v2', ...versionImage('v2') }],
        port: 5678,
        plan: MYVERSION_PLAN,
        stage: stage.name,
      });
    }
  },
};
