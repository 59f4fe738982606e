import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../../core';
import { DeliveryTarget } from '../delivery-target';
import { GatewayApiSettings } from '../gateway-api/api';
import { renderGateway } from '../istio/gateway';
import { ReleaseRouting } from '../model';
import { progressivePlan } from '../progressive';
import { FlaggerAnalysis, flaggerAnalysis } from './analysis';
import { renderFlaggerCanary, renderFlaggerMetricTemplates } from './canary';
import { FLAGGER_GATEWAY_API_PROVIDER, checkFlaggerGatewayApi, flaggerGatewayRefs } from './gateway-api';
import { FlaggerSettings } from './model';

/** Everything the Flagger renderer made of a release's routing model. */
export interface FlaggerRelease {
  /** The `Canary` `<name>`. */
  readonly canary: ApiObject;
  /** A `MetricTemplate` per custom check. */
  readonly metricTemplates: readonly ApiObject[];
  /** The created Istio Gateway, if any (Flagger binds its VirtualService to it; it does not create gateways). */
  readonly gateway?: ApiObject;
  /** `service.gateways`: the gateway and `mesh` (empty: mesh only); empty on the Gateway API. */
  readonly gateways: readonly string[];
  /** `service.gatewayRefs` on the Gateway API (empty with Istio). */
  readonly gatewayRefs: readonly object[];
  /** The analysis the stages map to. */
  readonly analysis: FlaggerAnalysis;
}

/**
 * Checks that Flagger can walk the model's stages and runs with its options, before any object exists
 * (the construct calls it from its constructor). Returns the analysis.
 */
export function checkFlaggerRelease(owner: string, model: Pick<ReleaseRouting, 'versions' | 'stages' | 'attachment'>): FlaggerAnalysis {
  const analysis = flaggerAnalysis(owner, progressivePlan(owner, 'delivery Flagger', model));
  const wildcard = model.attachment.gatewayHosts.find((h) => h.startsWith('*'));
  if (wildcard) {
    fail(owner, `delivery Flagger: gateway host ${show(wildcard)} is a wildcard, and Flagger's one VirtualService binds its hosts to the gateway and to mesh, where a wildcard captures in-mesh calls to every matching host`,
      'list the exact hosts the gateway serves for this app', 'gateway');
  }
  return analysis;
}

/**
 * The Flagger renderer: the created Istio Gateway (if any), the MetricTemplates and the Canary, under
 * `scope` in that order. Flagger owns and generates the rest (see {@link renderFlaggerCanary}). With
 * `gatewayApi` (checked by the Gateway API renderer's checks first) the Canary takes the Gateway API
 * provider and `gatewayRefs` (./gateway-api.ts), and no Istio Gateway is created.
 */
export function renderFlaggerRelease(scope: Construct, owner: string, model: ReleaseRouting, target: DeliveryTarget, settings: FlaggerSettings,
  gatewayApi?: GatewayApiSettings): FlaggerRelease {
  const templateNames = (templates: readonly ApiObject[]) => templates.map((t) => t.metadata.name!);
  if (gatewayApi) {
    const analysis = checkFlaggerGatewayApi(owner, model);
    const gatewayRefs = flaggerGatewayRefs(model, gatewayApi);
    const metricTemplates = renderFlaggerMetricTemplates(scope, model, settings);
    const canary = renderFlaggerCanary(scope, model, target, settings, analysis, { provider: FLAGGER_GATEWAY_API_PROVIDER, gatewayRefs }, templateNames(metricTemplates));
    return { canary, metricTemplates, gateway: undefined, gateways: [], gatewayRefs, analysis };
  }
  const analysis = checkFlaggerRelease(owner, model);
  const { gateway, gateways } = renderGateway(scope, model);
  const metricTemplates = renderFlaggerMetricTemplates(scope, model, settings);
  const canary = renderFlaggerCanary(scope, model, target, settings, analysis, { provider: 'istio', gateways }, templateNames(metricTemplates));
  return { canary, metricTemplates, gateway, gateways, gatewayRefs: [], analysis };
}
