import { Duration } from 'cdk8s';
import type { GatewayApiCookieOptions } from './gateway-api-strategy';

/** StickyStrategy: which layer keeps a client on one pod, and the options of each. */

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
  /** A Gateway API Gateway keeps the client on one endpoint (HTTPRoute `sessionPersistence`, or Istio's consistent hash). */
  GATEWAY_API_COOKIE = 'gatewayApiCookie',
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
    return new StickyStrategy(StickyStrategyKind.NGINX_COOKIE, options, {}, {}, undefined);
  }

  /**
   * kube-proxy client-IP affinity on the backend's Service (`sessionAffinity: ClientIP`). Works only
   * when kube-proxy sees the real client IP: no Ingress controller or proxy in front, no mesh
   * sidecar on the caller, and `externalTrafficPolicy: Local` on NodePort/LoadBalancer Services
   * (set automatically). Renders no Ingress. A WebApp backend gets the affinity through
   * `WebApp.setSessionAffinity`; any other backend's `service` object is edited (see IServiceBackend).
   */
  public static clientIp(options: ClientIpOptions = {}): StickyStrategy {
    return new StickyStrategy(StickyStrategyKind.CLIENT_IP, {}, options, {}, undefined);
  }

  /**
   * Istio consistent-hash load balancing: a DestinationRule for each backend Service makes every
   * Envoy (ingress gateway and sidecars) hash the chosen key onto the same pod. With a host, also
   * renders an Ingress for the Istio ingress gateway (`ingressClassName: istio`).
   */
  public static istioConsistentHash(options: IstioConsistentHashOptions): StickyStrategy {
    return new StickyStrategy(StickyStrategyKind.ISTIO_CONSISTENT_HASH, {}, {}, options, undefined);
  }

  /**
   * Sticky sessions through a Gateway API Gateway (StickyIngress `gateway`, `host`): an HTTPRoute on the
   * Gateway for the host and path, and what makes a session stick on the named implementation:
   * - Envoy Gateway, kgateway, Cilium (with cilium/cilium#48029), NGINX Gateway Fabric with NGINX Plus:
   *   the rule's `sessionPersistence` (cookie `name`, `absoluteTimeout`, lifetime), an
   *   experimental-channel field: only with `experimental: true`;
   * - Istio, which ignores `sessionPersistence`: a DestinationRule per backend Service hashing the cookie
   *   `name` (Envoy sets it when missing), like istioConsistentHash; no experimental field;
   * - NGINX Gateway Fabric with NGINX OSS, Kong, Traefik, which ignore it: refused, with the reason.
   * @example
   * StickyStrategy.gatewayApiCookie({ implementation: GatewayImplementation.ENVOY_GATEWAY, name: 'route', absoluteTimeout: Duration.hours(48), permanent: true, experimental: true })
   * @see https://gateway-api.sigs.k8s.io/geps/gep-1619/
   */
  public static gatewayApiCookie(options: GatewayApiCookieOptions): StickyStrategy {
    return new StickyStrategy(StickyStrategyKind.GATEWAY_API_COOKIE, {}, {}, {}, options);
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
    /** The gatewayApiCookie options (`undefined` for other strategies). */
    public readonly gatewayApiOptions: GatewayApiCookieOptions | undefined,
  ) {}
}
