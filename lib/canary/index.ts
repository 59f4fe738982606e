/**
 * CanaryRelease's public API. The construct turns its props into the routing model (lib/routing/model.ts)
 * and hands it to the Istio renderer (lib/routing/istio/); the model and the renderers stay internal.
 */
export { IstioApiVersion } from '../routing/istio/api-version';
export { MAX_REGEX_LENGTH, checkRe2 } from '../routing/re2';
export { RouteMatch, StringMatch } from '../routing/match';
export { CanaryRelease } from './canary-release';
export {
  type ArgoRolloutsDeliveryOptions, Delivery, DeliveryKind, type FlaggerDeliveryOptions, type FlaggerLoadTestOptions, type PrometheusMetricOptions,
} from './delivery';
export { CanaryGateway, type CanaryGatewayOptions } from './gateway';
export { type BlueGreenPlanOptions, type CanaryMirror, CanaryPlan, type CanaryRoute, type CanaryStage, type ProgressivePlanOptions } from './plan';
export { CanaryMode, type CanaryReleaseProps, type CanaryStickyOptions, type CanaryVersion } from './props';
export { type GatewayApiOptions, TrafficApi } from './traffic-api';
