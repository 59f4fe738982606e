import { App } from 'cdk8s';
import { CanaryRelease, Delivery } from '../lib';
import { MYVERSION_PLAN, versionImage } from './myversion';
import { ExampleApp, namespacedChart } from './registry';

/**
 * myversion delivered by Argo Rollouts: the seed's plan as one Rollout (setWeight 10, pause,
 * setWeight 0 + setHeaderRoute user=yoichi, pause, then promotion), with background analysis of v2's
 * success rate and latency from Prometheus. Each pause waits for `kubectl argo rollouts promote myversion`.
 */
export const myversionArgo: ExampleApp = {
  name: 'myversion-argo',
  description: 'myversion delivered by Argo Rollouts: the seed plan as Rollout steps over Istio subsets, with Prometheus background analysis',
  build(app: App) {
    const chart = namespacedChart(app, 'myversion-argo', { mesh: true });
    new CanaryRelease(chart, 'myversion', {
      versions: [{ name: 'v1', ...versionImage('v1') }, { name: 'v2', ...versionImage('v2') }],
      port: 5678,
      plan: MYVERSION_PLAN,
      delivery: Delivery.argoRollouts({ prometheusAddress: 'http://prometheus.istio-system:9090' }),
    });
  },
};
