import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkUniqueObjects, namespaceOf, withChildSlots } from '../k8s-object';
import { fail, recommendedLabels, show, toDnsLabel, validateDns1035 } from '../core';
import { DisruptionBudget, ResolvedPort, WebApp } from '../web-app';
import { renderArgoRelease } from '../routing/argo/release';
import { renderFlaggerRelease } from '../routing/flagger/release';
import { IstioApiVersion } from '../routing/istio/api-version';
import { GatewayApiSettings } from '../routing/gateway-api/api';
import { checkGatewayApiRelease } from '../routing/gateway-api/check';
import { renderGatewayApiRelease } from '../routing/gateway-api/release';
import { renderIstioRelease } from '../routing/istio/release';
import { ReleaseRouting } from '../routing/model';
import { progressivePlan } from '../routing/progressive';
import { renderAppService } from '../routing/service';
import { DESTINATION_RULES, VIRTUAL_SERVICES } from '../routing/traffic-facts';
import { AppRegistry } from '../registry';
import { Delivery, DeliveryKind, argoSettings, flaggerSettings } from './delivery';
import { CanaryStage } from './plan';
import { CanaryMode, CanaryReleaseProps } from './props';
import { ReleasePlan, completeRelease, planRelease } from './routing';
import { checkControllerOnGatewayApi } from './controller-gateway-api';
import { controllerBudget, renderControllerPdb } from './controller-pdb';
import { checkSharedGatewayHosts } from './shared-hosts';
import { checkSharedRouteHostnames } from './shared-route-hostnames';
import { gatewayApiSettings } from './gateway-api';
import { TrafficApi } from './traffic-api';
import { allowGatewayIn } from './network';

/** How errors name the controller of a delivery (`undefined` for the static delivery). */
function controllerName(kind: DeliveryKind): string | undefined {
  if (kind === DeliveryKind.FLAGGER) return 'delivery Flagger';
  return kind === DeliveryKind.ARGO_ROLLOUTS ? 'delivery Argo Rollouts' : undefined;
}

/**
 * A canary or blue/green release on Istio, rendered one stage at a time: a Deployment per version,
 * one Service, a DestinationRule whose subsets come from the versions' labels, a VirtualService with
 * the stage's match routes and weights (plus an optional Gateway). Everything is derived from the
 * version list, so subsets, labels and routes cannot drift; bad stages fail at synth time.
 * With `trafficApi: TrafficApi.gatewayApi(...)` the same declaration renders as Kubernetes Gateway API
 * HTTPRoutes over a Service per version instead.
 *
 * With `delivery: Delivery.flagger()` or `Delivery.argoRollouts()` a controller walks the same stages
 * instead (see {@link CanaryReleaseProps.delivery}): the release renders one Deployment `<name>` (the new
 * version's pod spec) and a Flagger `Canary` (Flagger then creates the Services, the `-primary`
 * Deployment, the VirtualService and the DestinationRules itself, so they are not rendered), or an Argo
 * `Rollout` with the Services, DestinationRule subsets, VirtualService and AnalysisTemplates it uses.
 * With `TrafficApi.gatewayApi(...)` too: Flagger's Canary names the Gateway API parents (`gatewayRefs`)
 * and generates its HTTPRoute; the Rollout moves the release's HTTPRoutes through the Argo Rollouts
 * Gateway API plugin.
 *
 * @example
 * new CanaryRelease(chart, 'shop', {
 *   versions: [{ name: 'v1', image: 'shop:1.0' }, { name: 'v2', image: 'shop:2.0' }],
 *   port: 8080,
 *   plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 50] }),
 *   // stage from CANARY_STAGE: `CANARY_STAGE=canary-10 npm run synth`
 * });
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class CanaryRelease extends Construct {
  /** Name of the Service, DestinationRule and VirtualService. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** @see CanaryMode */
  public readonly mode: CanaryMode;
  /** The Istio API version. */
  public readonly apiVersion: IstioApiVersion;
  /** Every stage, in order. */
  public readonly stages: readonly CanaryStage[];
  /** The rendered stage. */
  public readonly stage: CanaryStage;
  /** The rendered stage's weights per version (0 for versions it leaves out). */
  public readonly weights: Readonly<Record<string, number>>;
  /** The workload of each version, by version name. */
  public readonly workloads: Readonly<Record<string, WebApp>>;
  /** Who moves the stages. */
  public readonly delivery: Delivery;
  /** The traffic API the routes are rendered with. */
  public readonly trafficApi: TrafficApi;
  /** The Service `<name>` over every version (Argo Rollouts: its DestinationRule host, or the active Service); none with Flagger, which creates it. */
  public readonly service?: ApiObject;
  /** The DestinationRules: `<name>` with the subsets (SUBSETS), or one per release Service when trafficPolicy is set (SERVICES); none with the Gateway API. */
  public readonly destinationRules: readonly ApiObject[];
  /**
   * The VirtualService `<name>`: the Service and the gateway hosts, bound to the gateway and `mesh`; or,
   * when a gateway host is a wildcard, the Service only, bound to `mesh` (see {@link gatewayVirtualService}).
   * `undefined` with the Gateway API (see {@link httpRoutes}), and with Flagger, which creates and moves its own.
   */
  public readonly virtualService?: ApiObject;
  /**
   * The HTTPRoutes (Gateway API only): `<name>` attached to the Service `<name>` for in-mesh callers
   * (GAMMA, unless `mesh: false`), then `<name>-gateway` attached to the Gateway with the hostnames
   * (with Argo Rollouts: over `<name>-stable` / `<name>-canary`, moved by its Gateway API plugin).
   * Empty with Istio, and with Flagger, which generates its own.
   */
  public readonly httpRoutes: readonly ApiObject[];
  /**
   * The VirtualService `<name>-gateway`, rendered only when a gateway host is a wildcard (`*.example.com`):
   * the same routes for the gateway hosts, bound to the gateway alone. A wildcard host in a VirtualService
   * bound to `mesh` would capture every in-mesh call to a matching host (`partner.example.com`).
   */
  public readonly gatewayVirtualService?: ApiObject;
  /** The Gateway, when created with {@link CanaryGateway.create}. */
  public readonly gateway?: ApiObject;
  /** The hosts the release is served on: the Service, then the gateway hosts. */
  public readonly hosts: readonly string[];
  /** The gateways the routes are bound to: the gateway and `mesh` (empty: mesh only). */
  public readonly gateways: readonly string[];
  /** The HTTP port the VirtualService routes to. */
  public readonly port: ResolvedPort;
  /** The Flagger `Canary` `<name>` ({@link Delivery.flagger}). */
  public readonly flaggerCanary?: ApiObject;
  /** The Argo Rollouts `Rollout` `<name>` ({@link Delivery.argoRollouts}). */
  public readonly rollout?: ApiObject;
  /**
   * The controller's analysis objects: Flagger `MetricTemplate`s (one per custom metric) or Argo Rollouts
   * `AnalysisTemplate`s (success rate and latency, with a Prometheus address). Empty for the static delivery.
   */
  public readonly analysisTemplates: readonly ApiObject[];
  /** The Services Argo Rollouts points at one ReplicaSet: `<name>-stable` and `<name>-canary`, or `<name>-preview` (blue/green). */
  public readonly controllerServices: readonly ApiObject[];

  public constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    this.name = props.name ?? toDnsLabel(id);
    const owner = `CanaryRelease '${this.name}'`;
    validateDns1035(owner, 'name', this.name);
    this.namespace = namespaceOf(this);
    this.mode = props.mode ?? CanaryMode.SUBSETS;
    this.apiVersion = props.apiVersion ?? IstioApiVersion.V1;
    if (props.trafficApi !== undefined && !(props.trafficApi instanceof TrafficApi)) {
      fail(owner, 'trafficApi is not a TrafficApi', 'use TrafficApi.istio() or TrafficApi.gatewayApi({...})', 'trafficApi');
    }
    this.trafficApi = props.trafficApi ?? TrafficApi.istio();
    const gatewayApi = this.trafficApi.api === 'gateway-api' ? gatewayApiSettings(owner, this.trafficApi.gatewayApiOptions ?? {}, props.plan?.hosts) : undefined;
    this.delivery = props.delivery ?? Delivery.static();
    if (!(this.delivery instanceof Delivery)) fail(owner, `delivery ${show(String(props.delivery))} is not a Delivery`, 'use Delivery.static(), Delivery.flagger() or Delivery.argoRollouts()', 'delivery');
    const controller = controllerName(this.delivery.kind);
    if (controller !== undefined && this.mode !== CanaryMode.SUBSETS) {
      fail(owner, `${controller} runs the versions as one workload, so mode ${show(this.mode)} (a Deployment and Service per version) cannot apply`, 'drop mode (CanaryMode.SUBSETS)', 'mode');
    }

    // props → the routing model, checked before any workload exists
    const plan = planRelease(owner, { name: this.name, namespace: this.namespace, mode: this.mode, apiVersion: this.apiVersion, controller }, props);
    this.stages = plan.declaredStages;
    this.stage = plan.declaredStage;
    this.weights = plan.stage.weights;
    if (gatewayApi) {
      // What the controller's own HTTPRoute handling cannot honour first, then what the Gateway API cannot express.
      if (controller !== undefined) checkControllerOnGatewayApi(owner, this.delivery.kind, plan);
      checkGatewayApiRelease(owner, plan, gatewayApi);
    }
    if (controller !== undefined) {
      const result = this.renderController(owner, controller, plan, props, gatewayApi);
      this.workloads = result.workloads;
      this.port = result.port;
      this.service = result.service;
      this.destinationRules = result.destinationRules;
      this.gateway = result.gateway;
      this.gateways = result.gateways;
      this.hosts = result.hosts;
      this.virtualService = result.virtualService;
      this.gatewayVirtualService = result.gatewayVirtualService;
      this.flaggerCanary = result.flaggerCanary;
      this.rollout = result.rollout;
      this.analysisTemplates = result.analysisTemplates;
      this.controllerServices = result.controllerServices;
      this.httpRoutes = result.httpRoutes;
      return;
    }
    this.analysisTemplates = [];
    this.controllerServices = [];

    // ---- workloads
    const workloads: Record<string, WebApp> = {};
    for (const v of props.versions) {
      const { name: version, ...options } = v;
      workloads[version] = new WebApp(this, version, {
        ...options,
        name: this.mode === CanaryMode.SUBSETS ? `${this.name}-${version}` : version,
        appLabel: this.name,
        version,
        selectVersion: true,
        partOf: props.partOf,
        port: props.port,
        ports: props.ports,
        createService: plan.versionServices,
      });
    }
    this.workloads = workloads;
    this.port = workloads[plan.versions[0]].ports[0];
    const routing = completeRelease(plan, workloads);
    allowGatewayIn(Object.values(workloads), routing, gatewayApi, this.namespace);

    // the model → objects
    this.service = renderAppService(this, routing);
    this.hosts = [routing.attachment.meshHost, ...routing.attachment.gatewayHosts];
    if (gatewayApi) {
      this.httpRoutes = renderGatewayApiRelease(this, routing, gatewayApi).httpRoutes;
      this.destinationRules = [];
      this.gateways = this.gatewayApiGateways(routing, gatewayApi);
      this.checkRouteHostnames(owner, gatewayApi, [...routing.attachment.gatewayHosts, ...(gatewayApi.hostRoutes ?? [])]);
      return;
    }
    this.httpRoutes = [];
    const istio = renderIstioRelease(this, routing);
    this.destinationRules = istio.destinationRules;
    this.gateway = istio.gateway;
    this.gateways = istio.gateways;
    this.virtualService = istio.virtualService;
    this.gatewayVirtualService = istio.gatewayVirtualService;

    // What the app-wide rules read: the routing objects, from the model (so nothing is rendered to check them).
    const registry = AppRegistry.of(this);
    for (const fact of istio.virtualServiceFacts) registry.register(VIRTUAL_SERVICES, this, fact);
    for (const fact of istio.destinationRuleFacts) registry.register(DESTINATION_RULES, this, fact);
    if (routing.attachment.gatewayHosts.length) {
      checkSharedGatewayHosts(this, { owner, gatewayHosts: routing.attachment.gatewayHosts, virtualServices: [this.virtualService, this.gatewayVirtualService] });
    }
  }

  /**
   * Flagger / Argo Rollouts: one WebApp `<name>` (id: the new version's name) with the new version's
   * options, then the controller's objects from the routing model.
   */
  private renderController(owner: string, controller: string, plan: ReleasePlan, props: CanaryReleaseProps, gatewayApi: GatewayApiSettings | undefined) {
    const argo = this.delivery.kind === DeliveryKind.ARGO_ROLLOUTS;
    // What the controller can walk, checked before the workload exists (the renderers check it again).
    const stub = plan.versions.map((name) => ({ name, workload: '', backend: { service: '' } }));
    const { canary } = progressivePlan(owner, controller, { versions: stub, stages: plan.stages });
    const settings = argo ? argoSettings(this.delivery.argoRolloutsOptions ?? {}) : flaggerSettings(this.delivery.flaggerOptions ?? {});
    const { name: version, ...options } = props.versions.find((v) => v.name === canary)!;
    if (argo && options.autoscaling !== undefined) {
      fail(owner, `${controller}: version ${show(version)} has autoscaling, but its HorizontalPodAutoscaler would scale the Deployment the Rollout keeps at 0`,
        `give version '${version}' fixed replicas, or use Delivery.flagger() (autoscalerRef)`, 'versions');
    }
    const scaling = options.autoscaling;
    const budget = controllerBudget(owner, { name: version, ...options }, scaling && !argo
      ? { min: scaling.minReplicas ?? 2, max: scaling.maxReplicas } : { min: options.replicas ?? 2, max: options.replicas ?? 2 });
    const webApp = new WebApp(this, version, {
      ...options,
      // The release renders the budget, over the pods the controller runs (see controller-pdb.ts).
      disruptionBudget: DisruptionBudget.none(),
      // Argo Rollouts runs the pods from the Deployment's template (workloadRef) and owns the replicas.
      replicas: argo ? 0 : options.replicas,
      name: this.name,
      appLabel: this.name,
      version,
      selectVersion: false,
      partOf: props.partOf,
      port: props.port,
      ports: props.ports,
      createService: false,
    });
    const routing = completeRelease(plan, Object.fromEntries(plan.versions.map((v) => [v, webApp])));
    // The controller's pods (Argo: the Rollout's, from this template; Flagger: the canary's) admit the gateway and mesh callers.
    allowGatewayIn([webApp], routing, gatewayApi, this.namespace);
    renderControllerPdb(this, this.name, recommendedLabels({ name: this.name, version, partOf: props.partOf }), budget, argo ? routing.app.selector : { 'app.kubernetes.io/name': this.name });
    const target = { workload: webApp.name, autoscaler: webApp.horizontalPodAutoscaler ? webApp.name : undefined, replicas: argo ? options.replicas ?? 2 : undefined };
    const registry = AppRegistry.of(this);
    const common = { workloads: { [version]: webApp }, port: webApp.ports[0], hosts: [routing.attachment.meshHost, ...routing.attachment.gatewayHosts] };
    if (!argo) {
      const flagger = renderFlaggerRelease(this, owner, routing, target, settings as ReturnType<typeof flaggerSettings>, gatewayApi);
      if (gatewayApi) this.checkRouteHostnames(owner, gatewayApi, routing.attachment.gatewayHosts);
      else if (routing.attachment.gatewayHosts.length) checkSharedGatewayHosts(this, { owner, gatewayHosts: routing.attachment.gatewayHosts, virtualServices: [] });
      return {
        ...common, service: undefined, destinationRules: [], gateway: flagger.gateway, gateways: gatewayApi ? this.gatewayApiGateways(routing, gatewayApi) : flagger.gateways, virtualService: undefined,
        gatewayVirtualService: undefined, flaggerCanary: flagger.canary, rollout: undefined, analysisTemplates: flagger.metricTemplates, controllerServices: [], httpRoutes: [],
      };
    }
    const service = renderAppService(this, routing);
    const out = renderArgoRelease(this, owner, routing, target, settings as ReturnType<typeof argoSettings>, gatewayApi);
    for (const fact of out.virtualServiceFacts) registry.register(VIRTUAL_SERVICES, this, fact);
    for (const fact of out.destinationRuleFacts) registry.register(DESTINATION_RULES, this, fact);
    if (gatewayApi) this.checkRouteHostnames(owner, gatewayApi, routing.attachment.gatewayHosts);
    else if (routing.attachment.gatewayHosts.length) {
      checkSharedGatewayHosts(this, { owner, gatewayHosts: routing.attachment.gatewayHosts, virtualServices: [out.virtualService, out.gatewayVirtualService] });
    }
    return {
      ...common, service, destinationRules: out.destinationRules, gateway: out.gateway, gateways: gatewayApi ? this.gatewayApiGateways(routing, gatewayApi) : out.gateways,
      virtualService: out.virtualService, gatewayVirtualService: out.gatewayVirtualService, flaggerCanary: undefined, rollout: out.rollout, analysisTemplates: out.analysisTemplates,
      controllerServices: out.services, httpRoutes: out.httpRoutes,
    };
  }

  /** With the Gateway API: the Gateway's reference, then `mesh` (GAMMA). */
  private gatewayApiGateways(routing: ReleaseRouting, gatewayApi: GatewayApiSettings): string[] {
    return [...(routing.attachment.gateway?.kind === 'existing' ? [routing.attachment.gateway.ref] : []), ...(gatewayApi.mesh ? ['mesh'] : [])];
  }

  /** The app-wide rule on HTTPRoute hostnames per Gateway (whoever renders the HTTPRoute: this release or its controller). */
  private checkRouteHostnames(owner: string, gatewayApi: GatewayApiSettings, hostnames: readonly string[]): void {
    const gw = gatewayApi.gateway;
    if (gw) checkSharedRouteHostnames(this, { owner, gateway: `${gw.namespace ?? this.namespace ?? '(context)'}/${gw.name}`, hostnames });
  }

  /** Every stage's name, in order. */
  public get stageNames(): string[] {
    return this.stages.map((s) => s.name);
  }

  /** The DestinationRule `<name>` (SUBSETS mode), if any. */
  public get destinationRule(): ApiObject | undefined {
    return this.mode === CanaryMode.SUBSETS ? this.destinationRules[0] : undefined;
  }
}
