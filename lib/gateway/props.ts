/** The Gateway construct's properties and the value types they use. */

/** A listener's protocol (for HTTPRoutes). */
export enum ListenerProtocol {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS, terminated at the Gateway with the listener's certificateRefs. */
  HTTPS = 'HTTPS',
}

/**
 * Which namespaces may attach routes to a listener (`allowedRoutes.namespaces`).
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#routenamespaces
 */
export class RouteNamespaces {
  /** Only the Gateway's own namespace (the Gateway API default). */
  public static same(): RouteNamespaces {
    return new RouteNamespaces('Same', undefined);
  }

  /** Every namespace. */
  public static all(): RouteNamespaces {
    return new RouteNamespaces('All', undefined);
  }

  /** Namespaces whose labels include `matchLabels` (e.g. `{ 'kubernetes.io/metadata.name': 'shop' }`). */
  public static selector(matchLabels: Record<string, string>): RouteNamespaces {
    return new RouteNamespaces('Selector', { ...matchLabels });
  }

  private constructor(
    /** `Same`, `All` or `Selector`. */
    public readonly from: 'Same' | 'All' | 'Selector',
    /** The labels, for `Selector`. */
    public readonly matchLabels: Readonly<Record<string, string>> | undefined,
  ) {}
}

/** A TLS Secret (type `kubernetes.io/tls`) a listener terminates HTTPS with. */
export interface CertificateRef {
  /** Secret name. */
  readonly name: string;
  /**
   * Its namespace. A Secret outside the Gateway's namespace needs a ReferenceGrant there, which the
   * Gateway renders. @default - the Gateway's namespace
   */
  readonly namespace?: string;
}

/** One listener of a {@link Gateway}. */
export interface GatewayListener {
  /** Listener name (DNS-1123 label): what a route's `sectionName` names. */
  readonly name: string;
  /** Protocol. */
  readonly protocol: ListenerProtocol;
  /** Port. @default 80 for HTTP, 443 for HTTPS */
  readonly port?: number;
  /** The hostname served: a DNS name or a leading wildcard (`*.example.com`). @default - every hostname */
  readonly hostname?: string;
  /** TLS Secrets (required for HTTPS, refused for HTTP). @default - none */
  readonly certificateRefs?: CertificateRef[];
  /** Which namespaces may attach routes. @default RouteNamespaces.same() */
  readonly allowedRoutes?: RouteNamespaces;
  /**
   * An HTTP listener only: answer every request with a 301 to the same URL on `https`, through an HTTPRoute
   * `<gateway>-<listener>-https-redirect` on this listener (the Gateway needs an HTTPS listener). Routes
   * then attach to the HTTPS listener (`sectionName`); one that would attach to this listener is refused.
   * @default false
   */
  readonly redirectToHttps?: boolean;
}

/** Properties of a {@link Gateway}. */
export interface GatewayProps {
  /** Gateway name (DNS-1123 label). @default - derived from the id */
  readonly name?: string;
  /** The GatewayClass (e.g. `istio`, `eg` for Envoy Gateway, `cilium`). */
  readonly gatewayClassName: string;
  /** Listeners (1-64). */
  readonly listeners: GatewayListener[];
}
