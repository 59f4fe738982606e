import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, checkUniqueObjects, withChildSlots } from '../k8s-object';
import { OBJECT_NAME_FIX, fail, isDns1123Subdomain, isDnsName, parseIpv4, show, toDnsLabel, validateDns1035 } from '../core';
import { WebApp } from '../web-app';
import { GatewayRouting, IngressPathRoute, ServicePortRef, SessionAffinity, StickyRouting } from '../routing/affinity-model';
import { gatewayParent } from '../gateway/gateway';
import { validateGatewayPath } from '../routing/gateway-api/exposure';
import { validateRouteHostnames } from '../routing/gateway-api/hostnames';
import { checkAttachment } from '../routing/gateway-api/listeners';
import { validateSectionName } from '../routing/gateway-api/parent-ref';
import { renderStickyRoute } from '../routing/gateway-api/sticky-route';
import { gatewayApiAffinity } from './gateway-api-strategy';
import { defaultBackendIngressSpec, ingressSpec, refreshIngressAnnotations, renderDefaultBackendIngress, renderIngress } from '../routing/ingress/ingress';
import { NGINX, affinityOf, nginxAffinityAnnotations } from '../routing/ingress/nginx';
import { checkHashablePort, consistentHashJson, renderConsistentHashRule } from '../routing/istio/consistent-hash';
import { clientIpAffinity, cookieAffinity, hashAffinity } from './affinity';
import { ServiceInfo, ServicePortInfo, describeService, portRef, resolvePort } from './backend';
import { applyClientIpAffinity } from './client-ip';
import { renderNotFoundBackend } from './default-backend';
import { CheckedPath, checkPath, checkSameNamespace } from './paths';
import { StickyIngressProps, StickyPathOptions } from './props';
import { StickyStrategy, StickyStrategyKind } from './strategy';
import { AppRegistry } from '../registry';
import { DESTINATION_RULES, INGRESSES, destinationRuleFact, ingressFact } from '../routing/traffic-facts';
import { registerStickyIngress } from './report';
import { workloadOf } from './rules/client-ip-in-mesh';

/**
 * Sticky sessions that actually stick, at the layer that picks the pod: ingress-nginx cookie affinity,
 * kube-proxy client-IP affinity, or Istio consistent hashing. Validates what makes each strategy
 * silently fail (cookie attributes, regex paths without a cookie path, ClientIP behind a mesh, a
 * consistent hash under a weighted canary split, ports the Service does not expose).
 *
 * @example
 * new StickyIngress(chart, 'debug', {
 *   backend: app,
 *   host: 'debug.example.com',
 *   strategy: StickyStrategy.nginxCookie({ name: 'route', maxAge: Duration.hours(48) }),
 *   defaultBackend: DefaultBackend.notFound(),
 * });
 */
export class StickyIngress extends Construct {
  /** The Ingress name. */
  public readonly name: string;
  /** The namespace of the Ingress, the backend Service and the DestinationRules. */
  public readonly namespace: string | undefined;
  /** The strategy. */
  public readonly strategy: StickyStrategy;
  /** The host, if any. */
  public readonly host: string | undefined;
  /** `spec.ingressClassName`, when an Ingress is rendered. */
  public readonly className: string | undefined;
  /** The Ingress (`undefined` for clientIp, gatewayApiCookie, and istioConsistentHash without a host). */
  public readonly ingress?: ApiObject;
  /** The HTTPRoute on the Gateway (gatewayApiCookie only). */
  public readonly httpRoute?: ApiObject;
  /** The built-in 404 backend, when {@link DefaultBackend.notFound} was chosen. */
  public readonly notFoundBackend?: WebApp;
  /**
   * The rules-less Ingress `<name>-default-backend` that carries only `spec.defaultBackend` (with the
   * same `ingressClassName`), when a default backend is set. ingress-nginx uses an Ingress's
   * defaultBackend as the catch-all for unknown hosts only when that Ingress has no rules.
   */
  public readonly defaultBackendIngress?: ApiObject;
  /** The effective ingress-nginx annotations (nginxCookie only), as rendered. */
  public readonly annotations: Readonly<Record<string, string>>;
  /** The ClientIP timeout in seconds (clientIp only). */
  public readonly clientIpTimeoutSeconds?: number;
  /** The rendered `consistentHash` block (istioConsistentHash, and gatewayApiCookie on Istio). */
  public readonly consistentHash?: Json;

  private readonly owner: string;
  private readonly mainService: ServiceInfo;
  private readonly mainPort: ServicePortInfo;
  /** How clients stick (the model's affinity). */
  private readonly affinity: SessionAffinity;
  /** The host's paths so far. */
  private readonly paths: IngressPathRoute[] = [];
  /** Every distinct Service routed to, main backend first. */
  private readonly services: ServicePortRef[] = [];
  private readonly defaultBackendRef?: ServicePortRef;
  private readonly tlsSecretName?: string;
  private readonly _destinationRules: ApiObject[] = [];
  private readonly meshInjected?: boolean;
  /** The host and path on a Gateway (gatewayApiCookie). */
  private readonly gatewayRouting?: GatewayRouting;
  /** The user's extra Ingress annotations (checked against what the paths need). */
  private readonly userAnnotations: Readonly<Record<string, string>>;
  /** Set once the construct rendered its objects: from then on a new Service gets its DestinationRule at once. */
  private rendered = false;

  public constructor(scope: Construct, id: string, props: StickyIngressProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    this.name = props.name ?? toDnsLabel(id);
    this.owner = `StickyIngress '${this.name}'`;
    if (!isDns1123Subdomain(this.name)) fail(this.owner, `name ${show(this.name)} is not a DNS-1123 subdomain`, OBJECT_NAME_FIX);
    if (!(props.strategy instanceof StickyStrategy)) {
      fail(this.owner, `strategy ${show(String(props.strategy))} is not a StickyStrategy`, 'use StickyStrategy.nginxCookie(...), StickyStrategy.clientIp(...), StickyStrategy.istioConsistentHash(...) or StickyStrategy.gatewayApiCookie(...)');
    }
    if (props.backend === undefined || props.backend === null) fail(this.owner, 'backend is missing', 'set backend to a WebApp (or anything with a `service` ApiObject)');
    this.strategy = props.strategy;
    const kind = props.strategy.kind;
    this.mainService = describeService(this.owner, 'backend', props.backend);
    this.mainPort = resolvePort(this.owner, 'port', this.mainService, props.port);
    this.namespace = this.mainService.namespace;
    this.meshInjected = props.meshInjected;
    this.userAnnotations = { ...props.annotations };

    // ---- host, TLS and the front door (an Ingress, or a Gateway for gatewayApiCookie)
    const viaGateway = kind === StickyStrategyKind.GATEWAY_API_COOKIE;
    if (viaGateway) this.gatewayRouting = this.checkGateway(props);
    else {
      for (const k of ['gateway', 'sectionName'] as const) {
        if (props[k] !== undefined) fail(this.owner, `${k} is set, but ${kind} does not route through a Gateway API Gateway`, 'use StickyStrategy.gatewayApiCookie(...), or remove ' + k);
      }
    }
    const wantsIngress = props.host !== undefined && !viaGateway;
    if (kind === StickyStrategyKind.NGINX_COOKIE && !wantsIngress) {
      fail(this.owner, 'nginxCookie needs a host', 'set host (e.g. \'shop.example.com\'): the cookie is set by the Ingress controller for that host');
    }
    if (kind === StickyStrategyKind.CLIENT_IP) {
      const front = (['host', 'path', 'paths', 'tlsSecretName', 'tlsTerminatedUpstream', 'defaultBackend', 'className', 'annotations'] as const).filter((k) => props[k] !== undefined);
      if (front.length) {
        fail(this.owner, `clientIp cannot be combined with ${front.join(', ')}: an Ingress controller connects to the pods itself, so kube-proxy never sees the client IP and ClientIP affinity would silently do nothing`,
          'remove them and expose the app directly (serviceType LOAD_BALANCER or NODE_PORT), or use StickyStrategy.nginxCookie()');
      }
    }
    if (props.host !== undefined && !viaGateway) {
      if (typeof props.host !== 'string' || parseIpv4(props.host) !== undefined || !isDnsName(props.host)) {
        fail(this.owner, `host ${show(props.host)} is not a DNS name`, 'use a lowercase DNS name such as \'shop.example.com\' or a single leading wildcard \'*.example.com\'');
      }
    }
    if (props.tlsSecretName !== undefined) {
      if (!wantsIngress) fail(this.owner, 'tlsSecretName needs a host', 'set host');
      if (!isDns1123Subdomain(props.tlsSecretName)) fail(this.owner, `tlsSecretName ${show(props.tlsSecretName)} is not a valid Secret name`, OBJECT_NAME_FIX);
    }
    if (props.tlsTerminatedUpstream !== undefined && typeof props.tlsTerminatedUpstream !== 'boolean') {
      fail(this.owner, `tlsTerminatedUpstream ${show(props.tlsTerminatedUpstream)} is not a boolean`, 'use true or false');
    }
    if (!wantsIngress && !viaGateway) {
      for (const k of ['path', 'paths', 'tlsTerminatedUpstream', 'defaultBackend', 'className', 'annotations'] as const) {
        if (props[k] !== undefined) fail(this.owner, `${k} is set but there is no host, so no Ingress is rendered`, 'set host, or remove ' + k);
      }
    }
    this.host = props.host;
    this.tlsSecretName = props.tlsSecretName;
    this.className = wantsIngress ? props.className ?? (kind === StickyStrategyKind.NGINX_COOKIE ? 'nginx' : 'istio') : undefined;
    if (this.className !== undefined && !isDns1123Subdomain(this.className)) {
      fail(this.owner, `className ${show(this.className)} is not a valid IngressClass name`, 'use the name of an IngressClass, e.g. \'nginx\'');
    }

    // ---- strategy → the model's affinity
    if (kind === StickyStrategyKind.CLIENT_IP) {
      const affinity = this.affinity = clientIpAffinity(this.owner, props.strategy.clientIpOptions, this.mainService, this.meshInjected);
      this.clientIpTimeoutSeconds = affinity.timeoutSeconds;
    } else if (kind === StickyStrategyKind.ISTIO_CONSISTENT_HASH) {
      const affinity = this.affinity = hashAffinity(this.owner, props.strategy.istioOptions);
      this.consistentHash = consistentHashJson(affinity.key);
    } else if (viaGateway) {
      const affinity = this.affinity = gatewayApiAffinity(this.owner, props.strategy.gatewayApiOptions!);
      if (affinity.kind === 'hash') this.consistentHash = consistentHashJson(affinity.key);
    } else {
      this.affinity = cookieAffinity(this.owner, props.strategy.nginxCookieOptions, this.host, props.tlsSecretName !== undefined || props.tlsTerminatedUpstream === true);
    }
    this.addService(this.mainService, this.mainPort);
    this.annotations = this.affinity.kind === 'cookie' ? nginxAffinityAnnotations(this.affinity) : {};

    // ---- paths
    if (wantsIngress) {
      this.addPath({ path: props.path ?? '/', backend: props.backend, port: this.mainPort.name ?? this.mainPort.port });
      for (const p of props.paths ?? []) this.addPath(p);
    }

    // ---- annotations (nginx), checked against the user's
    if (kind === StickyStrategyKind.NGINX_COOKIE) {
      const own = this.annotations;
      for (const [k, v] of Object.entries(props.annotations ?? {})) {
        if (k in own && own[k] !== v) fail(this.owner, `annotation ${k} ${show(v)} conflicts with the nginxCookie strategy's ${show(own[k])}`, 'set it through StickyStrategy.nginxCookie() options, or remove the annotation');
        if (k === `${NGINX}/service-upstream` && v === 'true') {
          fail(this.owner, `annotation ${k} 'true' sends requests through the Service's ClusterIP, so kube-proxy, not ingress-nginx, picks the pod and the cookie is ignored`, 'remove the annotation');
        }
      }
    }

    // ---- the model → the affinity on the backend's Service, the DestinationRules
    if (this.affinity.kind === 'clientIp') applyClientIpAffinity(this.mainService, this.affinity);
    this.rendered = true;
    for (const svc of this.services) this.renderDestinationRule(svc);

    // ---- default backend (the built-in one is a workload of its own, created here)
    if (props.defaultBackend) {
      const db = props.defaultBackend;
      let backend = db.backend;
      if (!backend) {
        const name = `${this.name}-default-backend`;
        validateDns1035(this.owner, 'default backend name (<name>-default-backend)', name);
        this.notFoundBackend = renderNotFoundBackend(this, this.owner, name, this.namespace, this.name, db.notFoundOptions);
        backend = this.notFoundBackend;
      }
      const svc = describeService(this.owner, 'defaultBackend', backend);
      checkSameNamespace(this.owner, 'defaultBackend', svc, this.namespace);
      if (svc.backend instanceof WebApp) svc.backend.allowFromIngressController();
      const ingressName = `${this.name}-default-backend`;
      if (!isDns1123Subdomain(ingressName)) {
        fail(this.owner, `default backend Ingress name ${show(ingressName)} (<name>-default-backend) is not a DNS-1123 subdomain`, 'use a shorter name');
      }
      this.defaultBackendRef = portRef(svc, resolvePort(this.owner, 'defaultBackend port', svc, db.port));
    }

    // ---- the Ingress (or the HTTPRoute), and the catch-all for unknown hosts: a separate Ingress without rules (see defaultBackendIngress)
    if (wantsIngress) this.ingress = renderIngress(this, () => this.routing);
    if (viaGateway) this.httpRoute = renderStickyRoute(this, this.routing);
    if (this.defaultBackendRef) {
      const dbi = this.defaultBackendIngress = renderDefaultBackendIngress(this, this.routing);
      AppRegistry.of(this).register(INGRESSES, this, ingressFact(dbi, { metadata: dbi.metadata.toJson(), spec: defaultBackendIngressSpec(this.routing) }));
    }
    this.registerFacts();
  }

  /** The DestinationRules (istioConsistentHash: one per distinct backend Service). */
  public get destinationRules(): readonly ApiObject[] {
    return [...this._destinationRules];
  }

  /** The main backend's DestinationRule (istioConsistentHash only). */
  public get destinationRule(): ApiObject | undefined {
    return this._destinationRules[0];
  }

  /** The Service the sticky traffic goes to. */
  public get serviceName(): string {
    return this.mainService.name;
  }

  /**
   * Routes another path of the host to a backend (the StickyIngress's own by default). With
   * istioConsistentHash, a new backend Service gets its own DestinationRule; with nginxCookie, the
   * affinity annotations apply to every path of the Ingress (so with an explicit cookie path, all paths
   * must route to one Service).
   */
  public addPath(options: StickyPathOptions): void {
    if (this.gatewayRouting) {
      fail(this.owner, `addPath ${show(options?.path)} with gatewayApiCookie: the session lives on one HTTPRoute rule, and a second path's cookie Path is derived differently by each implementation (Envoy Gateway: from the matched path), so a client could hold two session cookies of one name`,
        'route the host\'s one path (path, default \'/\') to the backend, or serve the other path through a StickyIngress of its own with another cookie name');
    }
    if (this.host === undefined) fail(this.owner, `addPath ${show(options.path)} needs a host`, 'set host: without one no Ingress is rendered');
    const checked: CheckedPath = checkPath({
      owner: this.owner,
      affinity: this.affinity,
      userAnnotations: this.userAnnotations,
      paths: this.paths,
      main: { svc: this.mainService, port: this.mainPort },
      namespace: this.namespace,
    }, options);
    this.addService(checked.svc, checked.port);
    this.paths.push(checked.route);
    if (this.ingress) {
      refreshIngressAnnotations(this.ingress, this.routing);
      this.registerFacts(); // added after construction: the rules see the new path
    }
  }

  /** The routing model as it stands (paths may still be added). */
  private get routing(): StickyRouting {
    return {
      name: this.name,
      namespace: this.namespace,
      affinity: this.affinity,
      service: portRef(this.mainService, this.mainPort),
      gateway: this.gatewayRouting,
      ingress: this.host === undefined || this.gatewayRouting ? undefined : {
        host: this.host,
        className: this.className!,
        tlsSecretName: this.tlsSecretName,
        paths: [...this.paths],
        annotations: this.userAnnotations,
      },
      defaultBackend: this.defaultBackendRef,
      services: [...this.services],
    };
  }

  /**
   * gatewayApiCookie's front door: the Gateway (checked against its listeners: the host, the
   * namespace), the host and the one path; the Ingress-only props are refused with the reason.
   */
  private checkGateway(props: StickyIngressProps): GatewayRouting {
    const owner = this.owner;
    if (props.host === undefined) fail(owner, 'gatewayApiCookie needs a host', 'set host (e.g. \'shop.example.com\'): the HTTPRoute serves it on the Gateway', 'host');
    const gateway = props.gateway;
    if (gateway === undefined) fail(owner, 'gatewayApiCookie needs a gateway', 'set gateway to a Gateway of this app or Gateway.fromGatewayName(name, namespace)', 'gateway');
    if (typeof gateway !== 'object' || gateway === null || typeof gateway.gatewayName !== 'string') {
      fail(owner, `gateway ${show(String(gateway))} is not a Gateway`, 'pass a Gateway of this app or Gateway.fromGatewayName(name, namespace)', 'gateway');
    }
    const refused: Record<string, string> = {
      paths: 'the session lives on one HTTPRoute rule (see addPath)',
      className: 'the Gateway\'s class chooses the implementation',
      tlsSecretName: 'TLS is terminated by an HTTPS listener of the Gateway (certificateRefs)',
      tlsTerminatedUpstream: 'no cookie attribute depends on it here',
      defaultBackend: 'unmatched requests are the Gateway\'s (it answers 404)',
      annotations: 'they are Ingress annotations',
    };
    for (const [k, why] of Object.entries(refused)) {
      if ((props as unknown as Record<string, unknown>)[k] !== undefined) fail(owner, `${k} is set with gatewayApiCookie, which renders an HTTPRoute, not an Ingress: ${why}`, `remove ${k}`, k);
    }
    const [host] = validateRouteHostnames(owner, 'host', [props.host], 'host');
    const path = validateGatewayPath(owner, 'path', props.path ?? '/');
    const sectionName = validateSectionName(owner, 'sectionName', props.sectionName, 'sectionName');
    const parent = gatewayParent(gateway, sectionName);
    checkAttachment(owner, 'host', parent, this.namespace, [host]);
    return { parent: { owner: parent.owner, name: parent.name, namespace: parent.namespace, ...(sectionName !== undefined ? { sectionName } : {}) }, host, path: { type: 'PathPrefix', value: path } };
  }

  /**
   * Adds `svc` (on `port`) to the Services routed to, unless it is there already. Under hash affinity it
   * gets a DestinationRule, once the construct renders (at once when it already has).
   */
  private addService(svc: ServiceInfo, port: ServicePortInfo): void {
    if (this.services.some((s) => s.service === svc.name && s.namespace === svc.namespace)) return;
    if (this.affinity.kind === 'hash') checkHashablePort(this.owner, this.affinity.key, svc.name, port);
    const ref = portRef(svc, port);
    this.services.push(ref);
    // The Ingress controller's pods reach the backend: allowed through a default-isolated WebApp's policy.
    if (this.host !== undefined && svc.backend instanceof WebApp) svc.backend.allowFromIngressController();
    if (this.rendered) this.renderDestinationRule(ref);
  }

  private renderDestinationRule(svc: ServicePortRef): void {
    if (this.affinity.kind !== 'hash') return;
    const id = this._destinationRules.length === 0 ? 'DestinationRule' : `DestinationRule-${svc.service}`;
    const dr = renderConsistentHashRule(this, id, svc, this.consistentHash!);
    this._destinationRules.push(dr);
    AppRegistry.of(this).register(DESTINATION_RULES, this, destinationRuleFact(dr, { metadata: { name: dr.metadata.name, namespace: dr.metadata.namespace }, spec: { host: svc.service } }));
  }

  /**
   * Registers what the app-wide rules read (lib/sticky/rules/), as it is now: the StickyIngress and its
   * Ingress, read from the routing model (the DestinationRules register as they are rendered).
   */
  private registerFacts(): void {
    const registry = AppRegistry.of(this);
    const routing = this.routing;
    const metadata = this.ingress?.metadata.toJson();
    if (this.ingress) registry.register(INGRESSES, this, ingressFact(this.ingress, { metadata, spec: ingressSpec(routing) }));
    registerStickyIngress(this, {
      owner: this.owner,
      routing,
      workload: workloadOf(this.mainService.backend),
      meshInjected: this.meshInjected,
      ingress: this.ingress,
      ingressAffinity: metadata && affinityOf(metadata.annotations),
      defaultBackendIngress: this.defaultBackendIngress,
      destinationRules: [...this._destinationRules],
      notFoundBackend: this.notFoundBackend !== undefined,
    });
  }
}
