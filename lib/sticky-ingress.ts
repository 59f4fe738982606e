import { ApiObject, Duration, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Json, MANAGED_BY, addTreeValidation, checkUniqueObjects, compact, jsonOf, jsonOfKind, manifest, withChildSlots } from './k8s-object';
import { IstioProtocolClass, istioPortProtocol } from './istio-protocol';
import { fail, isDns1123Subdomain, isDnsName, parseIpv4, show, toDnsLabel, validateDns1035 } from './validation';
import { HELPER_RESOURCES, PathType, Probe, WebApp } from './web-app';

// =====================================================================================================
// Backends
// =====================================================================================================

/**
 * Anything that exposes a Kubernetes Service: a {@link WebApp}, a CanaryRelease, or any construct with
 * a `service` ApiObject. StickyIngress reads the Service's name, namespace, type and ports from the
 * rendered object, so it needs nothing else.
 */
export interface IServiceBackend {
  /** The Service. A backend without one (`createService: false`) cannot be routed to. */
  readonly service?: ApiObject;
}

/** One port of a backend Service. */
interface ServicePortInfo {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly appProtocol?: string;
  /** `TCP` (the default), `UDP` or `SCTP`. */
  readonly protocol?: string;
  /** The container port behind it, when known (a numeric targetPort, or a WebApp's named port). */
  readonly containerPort?: number;
}

/** What StickyIngress needs to know about a backend Service (read from its rendered object). */
interface ServiceInfo {
  readonly backend: IServiceBackend;
  readonly api: ApiObject;
  readonly name: string;
  readonly namespace?: string;
  readonly type: string;
  readonly headless: boolean;
  readonly ports: readonly ServicePortInfo[];
  readonly externalTrafficPolicy?: string;
}

function describeService(owner: string, prop: string, backend: IServiceBackend): ServiceInfo {
  const api = backend.service;
  if (!api) fail(owner, `${prop} has no Service`, 'give the backend a port and keep createService (an Ingress routes to Services)');
  if (api.kind !== 'Service') fail(owner, `${prop} service is a ${api.kind}, not a Service`, 'pass a construct whose service is a v1 Service');
  const json = api.toJson();
  const spec = json.spec ?? {};
  const containerPort = (target: unknown): number | undefined => {
    if (typeof target === 'number') return target;
    return backend instanceof WebApp ? backend.ports.find((p) => p.name === target)?.containerPort : undefined;
  };
  const ports: ServicePortInfo[] = (spec.ports ?? []).map((p: Json) => ({
    name: p.name, port: p.port, targetPort: p.targetPort, appProtocol: p.appProtocol, protocol: p.protocol, containerPort: containerPort(p.targetPort ?? p.port),
  }));
  if (ports.length === 0) fail(owner, `${prop} Service '${json.metadata.name}' exposes no ports`, 'give the Service at least one port');
  return {
    backend,
    api,
    name: json.metadata.name,
    namespace: json.metadata.namespace,
    type: spec.type ?? 'ClusterIP',
    headless: spec.clusterIP === 'None',
    ports,
    externalTrafficPolicy: spec.externalTrafficPolicy,
  };
}

function describePorts(svc: ServiceInfo): string {
  return svc.ports.map((p) => (p.name ? `${p.port}/${p.name}` : String(p.port))).join(', ');
}

/** Finds the Service port `port` (number or name) names, or fails naming the ports the Service has. */
function resolvePort(owner: string, prop: string, svc: ServiceInfo, port: number | string | undefined): ServicePortInfo {
  if (port === undefined) return svc.ports[0];
  const found = typeof port === 'number' ? svc.ports.find((p) => p.port === port) : svc.ports.find((p) => p.name === port);
  if (found) return found;
  const asTarget = svc.ports.find((p) => p.targetPort === port || (typeof port === 'number' && p.containerPort === port));
  const hint = asTarget ? ` (${show(port)} is the container port; the Service exposes it as ${asTarget.port}${asTarget.name ? `/${asTarget.name}` : ''})` : '';
  return fail(owner, `${prop} ${show(port)} is not a port of Service '${svc.name}', which exposes ${describePorts(svc)}${hint}`,
    `use one of the Service's ports: ${svc.ports.map((p) => (p.name ? `${p.port} or '${p.name}'` : String(p.port))).join(', ')}`);
}

// =====================================================================================================
// Strategy
// =====================================================================================================

/** `nginx.ingress.kubernetes.io/affinity-mode`: how sticky a session stays when the pods scale. */
export enum AffinityMode {
  /** Rebalance some sessions onto new pods when the Deployment scales up (ingress-nginx's default). */
  BALANCED = 'balanced',
  /** Never move a session while its pod lives: maximum stickiness, no rebalancing after scale-up. */
  PERSISTENT = 'persistent',
}

/** The cookie's `SameSite` attribute. @see https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-the-samesite-attribute */
export enum CookieSameSite {
  /** Sent only on same-site requests. */
  STRICT = 'Strict',
  /** Sent on same-site requests and top-level cross-site navigations. */
  LAX = 'Lax',
  /** Sent on every request; browsers require `Secure` with it. */
  NONE = 'None',
}

/**
 * Options of {@link StickyStrategy.nginxCookie}. Each maps to one ingress-nginx annotation
 * (`nginx.ingress.kubernetes.io/...`).
 * @see https://kubernetes.github.io/ingress-nginx/examples/affinity/cookie/
 */
export interface NginxCookieOptions {
  /**
   * Cookie name (`session-cookie-name`): an RFC 6265 token that ingress-nginx's annotation validator
   * also accepts, i.e. letters, digits, `-`, `_`, `.` and `~`.
   * @default 'INGRESSCOOKIE' (ingress-nginx's default, rendered explicitly)
   */
  readonly name?: string;
  /** `Max-Age` of the cookie (`session-cookie-max-age`), whole seconds > 0. @default - a session cookie (deleted when the browser closes) */
  readonly maxAge?: Duration;
  /** Legacy `Expires` for old browsers (`session-cookie-expires`), whole seconds > 0. @default - maxAge */
  readonly expires?: Duration;
  /**
   * Cookie `Path` (`session-cookie-path`). Required when a path is a regular expression: ingress-nginx
   * would otherwise set the regex itself as the cookie path, which no browser matches. Not allowed when
   * the paths route to more than one Service: every Service would set the same cookie at this Path and
   * overwrite the others' (ingress-nginx#1930); use one StickyIngress (and cookie name) per Service then.
   * @default - the matched Ingress path
   */
  readonly path?: string;
  /** Cookie `Domain` (`session-cookie-domain`). @default - the request host */
  readonly domain?: string;
  /** `SameSite` (`session-cookie-samesite`); `None` requires `secure: true`. @default - not set (browsers treat it as Lax) */
  readonly sameSite?: CookieSameSite;
  /** Always set `Secure` (`session-cookie-secure`), even on plain-HTTP requests. @default - Secure only on HTTPS requests */
  readonly secure?: boolean;
  /** `affinity-mode`. @default AffinityMode.BALANCED */
  readonly mode?: AffinityMode;
  /**
   * Re-pin the client to another pod when the request to its pod failed and was retried
   * (`session-cookie-change-on-failure`).
   * @default false
   */
  readonly changeOnFailure?: boolean;
}

/** Options of {@link StickyStrategy.clientIp}. */
export interface ClientIpOptions {
  /** How long kube-proxy keeps a client on its pod after the client's last connection: 1 second to 24 hours. @default Duration.hours(3) (Kubernetes' default, 10800 s) */
  readonly timeout?: Duration;
}

/** The cookie Envoy hashes on (and sets when the client has none). */
export interface IstioHashCookie {
  /** Cookie name (RFC 6265 token). */
  readonly name: string;
  /** Cookie `Path`. @default - not set */
  readonly path?: string;
  /**
   * Cookie lifetime. Envoy sets the cookie only when a TTL is configured, and Istio's validation
   * requires one; `Duration.seconds(0)` makes it a session cookie.
   * @default Duration.seconds(0)
   */
  readonly ttl?: Duration;
}

/**
 * Options of {@link StickyStrategy.istioConsistentHash}: set exactly one hash key.
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings-ConsistentHashLB
 */
export interface IstioConsistentHashOptions {
  /** Hash on a cookie (`httpCookie`). @default - not this key */
  readonly cookie?: IstioHashCookie;
  /** Hash on a request header (`httpHeaderName`), e.g. `x-user-id`. @default - not this key */
  readonly header?: string;
  /** Hash on the source IP the proxy sees (`useSourceIp`). @default - not this key */
  readonly sourceIp?: boolean;
  /** Hash on a query parameter (`httpQueryParameterName`). @default - not this key */
  readonly queryParameter?: string;
}

/** Which layer makes the session stick. */
export enum StickyStrategyKind {
  /** ingress-nginx sets and follows a cookie. */
  NGINX_COOKIE = 'nginxCookie',
  /** kube-proxy pins a client IP to a pod (Service `sessionAffinity: ClientIP`). */
  CLIENT_IP = 'clientIp',
  /** Envoy (Istio) hashes a request attribute onto the pods (DestinationRule `consistentHash`). */
  ISTIO_CONSISTENT_HASH = 'istioConsistentHash',
}

/**
 * How a {@link StickyIngress} keeps a client on one pod. Each strategy works at a different layer;
 * pick the layer that actually chooses the pod for your traffic (see the README's comparison).
 */
export class StickyStrategy {
  /**
   * ingress-nginx cookie affinity: the controller picks the pod itself (it routes to endpoints, not
   * through kube-proxy), sets a cookie naming it, and follows the cookie on later requests.
   * Renders a `networking.k8s.io/v1` Ingress with the `nginx.ingress.kubernetes.io/affinity*` and
   * `session-cookie-*` annotations.
   */
  public static nginxCookie(options: NginxCookieOptions = {}): StickyStrategy {
    return new StickyStrategy(StickyStrategyKind.NGINX_COOKIE, options, {}, {});
  }

  /**
   * kube-proxy client-IP affinity on the backend's Service (`sessionAffinity: ClientIP`). Works only
   * when kube-proxy sees the real client IP: no Ingress controller or proxy in front, no mesh
   * sidecar on the caller, and `externalTrafficPolicy: Local` on NodePort/LoadBalancer Services
   * (set automatically). Renders no Ingress.
   */
  public static clientIp(options: ClientIpOptions = {}): StickyStrategy {
    return new StickyStrategy(StickyStrategyKind.CLIENT_IP, {}, options, {});
  }

  /**
   * Istio consistent-hash load balancing: a DestinationRule for each backend Service makes every
   * Envoy (ingress gateway and sidecars) hash the chosen key onto the same pod. With a host, also
   * renders an Ingress for the Istio ingress gateway (`ingressClassName: istio`).
   */
  public static istioConsistentHash(options: IstioConsistentHashOptions): StickyStrategy {
    return new StickyStrategy(StickyStrategyKind.ISTIO_CONSISTENT_HASH, {}, {}, options);
  }

  private constructor(
    /** Which strategy this is. */
    public readonly kind: StickyStrategyKind,
    /** The nginxCookie options (empty for other strategies). */
    public readonly nginxCookieOptions: NginxCookieOptions,
    /** The clientIp options (empty for other strategies). */
    public readonly clientIpOptions: ClientIpOptions,
    /** The istioConsistentHash options (empty for other strategies). */
    public readonly istioOptions: IstioConsistentHashOptions,
  ) {}
}

// =====================================================================================================
// Default backend
// =====================================================================================================

/** The image of the built-in 404 backend: ingress-nginx's default backend (404 on every path, 200 on /healthz, port 8080). */
export const NOT_FOUND_BACKEND_IMAGE = 'registry.k8s.io/defaultbackend-amd64:1.5';
/** The port the 404 backend listens on. */
export const NOT_FOUND_BACKEND_PORT = 8080;
/** The uid the ingress-nginx chart runs the 404 backend as (`nobody`). */
const NOT_FOUND_BACKEND_UID = 65534;

/** Options of {@link DefaultBackend.notFound}. */
export interface NotFoundBackendOptions {
  /** @default 2 */
  readonly replicas?: number;
}

/**
 * What answers requests that no Ingress rule matches. StickyIngress wires it in the two places
 * ingress-nginx reads it (controller.go: an Ingress that "defines a backend but no rule" configures
 * the catch-all server; one that "defines both a backend and rules" uses it only as the default
 * upstream of its own hosts; kubernetes/ingress-nginx#8473):
 * - a separate Ingress `<name>-default-backend` with the same `ingressClassName`, no rules and only
 *   `spec.defaultBackend`: the catch-all for requests to hosts that no Ingress of the class defines.
 *   The catch-all is controller-wide: if several rules-less Ingresses of one class exist, ingress-nginx
 *   uses only the first (oldest) one;
 * - `spec.defaultBackend` of the main Ingress, only while some request path of the host is left
 *   unmatched (no path routes `/` as a prefix): it then answers this host's unmatched paths.
 */
export class DefaultBackend {
  /**
   * A built-in backend that answers 404 to everything (and 200 on `/healthz`): ingress-nginx's
   * `defaultbackend-amd64` image, pinned, run as a hardened WebApp named `<ingress>-default-backend`.
   */
  public static notFound(options: NotFoundBackendOptions = {}): DefaultBackend {
    return new DefaultBackend(undefined, undefined, options);
  }

  /** An existing backend (WebApp or any construct with a Service), on `port` (Service port number or name). */
  public static service(backend: IServiceBackend, port?: number | string): DefaultBackend {
    return new DefaultBackend(backend, port, {});
  }

  private constructor(
    /** The backend, or `undefined` for the built-in 404 backend. */
    public readonly backend: IServiceBackend | undefined,
    /** The Service port, if given. */
    public readonly port: number | string | undefined,
    /** Options of the built-in 404 backend. */
    public readonly notFoundOptions: NotFoundBackendOptions,
  ) {}
}

// =====================================================================================================
// StickyIngress
// =====================================================================================================

/** One path of the host, routed to a backend. */
export interface StickyPathOptions {
  /** URL path; starts with '/'. */
  readonly path: string;
  /**
   * The path is a regular expression (ingress-nginx `use-regex`, which then applies to every path of
   * the host). Needs `pathType: IMPLEMENTATION_SPECIFIC` and, with nginxCookie, an explicit cookie path.
   * @default false
   */
  readonly regex?: boolean;
  /** @default PathType.PREFIX, or PathType.IMPLEMENTATION_SPECIFIC for a regex path */
  readonly pathType?: PathType;
  /** @default - the StickyIngress's backend */
  readonly backend?: IServiceBackend;
  /** Service port number or name of this path's backend. @default - the StickyIngress's port when the backend is the same, else the Service's first port */
  readonly port?: number | string;
}

/** Properties of a {@link StickyIngress}. */
export interface StickyIngressProps {
  /** The app that needs sticky sessions. */
  readonly backend: IServiceBackend;
  /** Service port (number or name) to route to. @default - the Service's first port */
  readonly port?: number | string;
  /** Which layer keeps the client on one pod. */
  readonly strategy: StickyStrategy;
  /**
   * Host name: a lowercase DNS name or a single leading wildcard (`*.example.com`). Required for
   * nginxCookie; optional for istioConsistentHash (without it only in-mesh callers are sticky and no
   * Ingress is rendered); not allowed for clientIp (nothing in front of the Service may rewrite the
   * client IP).
   * @default - no Ingress
   */
  readonly host?: string;
  /** The host's first path, to `backend`. @default '/' */
  readonly path?: string;
  /** Further paths, each to its own backend if wanted. More can be added with {@link StickyIngress.addPath}. @default - none */
  readonly paths?: StickyPathOptions[];
  /** Ingress name. @default - derived from the construct id */
  readonly name?: string;
  /**
   * `spec.ingressClassName`. For istioConsistentHash the cluster needs the IngressClass `istio`
   * (`controller: istio.io/ingress-controller`).
   * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/kubernetes-ingress/
   * @default 'nginx' for nginxCookie, 'istio' for istioConsistentHash
   */
  readonly className?: string;
  /**
   * Terminate TLS for the host with this Secret (type `kubernetes.io/tls`). For the Istio ingress
   * gateway the Secret must live in the gateway's namespace (usually `istio-system`).
   * @default - no TLS
   */
  readonly tlsSecretName?: string;
  /**
   * TLS for the host ends in front of the Ingress controller (a cloud load balancer or CDN), so browsers
   * use HTTPS although the Ingress has no `tlsSecretName`. Needed for a `secure` cookie (and so for
   * `sameSite: None`) without `tlsSecretName`: browsers drop a Secure cookie that a plain-HTTP page sets,
   * and nothing would stick.
   * @default false
   */
  readonly tlsTerminatedUpstream?: boolean;
  /**
   * What answers requests that match no rule: requests to hosts no Ingress of the class defines (through
   * a separate rules-less Ingress, see {@link StickyIngress.defaultBackendIngress}) and, when no path
   * routes `/` as a prefix, this host's unmatched paths (`spec.defaultBackend` of the main Ingress).
   * @default - the controller's own default backend
   */
  readonly defaultBackend?: DefaultBackend;
  /** More Ingress annotations; they may not override the affinity annotations. @default - none */
  readonly annotations?: Record<string, string>;
  /**
   * Whether the backend's pods run an Istio sidecar (or ambient dataplane). Set it when the namespace
   * is labelled outside this app.
   * @default - detected from the construct tree at synth time (see {@link meshInjectionOf})
   */
  readonly meshInjected?: boolean;
}

const NGINX = 'nginx.ingress.kubernetes.io';
const RFC6265_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 tokens that ingress-nginx's `session-cookie-name` validator (BasicCharsRegex) also accepts. */
const NGINX_COOKIE_NAME = /^[-._~0-9A-Za-z]+$/;
/** ingress-nginx's `URLIsValidRegex` (the validator of `session-cookie-path`). */
const NGINX_COOKIE_PATH = /^[-._~a-zA-Z0-9/:,?&=]*$/;
const NGINX_COOKIE_DOMAIN = /^[-._~a-zA-Z0-9]+$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = RFC6265_TOKEN;
const REGEX_CHARS = /[\^$*+?()[\]{}|\\]/;

interface RenderedPath { readonly path: string; readonly pathType: PathType; readonly regex: boolean; readonly svc: ServiceInfo; readonly port: ServicePortInfo }

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
  /** The Ingress (`undefined` for clientIp, and for istioConsistentHash without a host). */
  public readonly ingress?: ApiObject;
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
  /** The rendered `consistentHash` block (istioConsistentHash only). */
  public readonly consistentHash?: Json;

  private readonly owner: string;
  private readonly mainService: ServiceInfo;
  private readonly mainPort: ServicePortInfo;
  private readonly paths: RenderedPath[] = [];
  private readonly defaultBackendRef?: { readonly svc: ServiceInfo; readonly port: ServicePortInfo };
  private readonly _destinationRules: ApiObject[] = [];
  private readonly meshInjected?: boolean;
  /** The user's extra Ingress annotations (checked against what the paths need). */
  private readonly userAnnotations: Readonly<Record<string, string>>;

  public constructor(scope: Construct, id: string, props: StickyIngressProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    this.name = props.name ?? toDnsLabel(id);
    this.owner = `StickyIngress '${this.name}'`;
    if (!isDns1123Subdomain(this.name)) fail(this.owner, `name ${show(this.name)} is not a DNS-1123 subdomain`, 'use lowercase letters, digits, \'-\' and \'.\'');
    if (!(props.strategy instanceof StickyStrategy)) {
      fail(this.owner, `strategy ${show(String(props.strategy))} is not a StickyStrategy`, 'use StickyStrategy.nginxCookie(...), StickyStrategy.clientIp(...) or StickyStrategy.istioConsistentHash(...)');
    }
    if (props.backend === undefined || props.backend === null) fail(this.owner, 'backend is missing', 'set backend to a WebApp (or anything with a `service` ApiObject)');
    this.strategy = props.strategy;
    const kind = props.strategy.kind;
    this.mainService = describeService(this.owner, 'backend', props.backend);
    this.mainPort = resolvePort(this.owner, 'port', this.mainService, props.port);
    this.namespace = this.mainService.namespace;
    this.meshInjected = props.meshInjected;
    this.userAnnotations = { ...props.annotations };

    // ---- host, TLS and the front door
    const wantsIngress = props.host !== undefined;
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
    if (props.host !== undefined) {
      if (parseIpv4(props.host) !== undefined || !isDnsName(props.host)) {
        fail(this.owner, `host ${show(props.host)} is not a DNS name`, 'use a lowercase DNS name such as \'shop.example.com\' or a single leading wildcard \'*.example.com\'');
      }
    }
    if (props.tlsSecretName !== undefined) {
      if (!wantsIngress) fail(this.owner, 'tlsSecretName needs a host', 'set host');
      if (!isDns1123Subdomain(props.tlsSecretName)) fail(this.owner, `tlsSecretName ${show(props.tlsSecretName)} is not a valid Secret name`, 'use lowercase letters, digits, \'-\' and \'.\'');
    }
    if (props.tlsTerminatedUpstream !== undefined && typeof props.tlsTerminatedUpstream !== 'boolean') {
      fail(this.owner, `tlsTerminatedUpstream ${show(props.tlsTerminatedUpstream)} is not a boolean`, 'use true or false');
    }
    if (!wantsIngress) {
      for (const k of ['path', 'paths', 'tlsTerminatedUpstream', 'defaultBackend', 'className', 'annotations'] as const) {
        if (props[k] !== undefined) fail(this.owner, `${k} is set but there is no host, so no Ingress is rendered`, 'set host, or remove ' + k);
      }
    }
    this.host = props.host;
    this.className = wantsIngress ? props.className ?? (kind === StickyStrategyKind.NGINX_COOKIE ? 'nginx' : 'istio') : undefined;
    if (this.className !== undefined && !isDns1123Subdomain(this.className)) {
      fail(this.owner, `className ${show(this.className)} is not a valid IngressClass name`, 'use the name of an IngressClass, e.g. \'nginx\'');
    }

    // ---- strategy
    this.annotations = {};
    if (kind === StickyStrategyKind.CLIENT_IP) {
      this.clientIpTimeoutSeconds = this.bindClientIp(props.strategy.clientIpOptions);
    } else if (kind === StickyStrategyKind.ISTIO_CONSISTENT_HASH) {
      this.consistentHash = this.renderConsistentHash(props.strategy.istioOptions);
      this.ensureDestinationRule(this.mainService, this.mainPort);
    } else {
      this.validateNginxCookie(props.strategy.nginxCookieOptions, props.tlsSecretName !== undefined || props.tlsTerminatedUpstream === true);
    }

    // ---- paths
    if (wantsIngress) {
      this.addPath({ path: props.path ?? '/', backend: props.backend, port: this.mainPort.name ?? this.mainPort.port });
      for (const p of props.paths ?? []) this.addPath(p);
    }

    // ---- annotations (nginx), checked against the user's
    if (kind === StickyStrategyKind.NGINX_COOKIE) {
      const own = this.nginxAnnotations(props.strategy.nginxCookieOptions);
      for (const [k, v] of Object.entries(props.annotations ?? {})) {
        if (k in own && own[k] !== v) fail(this.owner, `annotation ${k} ${show(v)} conflicts with the nginxCookie strategy's ${show(own[k])}`, 'set it through StickyStrategy.nginxCookie() options, or remove the annotation');
        if (k === `${NGINX}/service-upstream` && v === 'true') {
          fail(this.owner, `annotation ${k} 'true' sends requests through the Service's ClusterIP, so kube-proxy, not ingress-nginx, picks the pod and the cookie is ignored`, 'remove the annotation');
        }
      }
      Object.assign(this.annotations, own);
    }

    // ---- default backend
    if (props.defaultBackend) {
      const db = props.defaultBackend;
      let backend = db.backend;
      if (!backend) {
        const name = `${this.name}-default-backend`;
        validateDns1035(this.owner, 'default backend name (<name>-default-backend)', name);
        this.notFoundBackend = this.renderNotFoundBackend(name, db.notFoundOptions);
        backend = this.notFoundBackend;
      }
      const svc = describeService(this.owner, 'defaultBackend', backend);
      this.checkSameNamespace('defaultBackend', svc);
      const ingressName = `${this.name}-default-backend`;
      if (!isDns1123Subdomain(ingressName)) {
        fail(this.owner, `default backend Ingress name ${show(ingressName)} (<name>-default-backend) is not a DNS-1123 subdomain`, 'use a shorter name');
      }
      this.defaultBackendRef = { svc, port: resolvePort(this.owner, 'defaultBackend port', svc, db.port) };
    }

    // ---- the Ingress
    if (wantsIngress) {
      const user = { ...props.annotations };
      this.ingress = manifest(this, 'Resource', 'networking.k8s.io/v1', 'Ingress', {
        name: this.name,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
        // Not Lazy: ApiObject metadata copies its annotations object. addPath adds `use-regex` later if needed.
        annotations: Object.keys({ ...user, ...this.annotations }).length ? { ...user, ...this.annotations, ...this.regexAnnotation() } : undefined,
        body: {
          spec: Lazy.any({
            produce: () => compact({
              ingressClassName: this.className,
              // With rules, ingress-nginx uses spec.defaultBackend only for this host's unmatched paths; when a
              // path already routes '/' as a prefix nothing is unmatched, so it would be dead config.
              defaultBackend: this.defaultBackendRef && !this.routesEveryPath() ? backendJson(this.defaultBackendRef.svc, this.defaultBackendRef.port) : undefined,
              tls: props.tlsSecretName ? [{ hosts: [this.host], secretName: props.tlsSecretName }] : undefined,
              rules: [{ host: this.host, http: { paths: this.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backendJson(p.svc, p.port) })) } }],
            }),
          }),
        },
      });
    }

    // ---- the catch-all for unknown hosts: a separate Ingress without rules (see defaultBackendIngress)
    if (this.defaultBackendRef) {
      this.defaultBackendIngress = manifest(this, 'DefaultBackendIngress', 'networking.k8s.io/v1', 'Ingress', {
        name: `${this.name}-default-backend`,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
        body: { spec: { ingressClassName: this.className, defaultBackend: backendJson(this.defaultBackendRef.svc, this.defaultBackendRef.port) } },
      });
    }

    // One pass over the tree per synth for every StickyIngress of the app (not one per StickyIngress).
    addTreeValidation(StickyIngress, this, (members, objects) => {
      // ingress-nginx uses one catch-all (a rules-less Ingress's defaultBackend) per class: the oldest.
      const firstNotFound = new Map<string, StickyIngress>();
      const errors: string[] = [];
      for (const m of members) {
        if (!m.notFoundBackend || m.className === undefined) continue;
        const first = firstNotFound.get(m.className);
        if (!first) {
          firstNotFound.set(m.className, m);
          continue;
        }
        errors.push(`${m.owner}: DefaultBackend.notFound() renders a second catch-all Ingress for class ${show(m.className)} (the first is ${first.owner}'s): ingress-nginx uses only the oldest one, so which 404 backend answers depends on creation order; `
          + `use DefaultBackend.notFound() once per Ingress class, and DefaultBackend.service(...) or none on the other StickyIngresses`);
      }
      return [...errors, ...members.flatMap((m) => m.validateAgainstTree(objects))];
    });
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
    if (this.host === undefined) fail(this.owner, `addPath ${show(options.path)} needs a host`, 'set host: without one no Ingress is rendered');
    const at = `path ${show(options.path)}`;
    if (typeof options.path !== 'string' || !options.path.startsWith('/')) {
      fail(this.owner, `${at} does not start with '/'`, `use an absolute path such as '/${options.path ?? ''}'`);
    }
    const regex = options.regex ?? false;
    const pathType = options.pathType ?? (regex ? PathType.IMPLEMENTATION_SPECIFIC : PathType.PREFIX);
    if (!Object.values(PathType).includes(pathType)) fail(this.owner, `${at} pathType ${show(pathType)} is not Prefix, Exact or ImplementationSpecific`, 'use a PathType value');
    if (regex && pathType !== PathType.IMPLEMENTATION_SPECIFIC) {
      fail(this.owner, `${at} is a regex but its pathType is ${pathType}`, 'use pathType PathType.IMPLEMENTATION_SPECIFIC for regex paths');
    }
    if (!regex && REGEX_CHARS.test(options.path)) {
      fail(this.owner, `${at} contains regular-expression characters but regex is not set`, 'set regex: true (pathType ImplementationSpecific), or use a plain path');
    }
    if (regex) {
      try {
        new RegExp(options.path);
      } catch (e) {
        fail(this.owner, `${at} is not a valid regular expression (${(e as Error).message})`, 'fix the expression');
      }
      if (this.strategy.kind === StickyStrategyKind.NGINX_COOKIE && this.strategy.nginxCookieOptions.path === undefined) {
        fail(this.owner, `${at} is a regular expression but nginxCookie has no path`,
          'set StickyStrategy.nginxCookie({ path: \'/\' }) (or the common prefix): ingress-nginx would otherwise use the regex itself as the cookie Path and browsers would never send the cookie back');
      }
      const useRegex = this.userAnnotations[`${NGINX}/use-regex`];
      if (this.strategy.kind === StickyStrategyKind.NGINX_COOKIE && useRegex !== undefined && useRegex !== 'true') {
        fail(this.owner, `annotation ${NGINX}/use-regex ${show(useRegex)} contradicts ${at}, a regular expression, which needs 'true'`,
          'remove the annotation (StickyIngress sets use-regex "true" when a path is a regex), or make the path a plain path');
      }
      if (this.strategy.kind === StickyStrategyKind.ISTIO_CONSISTENT_HASH) {
        fail(this.owner, `${at} is a regular expression, which the Istio ingress gateway's Kubernetes Ingress support does not implement`, 'use a Prefix or Exact path');
      }
    }
    if (this.paths.some((p) => p.path === options.path && p.pathType === pathType)) {
      fail(this.owner, `${at} (${pathType}) is routed twice`, 'route each path once');
    }
    const backend = options.backend ?? this.mainService.backend;
    const svc = backend === this.mainService.backend ? this.mainService : describeService(this.owner, `${at} backend`, backend);
    this.checkSameNamespace(`${at} backend`, svc);
    const cookiePath = this.strategy.kind === StickyStrategyKind.NGINX_COOKIE ? this.strategy.nginxCookieOptions.path : undefined;
    const others = [...new Set(this.paths.map((p) => p.svc.name))].filter((n) => n !== svc.name);
    if (cookiePath !== undefined && others.length > 0) {
      const cookieName = this.strategy.nginxCookieOptions.name ?? 'INGRESSCOOKIE';
      fail(this.owner, `nginxCookie path ${show(cookiePath)} is set and ${at} routes to Service '${svc.name}' besides ${others.map((n) => `'${n}'`).join(', ')}: ingress-nginx applies the affinity annotations to every backend of the Ingress, so each Service writes its own pod into the same cookie ${show(cookieName)} at Path ${show(cookiePath)}, they overwrite each other and no session stays sticky (ingress-nginx#1930)`,
        `remove the nginxCookie path (each Ingress path then sets the cookie on its own Path), or route Service '${svc.name}' through its own StickyIngress with another cookie name, e.g. '${cookieName}-${svc.name}'`);
    }
    if (cookiePath !== undefined && !regex && !pathMatches(options.path, cookiePath)) {
      // RFC 6265 5.1.4: the browser sends the cookie back only for request paths under its Path.
      fail(this.owner, `${at} is not under the nginxCookie path ${show(cookiePath)}, so browsers would not send the cookie back for it and no session there stays sticky`,
        `set the nginxCookie path to a common prefix of every path (e.g. '/'), or route ${show(options.path)} through another StickyIngress`);
    }
    const port = options.port === undefined && svc === this.mainService ? this.mainPort : resolvePort(this.owner, `${at} port`, svc, options.port);
    if (this.strategy.kind === StickyStrategyKind.ISTIO_CONSISTENT_HASH) this.ensureDestinationRule(svc, port);
    this.paths.push({ path: options.path, pathType, regex, svc, port });
    for (const [k, v] of Object.entries(this.regexAnnotation())) this.ingress?.metadata.addAnnotation(k, v);
  }

  /** True when a path of the host matches every request path (`/` as a prefix), so no path is left unmatched. */
  private routesEveryPath(): boolean {
    return this.paths.some((p) => p.path === '/' && p.pathType !== PathType.EXACT);
  }

  /** ingress-nginx reads paths as regular expressions only with `use-regex: "true"`. */
  private regexAnnotation(): Record<string, string> {
    const nginx = this.strategy.kind === StickyStrategyKind.NGINX_COOKIE;
    return nginx && this.paths.some((p) => p.regex) ? { [`${NGINX}/use-regex`]: 'true' } : {};
  }

  // ------------------------------------------------------------------------------------ strategies

  /** `https`: browsers reach the host over HTTPS (the Ingress terminates TLS, or something in front of it does). */
  private validateNginxCookie(o: NginxCookieOptions, https: boolean): void {
    const at = 'nginxCookie';
    const name = o.name ?? 'INGRESSCOOKIE';
    if (!RFC6265_TOKEN.test(name)) {
      fail(this.owner, `${at} cookie name ${show(name)} is not an RFC 6265 token`, 'use letters, digits and \'-\', \'_\', \'.\' or \'~\' (no spaces, \'=\', \';\', \',\' or quotes), e.g. \'route\'');
    }
    if (!NGINX_COOKIE_NAME.test(name)) {
      fail(this.owner, `${at} cookie name ${show(name)} is rejected by ingress-nginx's annotation validator`, 'use only letters, digits, \'-\', \'_\', \'.\' and \'~\'');
    }
    positiveSeconds(this.owner, `${at} maxAge`, o.maxAge);
    positiveSeconds(this.owner, `${at} expires`, o.expires);
    if (o.path !== undefined && (!o.path.startsWith('/') || !NGINX_COOKIE_PATH.test(o.path))) {
      fail(this.owner, `${at} path ${show(o.path)} is not a plain absolute path`, 'use e.g. \'/\' or \'/app\' (letters, digits, \'/\', \'-\', \'_\', \'.\', \'~\')');
    }
    if (o.domain !== undefined && !NGINX_COOKIE_DOMAIN.test(o.domain)) {
      fail(this.owner, `${at} domain ${show(o.domain)} is not a domain`, 'use e.g. \'example.com\' or \'.example.com\'');
    }
    if (o.domain !== undefined && this.host !== undefined) {
      // RFC 6265 5.3: a browser ignores a Set-Cookie whose Domain does not domain-match the request host.
      const domain = o.domain.replace(/^\./, '').toLowerCase();
      const host = this.host.replace(/^\*\./, '');
      if (host !== domain && !host.endsWith(`.${domain}`)) {
        fail(this.owner, `${at} domain ${show(o.domain)} does not cover host ${show(this.host)}, so browsers would ignore the cookie (RFC 6265 domain matching)`,
          `use the host's domain or a parent of it (e.g. '${host.split('.').slice(-2).join('.')}'), or leave domain unset`);
      }
    }
    if (o.sameSite !== undefined && !Object.values(CookieSameSite).includes(o.sameSite)) {
      fail(this.owner, `${at} sameSite ${show(o.sameSite)} is not Strict, Lax or None`, 'use CookieSameSite.STRICT, LAX or NONE');
    }
    if (o.sameSite === CookieSameSite.NONE && o.secure !== true) {
      fail(this.owner, `${at} sameSite None without secure: true`, 'set secure: true (browsers reject SameSite=None cookies that are not Secure), or use CookieSameSite.LAX');
    }
    if (o.secure === true && !https) {
      fail(this.owner, `${at} secure: true, but host ${show(this.host)} is served over plain HTTP (no tlsSecretName), and browsers drop a Secure cookie set by a plain-HTTP response, so no request would stick`,
        'set tlsSecretName, or tlsTerminatedUpstream: true if a load balancer in front of the Ingress controller terminates TLS' +
        (o.sameSite === CookieSameSite.NONE ? ' (sameSite None needs secure: true, so use LAX if the site has no HTTPS)' : ''));
    }
    if (o.mode !== undefined && !Object.values(AffinityMode).includes(o.mode)) {
      fail(this.owner, `${at} mode ${show(o.mode)} is not balanced or persistent`, 'use AffinityMode.BALANCED or AffinityMode.PERSISTENT');
    }
  }

  private nginxAnnotations(o: NginxCookieOptions): Record<string, string> {
    const maxAge = o.maxAge === undefined ? undefined : secondsOf(o.maxAge);
    const expires = o.expires === undefined ? maxAge : secondsOf(o.expires);
    const bool = (b: boolean | undefined) => (b === undefined ? undefined : String(b));
    return compact({
      [`${NGINX}/affinity`]: 'cookie',
      [`${NGINX}/affinity-mode`]: o.mode ?? AffinityMode.BALANCED,
      [`${NGINX}/session-cookie-name`]: o.name ?? 'INGRESSCOOKIE',
      [`${NGINX}/session-cookie-max-age`]: maxAge === undefined ? undefined : String(maxAge),
      [`${NGINX}/session-cookie-expires`]: expires === undefined ? undefined : String(expires),
      [`${NGINX}/session-cookie-path`]: o.path,
      [`${NGINX}/session-cookie-domain`]: o.domain,
      [`${NGINX}/session-cookie-samesite`]: o.sameSite,
      [`${NGINX}/session-cookie-secure`]: bool(o.secure),
      [`${NGINX}/session-cookie-change-on-failure`]: String(o.changeOnFailure ?? false),
    }) as Record<string, string>;
  }

  private bindClientIp(o: ClientIpOptions): number {
    const seconds = secondsOf(o.timeout ?? Duration.hours(3));
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86400) {
      fail(this.owner, `clientIp timeout ${seconds}s is outside 1-86400 seconds`, 'use a timeout between Duration.seconds(1) and Duration.hours(24)');
    }
    if (this.meshInjected === true) this.failClientIpInMesh('meshInjected is true');
    const svc = this.mainService;
    if (svc.headless) {
      fail(this.owner, `clientIp on headless Service '${svc.name}' does nothing: DNS returns the pod IPs and kube-proxy is not involved`, 'use a ClusterIP, NodePort or LoadBalancer Service');
    }
    const external = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
    if (external && svc.externalTrafficPolicy === 'Cluster') {
      fail(this.owner, `clientIp on ${svc.type} Service '${svc.name}' with externalTrafficPolicy Cluster: nodes SNAT external clients to their own IP, so every client behind one node would look alike`,
        'remove externalTrafficPolicy (clientIp sets Local) or set ExternalTrafficPolicy.LOCAL');
    }
    const backend = svc.backend;
    if (backend instanceof WebApp) {
      if (backend.sessionAffinityTimeout !== undefined && backend.sessionAffinityTimeout !== seconds) {
        fail(this.owner, `clientIp timeout ${seconds}s differs from the ${backend.sessionAffinityTimeout}s already set on WebApp '${backend.name}'`, 'use one timeout per Service');
      }
      backend.setSessionAffinity(Duration.seconds(seconds));
    } else {
      // Any other Service: patch the rendered object (JSON patches apply at synth, after every Lazy).
      svc.api.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP'));
      svc.api.addJsonPatch(JsonPatch.add('/spec/sessionAffinityConfig', { clientIP: { timeoutSeconds: seconds } }));
      if (external) svc.api.addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', 'Local'));
    }
    return seconds;
  }

  private failClientIpInMesh(why: string): never {
    return fail(this.owner, `clientIp on Service '${this.mainService.name}' whose pods are in the Istio mesh (${why}): Envoy picks the endpoint itself and ignores the Service's sessionAffinity (istio/istio#6011), so it would silently do nothing`,
      'use StickyStrategy.istioConsistentHash({ sourceIp: true }) or ({ cookie: { name: ... } }) instead');
  }

  private renderConsistentHash(o: IstioConsistentHashOptions): Json {
    const at = 'istioConsistentHash';
    const keys = (['cookie', 'header', 'sourceIp', 'queryParameter'] as const).filter((k) => o[k] !== undefined && o[k] !== false);
    if (keys.length !== 1) {
      fail(this.owner, `${at} sets ${keys.length ? keys.join(' and ') : 'no hash key'}`, 'set exactly one of cookie, header, sourceIp or queryParameter');
    }
    if (o.cookie) {
      const c = o.cookie;
      if (typeof c.name !== 'string' || !RFC6265_TOKEN.test(c.name)) {
        fail(this.owner, `${at} cookie name ${show(c.name)} is not an RFC 6265 token`, 'use letters, digits and \'-\', \'_\', \'.\' or \'~\', e.g. \'route\'');
      }
      if (c.path !== undefined && (!c.path.startsWith('/') || /[\s;,]/.test(c.path))) {
        fail(this.owner, `${at} cookie path ${show(c.path)} is not an absolute path`, 'use e.g. \'/\'');
      }
      const ttl = c.ttl === undefined ? 0 : secondsOf(c.ttl);
      if (!Number.isInteger(ttl) || ttl < 0) fail(this.owner, `${at} cookie ttl ${ttl}s is not a whole number of seconds >= 0`, 'use e.g. Duration.hours(1), or Duration.seconds(0) for a session cookie');
      return { httpCookie: compact({ name: c.name, path: c.path, ttl: `${ttl}s` }) };
    }
    if (o.header !== undefined) {
      if (!HEADER_NAME.test(o.header)) fail(this.owner, `${at} header ${show(o.header)} is not an HTTP header name`, 'use e.g. \'x-user-id\'');
      return { httpHeaderName: o.header };
    }
    if (o.queryParameter !== undefined) {
      if (!/^[-._~0-9A-Za-z]+$/.test(o.queryParameter)) fail(this.owner, `${at} queryParameter ${show(o.queryParameter)} is not a plain parameter name`, 'use letters, digits, \'-\', \'_\', \'.\' or \'~\'');
      return { httpQueryParameterName: o.queryParameter };
    }
    return { useSourceIp: true };
  }

  private ensureDestinationRule(svc: ServiceInfo, port: ServicePortInfo): void {
    if (this._destinationRules.some((dr) => (dr.toJson().spec.host === svc.name && dr.metadata.namespace === svc.namespace))) return;
    const l7 = this.consistentHash && !this.consistentHash.useSourceIp;
    const selected = l7 ? istioPortProtocol(port) : undefined;
    if (selected?.class === IstioProtocolClass.OPAQUE) {
      fail(this.owner, `istioConsistentHash hashes an HTTP ${this.consistentHash!.httpCookie ? 'cookie' : this.consistentHash!.httpHeaderName ? 'header' : 'query parameter'}, but port ${port.port}${port.name ? ` ('${port.name}')` : ''} of Service '${svc.name}' is ${selected.reason}, which Istio proxies as opaque ${selected.tls ? 'TLS (a sidecar does not decrypt it)' : 'non-HTTP traffic'}, so the hash would be ignored`,
        'serve plain HTTP on a port named \'http\' or \'http-<suffix>\' (or appProtocol: \'http\'; Istio mTLS encrypts pod-to-pod traffic), or use sourceIp: true');
    }
    const dr = manifest(this, this._destinationRules.length === 0 ? 'DestinationRule' : `DestinationRule-${svc.name}`, 'networking.istio.io/v1', 'DestinationRule', {
      name: `${svc.name}-sticky`,
      namespace: svc.namespace,
      labels: { 'app.kubernetes.io/managed-by': MANAGED_BY },
      body: { spec: { host: svc.name, trafficPolicy: { loadBalancer: { consistentHash: { ...this.consistentHash } } } } },
    });
    this._destinationRules.push(dr);
  }

  private renderNotFoundBackend(name: string, options: NotFoundBackendOptions): WebApp {
    if (options.replicas !== undefined && (!Number.isInteger(options.replicas) || options.replicas < 1)) {
      fail(this.owner, `DefaultBackend.notFound replicas ${show(options.replicas)} is not a whole number >= 1`, 'use 1 or more (2 by default): with none, the controller answers unknown hosts with 503, not 404');
    }
    const app = new WebApp(this, 'DefaultBackend', {
      name,
      namespace: this.namespace,
      image: NOT_FOUND_BACKEND_IMAGE,
      replicas: options.replicas ?? 2,
      ports: [{ containerPort: NOT_FOUND_BACKEND_PORT, name: 'http', servicePort: 80 }],
      readiness: Probe.httpGet('/healthz'),
      liveness: Probe.httpGet('/healthz'),
      resources: HELPER_RESOURCES,
      runAsUser: NOT_FOUND_BACKEND_UID,
      writablePaths: [],
      partOf: this.name,
    });
    // The image is built for amd64 only: keep it off arm64 nodes, where it would fail with "exec format error".
    app.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { 'kubernetes.io/arch': 'amd64' }));
    return app;
  }

  private checkSameNamespace(prop: string, svc: ServiceInfo): void {
    if (svc.namespace !== this.namespace) {
      fail(this.owner, `${prop} Service '${svc.name}' is in namespace ${show(svc.namespace)}, not ${show(this.namespace)}`,
        'an Ingress can only route to Services in its own namespace; use a backend in the same namespace');
    }
  }

  // ------------------------------------------------------------------------------------ synth-time checks

  /** Rules that depend on other constructs (namespaces, canaries, other DestinationRules), checked at synth. */
  private validateAgainstTree(objects: readonly ApiObject[]): string[] {
    const errors: string[] = [];
    const kind = this.strategy.kind;
    const catching = (check: () => void) => {
      try {
        check();
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    if (kind === StickyStrategyKind.NGINX_COOKIE || kind === StickyStrategyKind.CLIENT_IP) {
      // An Ingress controller (endpoints) or kube-proxy (ClusterIP) picks among the pods of every version
      // the Service selects: a VirtualService that routes the Service by subset or weight is bypassed.
      const services = kind === StickyStrategyKind.CLIENT_IP ? [this.mainService] : [...new Map(this.paths.map((p) => [p.svc.name, p.svc])).values()];
      const layer = kind === StickyStrategyKind.CLIENT_IP ? 'kube-proxy picks' : 'ingress-nginx sends each request to one of';
      for (const svc of services) {
        for (const vs of subsetRoutesOf(svc, objects)) {
          catching(() => fail(this.owner, `${kind === StickyStrategyKind.CLIENT_IP ? 'clientIp' : 'nginxCookie'} on Service '${svc.name}', which VirtualService '${vs.name}' routes by ${vs.how}: ${layer} the Service's pods of every version directly, around the VirtualService, so each version gets traffic in proportion to its pods whatever the stage`,
            'serve the release through its Istio gateway (CanaryGateway) and keep users on a version with the CanaryRelease sticky option'));
        }
      }
    }
    if (kind === StickyStrategyKind.CLIENT_IP) {
      // Behind an Ingress controller the client is the controller's pod: ClientIP affinity pins nothing.
      for (const other of otherIngressesOf(objects, [], this.namespace, undefined)) {
        if (!other.services.includes(this.mainService.name)) continue;
        catching(() => fail(this.owner, `clientIp on Service '${this.mainService.name}', which Ingress '${other.name}' also routes to: behind an Ingress controller kube-proxy sees the controller's pods, not the clients, so requests through it are not sticky`,
          `use StickyStrategy.nginxCookie for traffic through the Ingress (one StickyIngress for the Service), or remove Ingress '${other.name}'`));
      }
    }
    if (kind === StickyStrategyKind.NGINX_COOKIE && this.ingress) {
      // ingress-nginx keeps one affinity setting per Service (upstream), taken from the first-created
      // Ingress that routes to it (kubernetes/ingress-nginx#4211): another Ingress of the class with other
      // (or no) affinity annotations for the same Service makes the stickiness depend on creation order.
      const mine = affinityOf(this.ingress.metadata.toJson().annotations);
      const own = new Set(this.paths.map((p) => p.svc.name));
      // The admission webhook checks host + path across every namespace.
      for (const other of otherIngressesOf(objects, [this.ingress, this.defaultBackendIngress], null, this.className)) {
        const twice = this.paths.filter((p) => other.routes.includes(`${this.host} ${p.path} ${p.pathType}`));
        if (twice.length) {
          catching(() => fail(this.owner, `Ingress '${other.name}' already routes host ${show(this.host)} path ${twice.map((p) => show(p.path)).join(', ')} (${twice[0].pathType}): ingress-nginx's admission webhook rejects the second Ingress for a host and path ("is already defined in ingress"), and without the webhook one of them silently wins`,
            'route each host and path through one Ingress: add the path to one StickyIngress, or use another host or path'));
        }
      }
      for (const other of otherIngressesOf(objects, [this.ingress, this.defaultBackendIngress], this.namespace, this.className)) {
        const shared = other.services.filter((n) => own.has(n));
        if (shared.length === 0 || other.affinity === mine) continue;
        catching(() => fail(this.owner, `Ingress '${other.name}' also routes to Service ${shared.map((n) => `'${n}'`).join(', ')} ${other.affinity === '{}' ? 'without cookie affinity' : 'with other cookie-affinity settings'}: ingress-nginx keeps one affinity setting per Service, from whichever Ingress was created first (kubernetes/ingress-nginx#4211), so whether sessions stick would depend on the order the Ingresses are applied`,
          `route those paths through this StickyIngress (addPath, or another host with the same nginxCookie settings), or give Ingress '${other.name}' a Service of its own`));
      }
    }
    if (kind === StickyStrategyKind.CLIENT_IP && this.meshInjected === undefined) {
      const mesh = meshInjectionOf(this.mainService, objects);
      if (mesh) catching(() => this.failClientIpInMesh(mesh));
    }
    if (kind === StickyStrategyKind.ISTIO_CONSISTENT_HASH) {
      for (const dr of this._destinationRules) {
        const host = dr.toJson().spec.host;
        const svc = { name: host as string, namespace: dr.metadata.namespace };
        for (const split of weightedSplitsOf(svc, objects)) {
          catching(() => fail(this.owner, `istioConsistentHash on Service '${svc.name}', which VirtualService '${split.name}' splits by weight (${split.weights}): Envoy hashes within one subset, so a weighted split moves users between versions anyway (istio/istio#9764)`,
            'drop the StickyIngress strategy for this app and use the CanaryRelease sticky option (a cookie matched before the weighted route)'));
        }
        for (const other of otherDestinationRulesOf(svc, objects, this._destinationRules)) {
          catching(() => fail(this.owner, `DestinationRule '${other}' also targets host '${svc.name}'; Istio applies only one traffic policy per host, so the consistent hash may be ignored`,
            `put the consistentHash into '${other}' instead of a second DestinationRule; if '${other}' belongs to a CanaryRelease, use its sticky option instead (a consistent hash does not hold across weighted subsets, istio/istio#9764)`));
        }
      }
    }
    return errors;
  }
}

// =====================================================================================================
// Discovery in the construct tree
// =====================================================================================================

/**
 * Why the pods behind `service` are in the Istio mesh, or `undefined` when nothing in the construct
 * tree says so. The facts are discovered, not declared, so they work with any construct that renders
 * them (Namespace, MeshNamespace, plain ApiObjects):
 * - a pod-template label or annotation `sidecar.istio.io/inject` on the backend's Deployment
 *   (`"false"` opts out, `"true"` opts in);
 * - otherwise an object of kind `Namespace` named like the Service's namespace, anywhere in the app,
 *   labelled `istio-injection: enabled`, `istio.io/rev: <revision>` or
 *   `istio.io/dataplane-mode: ambient` (`istio-injection: disabled` wins over `istio.io/rev`).
 * Namespaces labelled outside the app are invisible: set StickyIngress's `meshInjected` then.
 */
export function meshInjectionOf(service: { readonly name: string; readonly namespace?: string; readonly backend?: IServiceBackend }, objects: readonly ApiObject[]): string | undefined {
  const deployment = (service.backend as { deployment?: unknown } | undefined)?.deployment;
  if (deployment instanceof ApiObject) {
    const meta = jsonOf(deployment)?.spec?.template?.metadata ?? {};
    const inject = meta.labels?.['sidecar.istio.io/inject'] ?? meta.annotations?.['sidecar.istio.io/inject'];
    if (inject === 'false') return undefined;
    if (inject === 'true') return 'pod label sidecar.istio.io/inject=true';
  }
  if (service.namespace === undefined) return undefined;
  for (const o of objects) {
    if (o.kind !== 'Namespace' || o.apiVersion !== 'v1') continue;
    const json = jsonOf(o);
    if (json?.metadata?.name !== service.namespace) continue;
    const labels: Record<string, string> = json.metadata.labels ?? {};
    if (labels['istio-injection'] === 'enabled') return `namespace '${service.namespace}' is labelled istio-injection=enabled`;
    if (labels['istio-injection'] === 'disabled') continue;
    if (labels['istio.io/rev']) return `namespace '${service.namespace}' is labelled istio.io/rev=${labels['istio.io/rev']}`;
    if (labels['istio.io/dataplane-mode'] === 'ambient') return `namespace '${service.namespace}' is labelled istio.io/dataplane-mode=ambient`;
  }
  return undefined;
}

/** True when a VirtualService/DestinationRule `host` (seen from `fromNamespace`) names the Service. */
function hostIsService(host: unknown, fromNamespace: string | undefined, svc: { name: string; namespace?: string }): boolean {
  if (typeof host !== 'string') return false;
  if (host === svc.name) return fromNamespace === svc.namespace;
  if (svc.namespace === undefined) return false;
  const base = `${svc.name}.${svc.namespace}`;
  return host === base || host === `${base}.svc` || host === `${base}.svc.cluster.local`;
}

/**
 * VirtualServices in the app whose HTTP routes split the Service's traffic by weight (a route with more
 * than one destination, one of them the Service) — what a CanaryRelease renders for a weighted stage.
 */
function weightedSplitsOf(svc: { name: string; namespace?: string }, objects: readonly ApiObject[]): Array<{ name: string; weights: string }> {
  const out: Array<{ name: string; weights: string }> = [];
  for (const json of jsonOfKind(objects, 'VirtualService', 'networking.istio.io/')) {
    for (const http of json.spec?.http ?? []) {
      const route: Json[] = http.route ?? [];
      if (route.length < 2 || !route.some((d) => hostIsService(d.destination?.host, json.metadata.namespace, svc))) continue;
      const weights = route.map((d) => `${d.destination?.subset ?? d.destination?.host}=${d.weight ?? 0}`).join(', ');
      out.push({ name: json.metadata.name, weights });
      break;
    }
  }
  return out;
}

/**
 * VirtualServices that route `svc` by subset (any stage of a CanaryRelease, 100/0 included) or split it
 * by weight between destinations: what an Ingress controller or kube-proxy bypasses.
 */
function subsetRoutesOf(svc: { name: string; namespace?: string }, objects: readonly ApiObject[]): Array<{ name: string; how: string }> {
  const out: Array<{ name: string; how: string }> = [];
  for (const json of jsonOfKind(objects, 'VirtualService', 'networking.istio.io/')) {
    const routes: Json[][] = (json.spec?.http ?? []).map((h: Json) => h.route ?? []);
    // Requests for the Service's host (SERVICES mode: the Service over every release) or to it as a destination.
    const forHost = (json.spec?.hosts ?? []).some((h: unknown) => hostIsService(h, json.metadata.namespace, svc));
    const mine = forHost ? routes : routes.filter((r) => r.some((d) => hostIsService(d.destination?.host, json.metadata.namespace, svc)));
    if (mine.length === 0) continue;
    const subsets = [...new Set(mine.flat().map((d) => d.destination?.subset).filter((x): x is string => typeof x === 'string'))];
    if (subsets.length) out.push({ name: json.metadata.name, how: `subset (${subsets.join(', ')})` });
    else if (mine.some((r) => r.length > 1)) out.push({ name: json.metadata.name, how: 'weight between destinations' });
  }
  return out;
}

/** The `nginx.ingress.kubernetes.io/affinity*` and `session-cookie-*` annotations, as a comparable string. */
function affinityOf(annotations: Record<string, string> | undefined): string {
  const picked = Object.entries(annotations ?? {})
    .filter(([k]) => k.startsWith(`${NGINX}/affinity`) || k.startsWith(`${NGINX}/session-cookie-`))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(Object.fromEntries(picked));
}

/**
 * Other Ingresses in the tree that the same controller may serve (same ingressClassName, or none) in
 * `namespace` (`null`: any namespace), with their host/path routes, the Services they route to (by name,
 * in their own namespace) and their affinity settings.
 */
function otherIngressesOf(objects: readonly ApiObject[], own: ReadonlyArray<ApiObject | undefined>, namespace: string | undefined | null, className: string | undefined) {
  return objects
    .filter((o) => o.kind === 'Ingress' && o.apiVersion === 'networking.k8s.io/v1' && !own.includes(o) && (namespace === null || o.metadata.namespace === namespace))
    .map((o) => jsonOf(o))
    .filter((j): j is Json => j !== undefined)
    .filter((j) => {
      const cls = j.spec?.ingressClassName ?? j.metadata?.annotations?.['kubernetes.io/ingress.class'];
      return cls === undefined || className === undefined || cls === className;
    })
    .map((j) => ({
      name: j.metadata.name as string,
      affinity: affinityOf(j.metadata.annotations),
      routes: (j.spec?.rules ?? []).flatMap((r: Json) => (r.http?.paths ?? []).map((p: Json) => `${r.host} ${p.path} ${p.pathType}`)) as string[],
      services: [...new Set([
        j.spec?.defaultBackend?.service?.name,
        ...(j.spec?.rules ?? []).flatMap((r: Json) => (r.http?.paths ?? []).map((p: Json) => p.backend?.service?.name)),
      ].filter((n): n is string => typeof n === 'string'))],
    }));
}

/**
 * Names of DestinationRules in the app for the same host, other than `own` (the calling StickyIngress's
 * own rules; another StickyIngress's rule for the same host is a conflict like any other).
 */
function otherDestinationRulesOf(svc: { name: string; namespace?: string }, objects: readonly ApiObject[], own: readonly ApiObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'DestinationRule' && o.apiVersion.startsWith('networking.istio.io/') && !own.includes(o))
    .map((o) => jsonOf(o))
    .filter((j): j is Json => j !== undefined && hostIsService(j.spec?.host, j.metadata?.namespace, svc))
    .map((j) => j.metadata.name);
}

// =====================================================================================================
// Helpers
// =====================================================================================================

function backendJson(svc: ServiceInfo, port: ServicePortInfo): Json {
  return { service: { name: svc.name, port: { number: port.port } } };
}

/** RFC 6265 path-match: `path` is `cookiePath` or under it (at a '/' boundary). */
function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

function positiveSeconds(owner: string, prop: string, d: Duration | undefined): void {
  if (d === undefined) return;
  const s = secondsOf(d);
  if (!Number.isInteger(s) || s <= 0) fail(owner, `${prop} ${s}s is not a positive whole number of seconds`, 'use e.g. Duration.hours(48)');
}

/** Seconds of a Duration, possibly fractional (Duration.toSeconds() throws on fractions; we report them). */
function secondsOf(d: Duration): number {
  return d.toMilliseconds() / 1000;
}
