import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkUniqueObjects, namespaceOf, withChildSlots } from '../k8s-object';
import { fail, toDnsLabel, validateDns1035 } from '../core';
import { ResolvedPort, WebApp } from '../web-app';
import { IstioApiVersion } from '../routing/istio/api-version';
import { checkGatewayApiRelease } from '../routing/gateway-api/check';
import { renderGatewayApiRelease } from '../routing/gateway-api/release';
import { renderIstioRelease } from '../routing/istio/release';
import { renderAppService } from '../routing/service';
import { DESTINATION_RULES, VIRTUAL_SERVICES } from '../routing/traffic-facts';
import { AppRegistry } from '../registry';
import { CanaryStage } from './plan';
import { CanaryMode, CanaryReleaseProps } from './props';
import { completeRelease, planRelease } from './routing';
import { checkSharedGatewayHosts } from './shared-hosts';
import { checkSharedRouteHostnames } from './shared-route-hostnames';
import { gatewayApiSettings } from './gateway-api';
import { TrafficApi } from './traffic-api';
import { allowGatewayIn } from './network';

/**
 * A canary or blue/green release on Istio, rendered one stage at a time: a Deployment per version,
 * one Service, a DestinationRule whose subsets come from the versions' labels, a VirtualService with
 * the stage's match routes and weights (plus an optional Gateway). Everything is derived from the
 * version list, so subsets, labels and routes cannot drift; bad stages fail at synth time.
 * With `trafficApi: TrafficApi.gatewayApi(...)` the same declaration renders as Kubernetes Gateway API
 * HTTPRoutes over a Service per version instead.
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
  /** The Service `<name>` over every version. */
  public readonly service: ApiObject;
  /** The traffic API the routes are rendered with. */
  public readonly trafficApi: TrafficApi;
  /** The DestinationRules: `<name>` with the subsets (SUBSETS), or one per release Service when trafficPolicy is set (SERVICES); none with the Gateway API. */
  public readonly destinationRules: readonly ApiObject[];
  /**
   * The VirtualService `<name>`: the Service and the gateway hosts, bound to the gateway and `mesh`; or,
   * when a gateway host is a wildcard, the Service only, bound to `mesh` (see {@link gatewayVirtualService}).
   * `undefined` with the Gateway API (see {@link httpRoutes}).
   */
  public readonly virtualService?: ApiObject;
  /**
   * The HTTPRoutes (Gateway API only): `<name>` attached to the Service `<name>` for in-mesh callers
   * (GAMMA, unless `mesh: false`), then `<name>-gateway` attached to the Gateway with the hostnames.
   * Empty with Istio.
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
    const gatewayApi = this.trafficApi.api === 'gateway-api' ? gatewayApiSettings(owner, this.trafficApi.gatewayApiOptions ?? {}) : undefined;

    // props → the routing model, checked before any workload exists
    const plan = planRelease(owner, { name: this.name, namespace: this.namespace, mode: this.mode, apiVersion: this.apiVersion }, props);
    this.stages = plan.declaredStages;
    this.stage = plan.declaredStage;
    this.weights = plan.stage.weights;
    if (gatewayApi) checkGatewayApiRelease(owner, plan, gatewayApi);

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
      this.gateways = [...(routing.attachment.gateway?.kind === 'existing' ? [routing.attachment.gateway.ref] : []), ...(gatewayApi.mesh ? ['mesh'] : [])];
      if (gatewayApi.gateway) {
        const gw = gatewayApi.gateway;
        checkSharedRouteHostnames(this, { owner, gateway: `${gw.namespace ?? this.namespace ?? '(context)'}/${gw.name}`, hostnames: routing.attachment.gatewayHosts });
      }
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

  /** Every stage's name, in order. */
  public get stageNames(): string[] {
    return this.stages.map((s) => s.name);
  }

  /** The DestinationRule `<name>` (SUBSETS mode), if any. */
  public get destinationRule(): ApiObject | undefined {
    return this.mode === CanaryMode.SUBSETS ? this.destinationRules[0] : undefined;
  }
}
