import { App } from 'cdk8s';
import { CanaryMode, CanaryRelease, Gateway, ListenerProtocol, Probe, TrafficApi } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

/**
 * {@link httpEchoCanary} on the Gateway API: the two Helm-style releases of http-echo,
 * `foolish-penguin` and `peeking-rabbit`, each with its own Deployment and Service, split 50/50 by an
 * HTTPRoute on one Gateway for `127.0.0.1.xip.io` (north-south only: `mesh: false`).
 */
export const httpEchoGateway: ExampleApp = {
  name: 'http-echo-gateway',
  description: 'two http-echo releases split 50/50 by an HTTPRoute behind one Gateway API Gateway',
  build(app: App) {
    const chart = namespacedChart(app, 'http-echo-gateway');
    const gateway = new Gateway(chart, 'gateway', {
      name: 'http-echo',
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: '127.0.0.1.xip.io' }],
    });
    const release = (name: string, text: string) => ({ name, image: 'hashicorp/http-echo:1.0', args: [`-text=${text}`], readiness: Probe.httpGet('/') });
    new CanaryRelease(chart, 'http-echo', {
      mode: CanaryMode.SERVICES,
      versions: [release('foolish-penguin', 'hello world v1'), release('peeking-rabbit', 'hello world peeking-rabbit')],
      port: 5678,
      stages: [{ name: 'split', weights: { 'foolish-penguin': 50, 'peeking-rabbit': 50 } }],
      stage: 'split',
      trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: ['127.0.0.1.xip.io'], mesh: false }),
    });
  },
};
