import { Chart, Testing } from 'cdk8s';
import { MYVERSION_PLAN } from '../apps/myversion';
import { CanaryPlan, CanaryRelease, Delivery, Gateway, ListenerProtocol, TrafficApi } from '../lib';
import { audit, Level, PolicyMode } from '../lib/audit';

// The audit's references of Flagger and Argo Rollouts on the Gateway API (lib/audit/rules/delivery.ts):
// Flagger's service.gatewayRefs and the HTTPRoutes the Argo Rollouts Gateway API plugin moves, on what the
// library renders, then broken on purpose.

const IMAGE = 'hashicorp/http-echo:1.0';
const PLUGIN = 'argoproj-labs/gatewayAPI';

function rendered(delivery: Delivery): any[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const gateway = new Gateway(chart, 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', protocol: ListenerProtocol.HTTP, hostname: 'shop.example.com' }] });
  new CanaryRelease(chart, 'shop', {
    versions: [{ name: 'v1', image: IMAGE }, { name: 'v2', image: IMAGE }], port: 5678,
    plan: delivery.kind === 'flagger' ? CanaryPlan.of([MYVERSION_PLAN.stages[0], MYVERSION_PLAN.stages[1], MYVERSION_PLAN.stages[3]]) : MYVERSION_PLAN,
    delivery, trafficApi: TrafficApi.gatewayApi({ gateway, hostnames: ['shop.example.com'] }),
  });
  return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, ...Testing.synth(chart)];
}

const findings = (docs: unknown[]) => audit(docs, { policy: PolicyMode.OFF }).findings
  .filter((f) => /^(canary|rollout)-/.test(f.rule)).map((f) => [f.level, f.rule, f.path, f.message]);

describe('Flagger on the Gateway API', () => {
  test('the rendered Canary: gatewayRefs name the Gateway of the bundle and the Canary\'s own Service (created by Flagger): no finding', () => {
    expect(findings(rendered(Delivery.flagger()))).toEqual([]);
  });

  test('fails if the Gateway is missing, or another Service is named', () => {
    const docs = rendered(Delivery.flagger()).filter((d) => d.kind !== 'Gateway');
    expect(findings(docs)).toEqual([[Level.ERROR, 'canary-gateway', '/spec/service/gatewayRefs/0', "Gateway API Gateway 'public' not found in namespace 'shop'; add the Gateway or fix the reference"]]);
    const canary = docs.find((d) => d.kind === 'Canary');
    canary.spec.service.gatewayRefs = [{ group: '', kind: 'Service', name: 'other' }];
    expect(findings(docs)).toEqual([[Level.ERROR, 'canary-gateway', '/spec/service/gatewayRefs/0', expect.stringMatching(/^Service 'other' not found in namespace 'shop' \(and it is not the Canary's own Service 'shop'/)]]);
  });

  test('fails if provider gatewayapi:v1 has no gatewayRefs', () => {
    const docs = rendered(Delivery.flagger());
    delete docs.find((d) => d.kind === 'Canary').spec.service.gatewayRefs;
    expect(findings(docs)).toEqual([[Level.ERROR, 'canary-gateway', '/spec/service', expect.stringMatching(/^provider gatewayapi:v1 needs service.gatewayRefs/)]]);
  });
});

describe('Argo Rollouts on the Gateway API', () => {
  test('the rendered Rollout: the plugin\'s HTTPRoutes exist and weight both Services: no finding', () => {
    expect(findings(rendered(Delivery.argoRollouts()))).toEqual([]);
  });

  test('fails if an HTTPRoute the plugin names is missing', () => {
    const docs = rendered(Delivery.argoRollouts()).filter((d) => !(d.kind === 'HTTPRoute' && d.metadata.name === 'shop-gateway'));
    expect(findings(docs)).toEqual([[Level.ERROR, 'rollout-httproute', `/spec/strategy/canary/trafficRouting/plugins/${PLUGIN.replace('/', '~1')}/httpRoutes/1`,
      "HTTPRoute 'shop-gateway' not found in namespace 'shop'; add it or fix the name"]]);
  });

  test('fails if no rule of an HTTPRoute lists both the stable and the canary Service', () => {
    const docs = rendered(Delivery.argoRollouts());
    const route = docs.find((d) => d.kind === 'HTTPRoute' && d.metadata.name === 'shop');
    route.spec.rules[0].backendRefs = route.spec.rules[0].backendRefs.filter((b: any) => b.name === 'shop-stable');
    expect(findings(docs)).toEqual([[Level.ERROR, 'rollout-httproute', `/spec/strategy/canary/trafficRouting/plugins/${PLUGIN.replace('/', '~1')}/httpRoutes/0`,
      "HTTPRoute 'shop' has no rule with backendRefs to both 'shop-stable' and 'shop-canary'; the Gateway API plugin moves the weights of both"]]);
  });
});
