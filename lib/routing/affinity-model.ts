/**
 * The session-affinity model: plain, readonly data that says how a client is kept on one pod of an
 * app, and which host and paths lead there. Built and validated from StickyIngress's props
 * (lib/sticky/), rendered by the Kubernetes Ingress / ingress-nginx renderer (lib/routing/ingress/),
 * the Istio consistent-hash renderer (lib/routing/istio/consistent-hash.ts) and, for client-IP
 * affinity, onto the backend's Service (lib/sticky/client-ip.ts). The Gateway API renderer
 * (lib/routing/gateway-api/sticky-route.ts) maps the host and path to an HTTPRoute attached to a
 * Gateway, and a {@link SessionPersistenceAffinity} to the rule's `sessionPersistence` (GEP-1619);
 * where the implementation ignores that field (Istio), the affinity is a {@link HashAffinity} instead.
 */

/** A port of a Service, as routes name it. */
export interface ServicePortRef {
  /** Service name. */
  readonly service: string;
  /** Service namespace (`undefined`: the kubectl context's). */
  readonly namespace?: string;
  /** Service port number. */
  readonly port: number;
  /** Service port name, if it has one. */
  readonly portName?: string;
}

/** The cookie a proxy sets naming the pod (or hash key) a client is kept on, with its attributes. */
export interface AffinityCookie {
  /** Cookie name (an RFC 6265 token). */
  readonly name: string;
  /** `Path`. @default - the proxy's choice (ingress-nginx: the matched Ingress path) */
  readonly path?: string;
  /** `Max-Age` in whole seconds (> 0). @default - a session cookie */
  readonly maxAgeSeconds?: number;
  /** Legacy `Expires`, in whole seconds from now (> 0). @default - none */
  readonly expiresSeconds?: number;
  /** `Domain`. @default - the request host */
  readonly domain?: string;
  /** `SameSite` (`Strict`, `Lax` or `None`). @default - not set */
  readonly sameSite?: string;
  /** `true`: always `Secure`; `false`: never; unset: the proxy's choice (ingress-nginx: on HTTPS requests). */
  readonly secure?: boolean;
}

/** The Ingress controller picks the pod and sets a cookie naming it (ingress-nginx cookie affinity). */
export interface CookieAffinity {
  /** Discriminator. */
  readonly kind: 'cookie';
  /** The cookie. */
  readonly cookie: AffinityCookie;
  /** `balanced`: some sessions move to new pods after a scale-up; `persistent`: never. */
  readonly mode: 'balanced' | 'persistent';
  /** Re-pin the client to another pod when a request to its pod failed and was retried. */
  readonly changeOnFailure: boolean;
}

/** kube-proxy pins each client IP to a pod (Service `sessionAffinity: ClientIP`). */
export interface ClientIpAffinity {
  /** Discriminator. */
  readonly kind: 'clientIp';
  /** How long a client stays pinned after its last connection, in seconds (1-86400). */
  readonly timeoutSeconds: number;
}

/** What a consistent hash hashes: exactly one key. */
export type HashKey =
  | { readonly cookie: { readonly name: string; readonly path?: string; readonly ttlSeconds: number } }
  | { readonly header: string }
  | { readonly queryParameter: string }
  | { readonly sourceIp: true };

/** Every proxy in front of the pods (Istio: each Envoy) hashes a request attribute onto the same pod. */
export interface HashAffinity {
  /** Discriminator. */
  readonly kind: 'hash';
  /** The hashed attribute. */
  readonly key: HashKey;
}

/**
 * The Gateway implementation keeps the client on one endpoint with a cookie it sets (HTTPRoute
 * `sessionPersistence`, experimental channel of Gateway API v1.6.1).
 * @see https://gateway-api.sigs.k8s.io/geps/gep-1619/
 */
export interface SessionPersistenceAffinity {
  /** Discriminator. */
  readonly kind: 'sessionPersistence';
  /** `sessionName`: the cookie's name. */
  readonly sessionName: string;
  /** `absoluteTimeout` in whole seconds, if set. */
  readonly absoluteTimeoutSeconds?: number;
  /** `cookieConfig.lifetimeType`: `Permanent` (Expires/Max-Age = absoluteTimeout) or `Session`. */
  readonly lifetimeType: 'Permanent' | 'Session';
}

/** How a client is kept on one pod. */
export type SessionAffinity = CookieAffinity | ClientIpAffinity | HashAffinity | SessionPersistenceAffinity;

/** The host routed through a Gateway API Gateway (StickyStrategy.gatewayApiCookie). */
export interface GatewayRouting {
  /** The Gateway (and listener) the HTTPRoute attaches to. */
  readonly parent: GatewayParentRef;
  /** The host (a DNS name or `*.domain`). */
  readonly host: string;
  /** The one path, to the main backend. */
  readonly path: { readonly type: 'PathPrefix' | 'Exact'; readonly value: string };
}

/** A Gateway by name, as the sticky model refers to it (the renderer's GatewayParent, kept free of listeners here). */
export interface GatewayParentRef {
  /** For messages, e.g. `Gateway 'public'`. */
  readonly owner: string;
  /** Gateway name. */
  readonly name: string;
  /** Its namespace (`undefined`: the route's). */
  readonly namespace?: string;
  /** The listener (`sectionName`), if one. */
  readonly sectionName?: string;
}

/** How an Ingress path is matched (the Kubernetes `pathType`). */
export type IngressPathType = 'Prefix' | 'Exact' | 'ImplementationSpecific';

/** One path of the host, routed to a Service port. */
export interface IngressPathRoute {
  /** The path (starts with '/'), or a regular expression when {@link regex}. */
  readonly path: string;
  /** How it is matched. */
  readonly pathType: IngressPathType;
  /** The path is a regular expression. */
  readonly regex: boolean;
  /** Where matching requests go. */
  readonly backend: ServicePortRef;
}

/** The host routed through an Ingress controller. */
export interface IngressRouting {
  /** The host (a DNS name or `*.domain`). */
  readonly host: string;
  /** The IngressClass. */
  readonly className: string;
  /** TLS Secret for the host, if the Ingress terminates TLS. */
  readonly tlsSecretName?: string;
  /** The paths, in the order they were added. */
  readonly paths: readonly IngressPathRoute[];
  /** The user's extra Ingress annotations (checked not to contradict the affinity). */
  readonly annotations: Readonly<Record<string, string>>;
}

/** The session-affinity model of one StickyIngress (see the module comment). */
export interface StickyRouting {
  /** Name of the Ingress (and prefix of the helper objects). */
  readonly name: string;
  /** Namespace of the Ingress and the backend Service. */
  readonly namespace?: string;
  /** How clients stick. */
  readonly affinity: SessionAffinity;
  /** The main backend. */
  readonly service: ServicePortRef;
  /** The host and paths, when traffic comes through an Ingress controller. */
  readonly ingress?: IngressRouting;
  /** The host and path, when traffic comes through a Gateway API Gateway. */
  readonly gateway?: GatewayRouting;
  /** What answers requests no rule matches, if set. */
  readonly defaultBackend?: ServicePortRef;
  /** Every distinct Service the routes send to, main backend first (each gets a hash policy under `hash` affinity). */
  readonly services: readonly ServicePortRef[];
}

/** True when some path matches every request path of the host (`/` as a prefix), so none is left unmatched. */
export function routesEveryPath(ingress: IngressRouting): boolean {
  return ingress.paths.some((p) => p.path === '/' && p.pathType !== 'Exact');
}
