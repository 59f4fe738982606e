import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  toJson_VirtualServiceSpecHttpCorsPolicy, toJson_VirtualServiceSpecHttpHeaders, toJson_VirtualServiceSpecHttpRetries,
  toJson_VirtualServiceSpecHttpRewrite,
} from '../../../imports/networking.istio.io';
import { Json, compact, manifest } from '../../k8s-object';
import { DeliveryTarget } from '../delivery-target';
import { gatewayDuration } from '../gateway-api/http-route';
import { istioDuration, httpMatchRequest } from '../istio/virtual-service';
import { ReleaseRouting } from '../model';
import { FlaggerAnalysis } from './analysis';
import { FLAGGER_GATEWAY_API_PROVIDER } from './gateway-api';
import { FlaggerSettings } from './model';

/** The API version of Flagger's kinds. */
export const FLAGGER_API_VERSION = 'flagger.app/v1beta1';

/**
 * The Flagger `Canary` of a release: `targetRef` the workload, `autoscalerRef` its HPA, `service` the
 * app's port, gateways and hosts (Flagger then creates the `<name>`, `<name>-primary` and `<name>-canary`
 * Services, the `<name>-primary` Deployment, the VirtualService `<name>` and the DestinationRules, which
 * are therefore not rendered here), and `analysis` from the declared stages.
 *
 * With the Gateway API (`attachment.provider` `gatewayapi:v1`) the Canary names `service.gatewayRefs`
 * (the parents of the HTTPRoute `<name>` Flagger generates, see ./gateway-api.ts) in place of
 * `gateways`, its `timeout` is a Gateway API duration, and the Istio-only fields (trafficPolicy, retries,
 * corsPolicy, rewrite: refused before rendering) are absent; `analysis` is the same.
 * @see https://docs.flagger.app/usage/how-it-works
 */
export function renderFlaggerCanary(scope: Construct, model: ReleaseRouting, target: DeliveryTarget, settings: FlaggerSettings,
  analysis: FlaggerAnalysis, attachment: FlaggerAttachment, metricTemplates: readonly string[]): ApiObject {
  const { app, policy } = model;
  const gatewayApi = attachment.provider === FLAGGER_GATEWAY_API_PROVIDER;
  const gateways = attachment.provider === 'istio' ? attachment.gateways : [];
  const service = compact({
    port: app.port.port,
    targetPort: app.port.name,
    portDiscovery: app.ports.length > 1 ? true : undefined,
    gateways: gateways.length ? [...gateways] : undefined,
    gatewayRefs: attachment.provider === FLAGGER_GATEWAY_API_PROVIDER ? [...attachment.gatewayRefs] : undefined,
    hosts: model.attachment.gatewayHosts.length ? [...model.attachment.gatewayHosts] : undefined,
    trafficPolicy: gatewayApi ? undefined : model.istio.trafficPolicy,
    timeout: policy.timeoutMillis === undefined ? undefined : gatewayApi ? gatewayDuration(policy.timeoutMillis) : istioDuration(policy.timeoutMillis),
    retries: policy.retries && !gatewayApi ? toJson_VirtualServiceSpecHttpRetries(policy.retries) : undefined,
    corsPolicy: policy.cors && !gatewayApi ? toJson_VirtualServiceSpecHttpCorsPolicy(policy.cors) : undefined,
    headers: policy.headers ? toJson_VirtualServiceSpecHttpHeaders(policy.headers) : undefined,
    rewrite: policy.rewrite && !gatewayApi ? toJson_VirtualServiceSpecHttpRewrite(policy.rewrite) : undefined,
  });
  const interval = `${settings.intervalSeconds}s`;
  const metrics: Json[] = [
    { name: 'request-success-rate', interval, thresholdRange: { min: settings.successRatePercent } },
    { name: 'request-duration', interval, thresholdRange: { max: settings.maxLatencyMillis } },
    ...settings.metrics.map((m, i) => compact({ name: m.name, interval, templateRef: { name: metricTemplates[i] }, thresholdRange: compact({ min: m.min, max: m.max }) })),
  ];
  const webhooks: Json[] = [];
  if (settings.confirmPromotionUrl) webhooks.push({ name: 'confirm-promotion', type: 'confirm-promotion', url: settings.confirmPromotionUrl });
  if (settings.loadTest) webhooks.push({ name: 'load-test', type: 'rollout', url: settings.loadTest.url, timeout: '5s', metadata: { cmd: settings.loadTest.cmd } });
  const sticky = model.sticky;
  const spec = compact({
    provider: attachment.provider,
    progressDeadlineSeconds: settings.progressDeadlineSeconds,
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.workload },
    autoscalerRef: target.autoscaler ? { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: target.autoscaler } : undefined,
    service,
    analysis: compact({
      interval,
      threshold: settings.threshold,
      stepWeights: analysis.kind === 'canary' ? [...analysis.stepWeights] : undefined,
      iterations: analysis.kind === 'canary' ? undefined : settings.iterations,
      match: analysis.kind === 'ab' ? analysis.match.map(httpMatchRequest) : undefined,
      mirror: analysis.kind === 'blueGreen' && analysis.mirrorPercent !== undefined ? true : undefined,
      // Flagger's Gateway API router mirrors every request: no mirrorWeight (a share below 100% is refused).
      mirrorWeight: analysis.kind === 'blueGreen' && !gatewayApi ? analysis.mirrorPercent : undefined,
      // Flagger's session affinity keeps users on the canary they got while the weights are split.
      sessionAffinity: sticky && analysis.kind === 'canary' ? { cookieName: sticky.cookie, maxAge: sticky.maxAgeSeconds } : undefined,
      metrics,
      webhooks: webhooks.length ? webhooks : undefined,
    }),
  });
  return manifest(scope, 'Canary', FLAGGER_API_VERSION, 'Canary', { name: app.name, labels: app.labels, body: { spec } });
}

/** Where Flagger's routes attach: Istio `service.gateways`, or Gateway API `service.gatewayRefs`. */
export type FlaggerAttachment =
  | { readonly provider: 'istio'; readonly gateways: readonly string[] }
  | { readonly provider: typeof FLAGGER_GATEWAY_API_PROVIDER; readonly gatewayRefs: readonly Json[] };

/** A `MetricTemplate` `<app>-<check>` per custom Prometheus check, in order. */
export function renderFlaggerMetricTemplates(scope: Construct, model: ReleaseRouting, settings: FlaggerSettings): ApiObject[] {
  return settings.metrics.map((m) => manifest(scope, `MetricTemplate-${m.name}`, FLAGGER_API_VERSION, 'MetricTemplate', {
    name: `${model.app.name}-${m.name}`,
    labels: model.app.labels,
    body: { spec: { provider: { type: 'prometheus', address: m.address }, query: m.query } },
  }));
}
