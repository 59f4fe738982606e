import { App } from 'cdk8s';
import { CanaryRelease, Probe, TrafficApi } from '../lib';
import { MYVERSION_PLAN } from './myversion';
import { ExampleApp, namespacedChart } from './registry';

/**
 * myversion's 90/10 canary in Istio ambient mode: the namespace is labelled
 * `istio.io/dataplane-mode: ambient` (and Pod Security `restricted`: ambient pods need no init
 * container), with a waypoint for L7 routing; the canary's HTTPRoute is attached to the Service
 * `myversion` (GAMMA), which the waypoint applies to in-mesh callers.
 */
export const myversionAmbient: ExampleApp = {
  name: 'myversion-ambient',
  description: 'myversion\'s 90/10 canary in Istio ambient mode: a waypoint applies the GAMMA HTTPRoute',
  build(app: App) {
    const chart = namespacedChart(app, 'myversion-ambient', { ambient: true });
    const version = (name: string) => ({
      name, image: 'hashicorp/http-echo:1.0', args: [`-text={"version":"${name}"}`], replicas: 2, readiness: Probe.httpGet('/version'),
    });
    new CanaryRelease(chart, 'myversion', {
      versions: [version('v1'), version('v2')],
      port: 5678,
      plan: MYVERSION_PLAN,
      stage: 'canary',
      trafficApi: TrafficApi.gatewayApi(),
    });
  },
};
