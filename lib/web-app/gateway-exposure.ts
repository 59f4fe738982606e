// WebApp.exposeViaGateway: the app's Service behind a Gateway API Gateway. The options are checked into
// the routing layer's ServiceExposure (lib/routing/gateway-api/exposure.ts), which renders the HTTPRoute
// (and the ReferenceGrant a route in the Gateway's namespace needs); the WebApp adds the Gateway's
// proxies as an ingress peer of its NetworkPolicy.
import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { OBJECT_NAME_FIX, fail, isDns1123Subdomain, show } from '../core';
import { PathType } from '../k8s';
import { IGateway, gatewayParent } from '../gateway/gateway';
import { GatewayParent } from '../routing/gateway-api/api';
import { renderBackendGrant } from '../routing/gateway-api/backend-grant';
import { ExposurePath, ServiceExposure, checkServiceExposure, exposureRouteSpec, validateGatewayPath } from '../routing/gateway-api/exposure';
import { validateRouteHostnames } from '../routing/gateway-api/hostnames';
import { renderRouteObject } from '../routing/gateway-api/http-route';
import { validateSectionName } from '../routing/gateway-api/parent-ref';
import { NetworkPeer } from './network-peer';

/** Where the HTTPRoute of {@link WebApp.exposeViaGateway} lives. */
export enum RoutePlacement {
  /**
   * In the app's namespace: the Gateway's listener must admit routes from it (`allowedRoutes`
   * `RouteNamespaces.all()` or a selector matching it, or the Gateway is in the app's namespace). No
   * ReferenceGrant is needed: the route and the Service share a namespace.
   */
  APP_NAMESPACE = 'app',
  /**
   * In the Gateway's namespace, for a listener that admits only routes of its own namespace (the
   * Gateway API default, `RouteNamespaces.same()`): the route names the Service in the app's namespace,
   * and a ReferenceGrant there (`<name>-from-<gateway namespace>`) allows that reference.
   */
  GATEWAY_NAMESPACE = 'gateway',
}

/** Options of {@link WebApp.exposeViaGateway}. */
export interface GatewayExposureOptions {
  /** The Gateway: a {@link Gateway} of this app (checked against its listeners) or `Gateway.fromGatewayName(name, namespace)`. */
  readonly gateway: IGateway;
  /**
   * Attach to this listener only (`parentRefs[].sectionName`), e.g. `'https'` so that the app is not
   * served on plain HTTP. @default - every listener of the Gateway that accepts the route
   */
  readonly sectionName?: string;
  /**
   * The route's hostnames (DNS names or `*.example.com`); each must be accepted by a listener of the
   * Gateway. @default - every hostname the listeners accept
   */
  readonly hostnames?: string[];
  /** URL path; must start with '/'. @default '/' */
  readonly path?: string;
  /**
   * How the path matches: `PREFIX` (path segments, as an Ingress `Prefix`: `/api` matches `/api/x`, not
   * `/apix`) or `EXACT`. `IMPLEMENTATION_SPECIFIC` has no Gateway API counterpart.
   * @default PathType.PREFIX
   */
  readonly pathType?: PathType;
  /** Where the HTTPRoute lives. @default RoutePlacement.APP_NAMESPACE */
  readonly routePlacement?: RoutePlacement;
  /**
   * Who the Gateway's proxies connect to the pods as, allowed by the app's NetworkPolicy when its
   * ingress is isolated ({@link WebApp.isolate} / {@link WebApp.allowFrom}; an app that is not isolated
   * gets no NetworkPolicy from this). Istio and NGINX Gateway Fabric run a Gateway's proxies in the
   * Gateway's namespace; Envoy Gateway runs them in `envoy-gateway-system` unless deployed in
   * Gateway-namespace mode, so pass `NetworkPeer.namespace('envoy-gateway-system')` there.
   * @default NetworkPeer.namespace(<the Gateway's namespace>) (all pods of the app's namespace when neither namespace is known)
   */
  readonly gatewayPeer?: NetworkPeer;
}

/** The app as the exposure sees it. */
export interface ExposedApp {
  /** The WebApp (objects are created in it). */
  readonly scope: Construct;
  /** `WebApp '<name>'`. */
  readonly owner: string;
  /** The Service's name (and the route's). */
  readonly name: string;
  /** The app's namespace. */
  readonly namespace: string | undefined;
  /** Labels of the objects. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Service port routed to. */
  readonly servicePort: number;
}

/** The path as an HTTPRoute path match, checked as the HTTPRoute CRD's CEL rules check it. */
function exposurePath(owner: string, options: GatewayExposureOptions): ExposurePath {
  const value = validateGatewayPath(owner, 'exposeViaGateway path', options.path ?? '/');
  const pathType = options.pathType ?? PathType.PREFIX;
  if (pathType === PathType.IMPLEMENTATION_SPECIFIC) {
    fail(owner, `exposeViaGateway pathType ${show(pathType)} has no Gateway API counterpart (an HTTPRoute matches PathPrefix, Exact or RegularExpression)`, 'use PathType.PREFIX or PathType.EXACT');
  }
  if (pathType !== PathType.PREFIX && pathType !== PathType.EXACT) fail(owner, `exposeViaGateway pathType ${show(pathType)} is not a PathType`, 'use PathType.PREFIX or PathType.EXACT');
  return { type: pathType === PathType.EXACT ? 'Exact' : 'PathPrefix', value };
}

/** The HTTPRoute (and ReferenceGrant) of one WebApp's exposure through a Gateway, filled by each exposeViaGateway call. */
export class GatewayExposure {
  /** The HTTPRoute. */
  public readonly route: ApiObject;
  /** The ReferenceGrant, when the route lives in the Gateway's namespace and the app in another. */
  public readonly referenceGrant?: ApiObject;
  /** Who the Gateway's proxies connect as (the NetworkPolicy peer). */
  public readonly peer: NetworkPeer;
  private readonly exposure: Omit<ServiceExposure, 'paths'>;
  private readonly placement: RoutePlacement;
  private readonly paths: ExposurePath[] = [];

  /** Checks the first call's `options` and creates the objects. */
  public constructor(private readonly app: ExposedApp, options: GatewayExposureOptions) {
    const owner = app.owner;
    if (typeof options !== 'object' || options === null) fail(owner, `exposeViaGateway options ${show(options)} is not an object`, 'pass { gateway, hostnames, ... }');
    const gateway = options.gateway;
    if (typeof gateway !== 'object' || gateway === null || typeof gateway.gatewayName !== 'string') {
      fail(owner, `exposeViaGateway gateway ${show(gateway === undefined ? gateway : String(gateway))} is not a Gateway`, 'pass a Gateway of this app or Gateway.fromGatewayName(name, namespace)');
    }
    const sectionName = validateSectionName(owner, 'exposeViaGateway sectionName', options.sectionName);
    const hostnames = validateRouteHostnames(owner, 'exposeViaGateway hostnames', options.hostnames ?? []);
    const placement = options.routePlacement ?? RoutePlacement.APP_NAMESPACE;
    if (!Object.values(RoutePlacement).includes(placement)) fail(owner, `exposeViaGateway routePlacement ${show(placement)} is not a RoutePlacement`, 'use RoutePlacement.APP_NAMESPACE or RoutePlacement.GATEWAY_NAMESPACE');
    if (options.gatewayPeer !== undefined && !(options.gatewayPeer instanceof NetworkPeer)) {
      fail(owner, `exposeViaGateway gatewayPeer ${show(String(options.gatewayPeer))} is not a NetworkPeer`, 'use e.g. NetworkPeer.namespace(\'envoy-gateway-system\')');
    }
    const parent: GatewayParent = gatewayParent(gateway, sectionName);
    const gatewayNamespace = parent.namespace ?? app.namespace;
    let routeNamespace = app.namespace;
    let grantFrom: string | undefined;
    if (placement === RoutePlacement.GATEWAY_NAMESPACE && gatewayNamespace !== app.namespace) {
      if (gatewayNamespace === undefined || app.namespace === undefined) {
        fail(owner, `exposeViaGateway routePlacement GATEWAY_NAMESPACE needs both namespaces, but ${gatewayNamespace === undefined ? `${parent.owner}'s` : 'the app\'s'} is not known, so the route's backendRef and its ReferenceGrant cannot name it`,
          'give the Gateway (Gateway.fromGatewayName(name, namespace)) and the app a namespace, or use RoutePlacement.APP_NAMESPACE');
      }
      routeNamespace = gatewayNamespace;
      grantFrom = gatewayNamespace;
    }
    this.placement = placement;
    this.exposure = { parent, routeNamespace, hostnames, backend: { service: app.name, namespace: app.namespace, port: app.servicePort } };
    const path = exposurePath(owner, options);
    checkServiceExposure(owner, { ...this.exposure, paths: [path] });
    this.paths.push(path);
    this.peer = options.gatewayPeer ?? (gatewayNamespace !== undefined ? NetworkPeer.namespace(gatewayNamespace) : NetworkPeer.pods({}));
    const grantName = grantFrom !== undefined ? `${app.name}-from-${grantFrom}` : undefined;
    if (grantName !== undefined && !isDns1123Subdomain(grantName)) {
      fail(owner, `exposeViaGateway ReferenceGrant name ${show(grantName)} (<name>-from-<gateway namespace>) is not a DNS-1123 subdomain`, OBJECT_NAME_FIX);
    }
    this.route = renderRouteObject(app.scope, 'HTTPRoute', {
      name: app.name, namespace: routeNamespace, labels: { ...app.labels }, spec: Lazy.any({ produce: () => exposureRouteSpec(this.model) }),
    });
    if (grantFrom !== undefined) {
      this.referenceGrant = renderBackendGrant(app.scope, 'ReferenceGrant', { name: grantName!, namespace: app.namespace!, fromNamespace: grantFrom, services: [app.name], labels: app.labels });
    }
  }

  /** Adds the path of `options` (a later call must attach to the same Gateway, listener and hostnames). */
  public add(options: GatewayExposureOptions): void {
    const owner = this.app.owner;
    const e = this.exposure;
    const same = options.gateway?.gatewayName === e.parent.name && (options.gateway.gatewayNamespace ?? this.app.namespace) === (e.parent.namespace ?? this.app.namespace)
      && options.sectionName === e.parent.sectionName && (options.routePlacement ?? RoutePlacement.APP_NAMESPACE) === this.placement
      && JSON.stringify(options.hostnames ?? []) === JSON.stringify(e.hostnames);
    if (!same) {
      fail(owner, `exposeViaGateway was called before with ${parent(e)}, and now with gateway ${show(options.gateway?.gatewayName)}${options.sectionName !== undefined ? ` sectionName ${show(options.sectionName)}` : ''} hostnames ${show(options.hostnames ?? [])}, but a WebApp has one HTTPRoute`,
        'call exposeViaGateway again only to add paths (same gateway, sectionName, hostnames and routePlacement); for another Gateway or hostnames, route to the app\'s Service with an HTTPRoute of your own');
    }
    const path = exposurePath(owner, options);
    checkServiceExposure(owner, { ...e, paths: [...this.paths, path] });
    this.paths.push(path);
  }

  /** The exposure as it stands. */
  private get model(): ServiceExposure {
    return { ...this.exposure, paths: [...this.paths] };
  }
}

function parent(e: Omit<ServiceExposure, 'paths'>): string {
  return `gateway ${show(e.parent.name)}${e.parent.sectionName !== undefined ? ` sectionName ${show(e.parent.sectionName)}` : ''} hostnames ${show(e.hostnames)}`;
}
