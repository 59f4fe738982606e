/** The Istio Gateway a release is served through, as users declare it. */

/** Options of {@link CanaryGateway.create}. */
export interface CanaryGatewayOptions {
  /** Hosts served (DNS names or `*.domain` wildcards). */
  readonly hosts: string[];
  /**
   * Also serve HTTPS on port 443 with this TLS Secret (type kubernetes.io/tls), which must live in
   * the ingress gateway's namespace (usually `istio-system`). @default - HTTP only
   */
  readonly httpsCredentialName?: string;
  /** With HTTPS, answer plain HTTP with a 301 to HTTPS. @default false */
  readonly redirectHttpToHttps?: boolean;
  /** Labels of the gateway pods. @default { istio: 'ingressgateway' } */
  readonly selector?: Record<string, string>;
}

/** The Istio Gateway a release is served through: one it creates, or an existing one. */
export class CanaryGateway {
  /** Creates a Gateway `<name>-gateway` next to the release (HTTP on 80, optional HTTPS on 443). */
  public static create(options: CanaryGatewayOptions): CanaryGateway {
    return new CanaryGateway(options.hosts, undefined, options);
  }

  /** Binds to an existing Gateway (`name` in the release's namespace, or `namespace/name`) that serves `hosts`. */
  public static fromName(name: string, hosts: string[]): CanaryGateway {
    return new CanaryGateway(hosts, name, undefined);
  }

  private constructor(
    /** Hosts served through the gateway. */
    public readonly hosts: readonly string[],
    /** The existing gateway's reference, when bound by name. */
    public readonly existingName: string | undefined,
    /** The options of a created gateway. */
    public readonly options: CanaryGatewayOptions | undefined,
  ) {}
}
