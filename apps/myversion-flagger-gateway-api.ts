import { App, Duration } from 'cdk8s';
import { CanaryRelease, Delivery, Gateway, ListenerProtocol, TrafficApi } from '../lib';
import { versionImage } from './myversion';
import { MYVERSION_FLAGGER_PLANS } from './myversion-flagger';
import { ExampleApp, namespacedChart } from './registry';

/**
 * myversion delivered by Flagger on the Kubernetes Gateway API: the weighted canary (all-v1 → 90/10 →
 * promoted; `stepWeights: [10]`) as a Canary with `provider: gatewayapi:v1` whose `service.gatewayRefs`
 * name the Gateway `public` (for `myversion.example.com`) and the Service `myversion` (in-mesh callers,
 * GAMMA). Flagger generates the HTTPRoute `myversion` and the Services itself. On the Gateway API,
 * Flagger's built-in metrics read the app's own `http_request_duration_seconds`; the error-rate check here
 * reads Istio's telemetry through a MetricTemplate instead.
 */
export const myversionFlaggerGatewayApi: ExampleApp = {
  name: 'myversion-flagger-gw',
  description: 'myversion delivered by Flagger on the Gateway API: a weighted Canary (stepWeights [10]) with gatewayRefs to a Gateway and the Service (GAMMA)',
  build(app: App) {
    const chart = namespacedChart(app, 'myversion-flagger-gw', { mesh: true });
    const gateway = new Gateway(chart, 'public', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'myversion.example.com' }],
    });
    new CanaryRelease(chart, 'myversion', {
      versions: [{ name: 'v1', ...versionImage('v1') }, { name: 'v2', ...versionImage('v2') }],
      port: 5678,
      plan: MYVERSION_FLAGGER_PLANS['myversion-flagger'],
      trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: ['myversion.example.com'] }),
      delivery: Delivery.flagger({
        interval: Duration.seconds(30),
        metrics: [{
          name: 'error-rate',
          query: 'sum(rate(istio_requests_total{destination_workload="myversion",response_code=~"5.*"}[1m])) / sum(rate(istio_requests_total{destination_workload="myversion"}[1m])) * 100',
          prometheusAddress: 'http://prometheus.istio-system:9090',
          max: 1,
        }],
      }),
    });
  },
};
