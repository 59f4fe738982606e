import { App } from 'cdk8s';
import { CanaryRelease, Gateway, ListenerProtocol, Probe, TrafficApi } from '../lib';
import { MYVERSION_PLAN } from './myversion';
import { ExampleApp, namespacedChart } from './registry';

/**
 * The seed's canary of `myversion` on the Kubernetes Gateway API: the same plan as {@link myversion}
 * (all-v1 → 90/10 → header `user` ~ `yoichi` → promoted), one chart, file and namespace per stage
 * (`dist/myversion-gw-<stage>.k8s.yaml`). Each stage has a Service per version, an HTTPRoute on the
 * Service `myversion` for in-mesh callers (GAMMA) and one on the Gateway `public` for
 * `myversion.example.com`.
 */
export const myversionGatewayApi: ExampleApp = {
  name: 'myversion-gw',
  description: 'myversion\'s canary on the Gateway API, once per stage: HTTPRoutes on a Gateway and on the Service (GAMMA)',
  build(app: App) {
    for (const stage of MYVERSION_PLAN.stages) {
      const chart = namespacedChart(app, `myversion-gw-${stage.name}`, { mesh: true });
      const gateway = new Gateway(chart, 'public', {
        gatewayClassName: 'istio',
        listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'myversion.example.com' }],
      });
      const version = (name: string) => ({
        name, image: 'hashicorp/http-echo:1.0', args: [`-text={"version":"${name}"}`], replicas: 2, readiness: Probe.httpGet('/version'),
      });
      new CanaryRelease(chart, 'myversion', {
        versions: [version('v1'), version('v2')],
        port: 5678,
        plan: MYVERSION_PLAN,
        stage: stage.name,
        trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: ['myversion.example.com'] }),
      });
    }
  },
};
