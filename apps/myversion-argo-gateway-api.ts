import { App } from 'cdk8s';
import { CanaryRelease, Delivery, Gateway, ListenerProtocol, TrafficApi } from '../lib';
import { MYVERSION_PLAN, versionImage } from './myversion';
import { ExampleApp, namespacedChart } from './registry';

/**
 * myversion delivered by Argo Rollouts on the Kubernetes Gateway API: the seed's plan (setWeight 10, pause,
 * setWeight 0 + setHeaderRoute user=yoichi, pause, then promotion) as one Rollout whose Gateway API
 * plugin (`argoproj-labs/gatewayAPI`) moves the HTTPRoutes `myversion` (on the Service, for in-mesh
 * callers: GAMMA) and `myversion-gateway` (on the Gateway `public`, for `myversion.example.com`) between
 * the Services `myversion-stable` and `myversion-canary`, with background analysis from Prometheus. The
 * cluster needs Argo Rollouts with the Gateway API plugin configured, and the Gateway API CRDs.
 */
export const myversionArgoGatewayApi: ExampleApp = {
  name: 'myversion-argo-gw',
  description: 'myversion delivered by Argo Rollouts on the Gateway API: the seed plan as Rollout steps moving HTTPRoutes (Gateway and GAMMA) through the Gateway API plugin',
  build(app: App) {
    const chart = namespacedChart(app, 'myversion-argo-gw', { mesh: true });
    const gateway = new Gateway(chart, 'public', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'myversion.example.com' }],
    });
    new CanaryRelease(chart, 'myversion', {
      versions: [{ name: 'v1', ...versionImage('v1') }, { name: 'v2', ...versionImage('v2') }],
      port: 5678,
      plan: MYVERSION_PLAN,
      trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: ['myversion.example.com'] }),
      delivery: Delivery.argoRollouts({ prometheusAddress: 'http://prometheus.istio-system:9090' }),
    });
  },
};
