import { IGateway } from '../gateway/gateway';

/** Options of {@link TrafficApi.gatewayApi}. */
export interface GatewayApiOptions {
  /**
   * Serve the release north-south through this Gateway: an HTTPRoute `<name>-gateway` attached to it
   * (a {@link Gateway} of this app, checked against its listeners, or `Gateway.fromGatewayName(...)`).
   * @default - no north-south route
   */
  readonly gateway?: IGateway;
  /**
   * The hostnames of the north-south HTTPRoute (DNS names or `*.example.com`); each must be accepted by
   * a listener of the Gateway. Requires `gateway`.
   * @default - every hostname the Gateway's listeners accept
   */
  readonly hostnames?: string[];
  /**
   * Attach the north-south HTTPRoute to this listener of the Gateway only (`parentRefs[].sectionName`),
   * e.g. `'https'` so that the release is not served on plain HTTP. Requires `gateway`; checked
   * against the listeners of a {@link Gateway} of this app.
   * @default - every listener of the Gateway that accepts the route
   */
  readonly sectionName?: string;
  /**
   * Route in-mesh callers too (GAMMA): an HTTPRoute `<name>` attached to the release's Service
   * (`parentRefs: [{ group: '', kind: Service }]`), so calls to `<name>` from inside the mesh follow
   * the stage like calls through the Gateway.
   * @default true
   */
  readonly mesh?: boolean;
  /**
   * Render experimental-channel fields of Gateway API v1.6.1 (today: HTTPRoute `retry`, from the
   * `retries` prop). The experimental CRDs must be installed; without this opt-in, props that need
   * them are refused at synth.
   * @default false
   */
  readonly experimental?: boolean;
}

/**
 * Which traffic API a {@link CanaryRelease} renders its routes with. Both read the same declaration
 * (versions, stages, weights, matches, mirroring), so a release can move from one to the other
 * without changing where any request goes.
 */
export class TrafficApi {
  /** Istio's own resources: DestinationRule subsets, VirtualService, optional Istio Gateway (the default). */
  public static istio(): TrafficApi {
    return new TrafficApi('istio', undefined);
  }

  /**
   * The Kubernetes Gateway API (v1.6, standard channel): a Service per version (Gateway API has no
   * subsets) and HTTPRoutes with the stage's match rules before a weighted default rule, attached to a
   * Gateway and/or the release's Service (GAMMA); a blue/green preview host gets an HTTPRoute of its
   * own. Options the Gateway API cannot express (another authority match, sticky, trafficPolicy,
   * corsPolicy, rewrite) are refused at synth.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  public static gatewayApi(options: GatewayApiOptions = {}): TrafficApi {
    return new TrafficApi('gateway-api', { ...options });
  }

  private constructor(
    /** `istio` or `gateway-api`. */
    public readonly api: 'istio' | 'gateway-api',
    /** The Gateway API options (for `gateway-api`). */
    public readonly gatewayApiOptions: GatewayApiOptions | undefined,
  ) {}
}
