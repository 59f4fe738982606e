import { App, Duration } from 'cdk8s';
import { CanaryGateway, CanaryPlan, CanaryRelease, CanaryStage, Delivery } from '../lib';
import { MYVERSION_PLAN, versionImage } from './myversion';
import { ExampleApp, namespacedChart } from './registry';

const stage = (name: string): CanaryStage => MYVERSION_PLAN.stages.find((s) => s.name === name)!;

/**
 * The seed's stages as Flagger can walk them. Flagger runs one analysis kind per Canary, so the seed's
 * plan (a weighted stage, then a header stage) is split in two: the weighted canary (all-v1 → 90/10 →
 * promoted; `stepWeights: [10]`) and the A/B test (all-v1 → user `yoichi` on v2 → promoted; `match`
 * with `iterations`). A single Canary with both is refused at synth (Delivery.argoRollouts walks it).
 */
export const MYVERSION_FLAGGER_PLANS: Readonly<Record<string, CanaryPlan>> = {
  'myversion-flagger': CanaryPlan.of([stage('all-v1'), stage('canary'), stage('promoted')]),
  'myversion-flagger-ab': CanaryPlan.of([stage('all-v1'), stage('user-v2'), stage('promoted')]),
};

/** myversion delivered by Flagger: the weighted canary (through a created gateway, sticky, autoscaled) and the A/B test. */
export const myversionFlagger: ExampleApp = {
  name: 'myversion-flagger',
  description: 'myversion delivered by Flagger: a weighted Canary (stepWeights [10], sticky, HPA, gateway) and an A/B Canary (header user=yoichi)',
  build(app: App) {
    for (const [name, plan] of Object.entries(MYVERSION_FLAGGER_PLANS)) {
      const chart = namespacedChart(app, name, { mesh: true });
      const weighted = name === 'myversion-flagger';
      new CanaryRelease(chart, 'myversion', {
        versions: [
          { name: 'v1', ...versionImage('v1') },
          { name: 'v2', ...versionImage('v2'), ...(weighted ? { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 80 } } : {}) },
        ],
        port: 5678,
        plan,
        ...(weighted ? { gateway: CanaryGateway.create({ hosts: ['myversion.example.com'] }), sticky: {} } : {}),
        delivery: Delivery.flagger({
          interval: Duration.seconds(30),
          loadTest: { url: `http://flagger-loadtester.${name}/`, cmd: `hey -z 1m -q 10 -c 2 http://myversion-canary.${name}:80/` },
          ...(weighted ? {} : { confirmPromotionUrl: `http://flagger-loadtester.${name}/gate/approve` }),
        }),
      });
    }
  },
};
