import { checkArgoGatewayApi } from '../routing/argo/gateway-api';
import { checkFlaggerGatewayApi } from '../routing/flagger/gateway-api';
import { DeliveryKind } from './delivery';
import { ReleasePlan } from './routing';

/**
 * A controller delivery with `TrafficApi.gatewayApi(...)`: what the controller's own HTTPRoute handling
 * cannot honour (Flagger's generated HTTPRoute; the Argo Rollouts Gateway API plugin), checked on the plan
 * before any workload exists and before the Gateway API renderer's own checks, so the message names the
 * controller. The renderers check it again.
 */
export function checkControllerOnGatewayApi(owner: string, kind: DeliveryKind, plan: ReleasePlan): void {
  const versions = plan.versions.map((name) => ({ name, workload: '', backend: { service: '' } }));
  const model = { versions, stages: plan.stages, policy: plan.policy };
  if (kind === DeliveryKind.FLAGGER) checkFlaggerGatewayApi(owner, model);
  else if (kind === DeliveryKind.ARGO_ROLLOUTS) checkArgoGatewayApi(owner, model);
}
