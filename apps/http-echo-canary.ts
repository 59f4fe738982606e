import { App } from 'cdk8s';
import { CanaryGateway, CanaryMode, CanaryRelease, Probe } from '../lib';
import { ExampleApp, namespacedChart } from './registry';

const HTTP_ECHO_IMAGE = 'hashicorp/http-echo:1.0';

/**
 * The seed's two Helm-style releases of http-echo, `foolish-penguin` and `peeking-rabbit`, each with
 * its own Deployment and Service, split 50/50 behind an Istio Gateway for `127.0.0.1.xip.io`
 * (multi-release mode: the VirtualService routes between the two Services).
 */
export const httpEchoCanary: ExampleApp = {
  name: 'http-echo-canary',
  description: 'two http-echo releases (foolish-penguin, peeking-rabbit) split 50/50 behind an Istio Gateway',
  build(app: App) {
    const chart = namespacedChart(app, 'http-echo-canary', { mesh: true });
    const release = (name: string, text: string) => ({ name, image: HTTP_ECHO_IMAGE, args: [`-text=${text}`], readiness: Probe.httpGet('/') });
    new CanaryRelease(chart, 'http-echo', {
      mode: CanaryMode.SERVICES,
      versions: [release('foolish-penguin', 'hello world v1'), release('peeking-rabbit', 'hello world peeking-rabbit')],
      port: 5678,
      stages: [{ name: 'split', weights: { 'foolish-penguin': 50, 'peeking-rabbit': 50 } }],
      stage: 'split',
      gateway: CanaryGateway.create({ hosts: ['127.0.0.1.xip.io'] }),
    });
  },
};
