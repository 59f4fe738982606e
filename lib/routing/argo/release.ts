import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail } from '../../core';
import { compact, manifest } from '../../k8s-object';
import { DeliveryTarget } from '../delivery-target';
import { GatewayApiSettings } from '../gateway-api/api';
import { renderGatewayApiRelease } from '../gateway-api/release';
import { IstioDestinationRules, renderDestinationRules } from '../istio/destination-rule';
import { renderGateway } from '../istio/gateway';
import { renderVirtualServices } from '../istio/virtual-service';
import { ReleaseRouting, RoutedVersion } from '../model';
import { ProgressivePlan, progressivePlan } from '../progressive';
import { renderAppServiceAs } from '../service';
import { VirtualServiceFact } from '../traffic-facts';
import { ARGO_API_VERSION, renderArgoAnalysisTemplates } from './analysis';
import { argoGatewayApiTrafficRouting, checkArgoGatewayApi } from './gateway-api';
import { ArgoSettings } from './model';
import { argoCanarySteps, argoStrategy, checkArgoCanarySteps } from './steps';

/** Everything the Argo Rollouts renderer made of a release's routing model. */
export interface ArgoRelease extends IstioDestinationRules {
  /** The `Rollout` `<name>`. */
  readonly rollout: ApiObject;
  /** `canary`: `setWeight`/`setHeaderRoute`/`setMirrorRoute` steps over Istio subsets (or the Gateway API plugin's HTTPRoutes); `blueGreen`: active and preview Services. */
  readonly strategy: 'canary' | 'blueGreen';
  /** The Services Argo points at one ReplicaSet: `<name>-stable` and `<name>-canary`, or `<name>-preview`. */
  readonly services: readonly ApiObject[];
  /** The background analysis' `AnalysisTemplate`s, if any. */
  readonly analysisTemplates: readonly ApiObject[];
  /** The created Istio Gateway, if any. */
  readonly gateway?: ApiObject;
  /** The gateways the routes are bound to. */
  readonly gateways: readonly string[];
  /** The plan the Rollout walks. */
  readonly plan: ProgressivePlan;
  /** The VirtualService `<name>` (Istio). */
  readonly virtualService?: ApiObject;
  /** The VirtualService `<name>-gateway` (Istio, wildcard gateway host). */
  readonly gatewayVirtualService?: ApiObject;
  /** What the VirtualServices serve (Istio; for the app-wide rules). */
  readonly virtualServiceFacts: readonly VirtualServiceFact[];
  /** The HTTPRoutes (Gateway API): `<name>` (GAMMA) and `<name>-gateway`. */
  readonly httpRoutes: readonly ApiObject[];
}

const TARGET = 'delivery Argo Rollouts';
/** Name of the weighted route Argo Rollouts moves (`trafficRouting.istio.virtualService.routes`). */
export const ARGO_WEIGHTED_ROUTE = 'default';

/** Checks that Argo Rollouts can walk the model's stages, before any object exists. */
export function checkArgoRelease(owner: string, model: Pick<ReleaseRouting, 'versions' | 'stages' | 'sticky'>): ProgressivePlan {
  const plan = progressivePlan(owner, TARGET, model);
  if (model.sticky) {
    fail(owner, `${TARGET}: sticky is set, but Argo Rollouts' Istio traffic routing has no session affinity`, 'drop sticky, or use Delivery.flagger() (sessionAffinity)', 'sticky');
  }
  if (argoStrategy(plan) === 'canary') checkArgoCanarySteps(owner, plan);
  return plan;
}

/**
 * The Argo Rollouts renderer. Canary: Services `<name>-stable` / `<name>-canary`, a DestinationRule
 * `<name>` with subsets `stable` and `canary`, the VirtualService whose `default` route Argo moves
 * (stable 100, canary 0 as rendered), the AnalysisTemplates and the Rollout. Blue/green: Service
 * `<name>-preview` (`<name>` is the active Service), the VirtualService sending the preview stage's
 * matches to `<name>-preview`, the AnalysisTemplates (run before promotion) and the Rollout.
 *
 * With `gatewayApi` (checked by the Gateway API renderer's checks first) the same routing model is
 * rendered as HTTPRoutes over the same Services (lib/routing/gateway-api) and the canary strategy names
 * them through the Argo Rollouts Gateway API plugin (./gateway-api.ts) in place of `trafficRouting.istio`;
 * the steps ({@link argoCanarySteps}) and the analysis are the same.
 */
export function renderArgoRelease(scope: Construct, owner: string, model: ReleaseRouting, target: DeliveryTarget, settings: ArgoSettings,
  gatewayApi?: GatewayApiSettings): ArgoRelease {
  const plan = gatewayApi ? checkArgoGatewayApi(owner, model) : checkArgoRelease(owner, model);
  const strategy = argoStrategy(plan);
  const { app } = model;
  // Gateway API has no subsets: the controller's versions are its Services.
  const version = (name: string, service: string, subset: boolean): RoutedVersion => ({
    name, workload: target.workload, backend: subset && !gatewayApi ? { service: app.name, subset: { name, labels: { ...app.selector } } } : { service },
  });
  const preview = plan.steps[0];
  // The model the Istio / Gateway API renderers read: the controller's stable/canary (or active/preview) in place of the versions.
  const routing: ReleaseRouting = strategy === 'canary'
    ? {
      ...model,
      versions: [version('stable', `${app.name}-stable`, true), version('canary', `${app.name}-canary`, true)],
      stage: { name: model.stages[0].name, weights: { stable: 100, canary: 0 }, routes: [] },
      sticky: undefined,
    }
    : {
      ...model,
      versions: [version('active', app.name, false), version('preview', `${app.name}-preview`, false)],
      stage: { name: preview.name, weights: { active: 100, preview: 0 }, routes: preview.routes.map((r) => ({ ...r, version: 'preview' })) },
      sticky: undefined,
    };
  const services = strategy === 'canary'
    ? [renderAppServiceAs(scope, 'Service-stable', `${app.name}-stable`, model), renderAppServiceAs(scope, 'Service-canary', `${app.name}-canary`, model)]
    : [renderAppServiceAs(scope, 'Service-preview', `${app.name}-preview`, model)];
  const routes: ArgoRoutes = gatewayApi
    ? { destinationRules: [], destinationRuleFacts: [], gateway: undefined, gateways: [], virtualServiceFacts: [],
      httpRoutes: renderGatewayApiRelease(scope, routing, gatewayApi, { keepZeroWeights: strategy === 'canary' }).httpRoutes }
    : renderIstioRoutes(scope, routing, strategy);
  // Istio's request metrics name the Service a request was routed to: `<name>` with subsets, the canary Service with the Gateway API.
  const measured = strategy === 'blueGreen' ? `${app.name}-preview` : gatewayApi ? `${app.name}-canary` : app.name;
  const analysisTemplates = settings.analysis ? renderArgoAnalysisTemplates(scope, model, settings.analysis, measured, plan.canary) : [];
  const templates = analysisTemplates.length ? { templates: analysisTemplates.map((t) => ({ templateName: t.metadata.name! })) } : undefined;
  let rolloutStrategy: object;
  if (strategy === 'canary') {
    const { steps, managedRoutes } = argoCanarySteps(plan, settings.pauseSeconds);
    const vsRef = (name: string) => ({ name, routes: [ARGO_WEIGHTED_ROUTE] });
    rolloutStrategy = {
      canary: compact({
        canaryService: `${app.name}-canary`,
        stableService: `${app.name}-stable`,
        trafficRouting: gatewayApi
          ? argoGatewayApiTrafficRouting(routes.httpRoutes.map((r) => r.metadata.name!), app.namespace, managedRoutes)
          : compact({
            managedRoutes: managedRoutes.map((name) => ({ name })),
            istio: compact({
              virtualService: routes.gatewayVirtualService ? undefined : vsRef(app.name),
              virtualServices: routes.gatewayVirtualService ? [vsRef(app.name), vsRef(`${app.name}-gateway`)] : undefined,
              destinationRule: { name: app.name, stableSubsetName: 'stable', canarySubsetName: 'canary' },
            }),
          }),
        analysis: templates,
        steps: [...steps],
      }),
    };
  } else {
    rolloutStrategy = {
      blueGreen: compact({
        activeService: app.name,
        previewService: `${app.name}-preview`,
        autoPromotionEnabled: settings.pauseSeconds === undefined ? false : undefined,
        autoPromotionSeconds: settings.pauseSeconds,
        prePromotionAnalysis: templates,
      }),
    };
  }
  const rollout = manifest(scope, 'Rollout', ARGO_API_VERSION, 'Rollout', {
    name: app.name,
    labels: app.labels,
    body: {
      spec: compact({
        replicas: target.replicas,
        selector: { matchLabels: { ...app.selector } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target.workload },
        strategy: rolloutStrategy,
      }),
    },
  });
  return { ...routes, rollout, strategy, services, analysisTemplates, plan };
}

/** The routing objects of an {@link ArgoRelease}. */
type ArgoRoutes = Pick<ArgoRelease, 'destinationRules' | 'destinationRuleFacts' | 'gateway' | 'gateways' | 'virtualService' | 'gatewayVirtualService' | 'virtualServiceFacts' | 'httpRoutes'>;

/** The Istio objects Argo moves: the DestinationRule with the subsets, the created Gateway, the VirtualService(s). */
function renderIstioRoutes(scope: Construct, routing: ReleaseRouting, strategy: 'canary' | 'blueGreen'): ArgoRoutes {
  const destinationRules = renderDestinationRules(scope, routing);
  const { gateway, gateways } = renderGateway(scope, routing);
  const virtualServices = renderVirtualServices(scope, routing, gateways, { keepZeroWeights: strategy === 'canary' });
  return { ...destinationRules, ...virtualServices, gateway, gateways, httpRoutes: [] as ApiObject[] };
}
