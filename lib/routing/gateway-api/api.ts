/**
 * The Gateway API (gateway.networking.k8s.io) as the Gateway API renderer sees it: the API versions it
 * emits, the listeners of a Gateway routes attach to, and the renderer's own settings.
 * @see https://gateway-api.sigs.k8s.io/reference/spec/
 */

/** The API group. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** `gateway.networking.k8s.io/v1`: Gateway, HTTPRoute and ReferenceGrant (all served as v1 in v1.6, standard channel). */
export const GATEWAY_API_V1 = `${GATEWAY_API_GROUP}/v1`;

/** Which namespaces a listener accepts routes from (`allowedRoutes.namespaces`). */
export interface ListenerRouteNamespaces {
  /** `Same` (the Gateway's), `All`, or `Selector` (namespaces whose labels match {@link selector}). */
  readonly from: 'Same' | 'All' | 'Selector';
  /** Namespace labels, for `Selector`. */
  readonly selector?: Readonly<Record<string, string>>;
}

/** One listener of a Gateway, as far as route attachment reads it. */
export interface ListenerModel {
  /** Listener name (a route's `sectionName`). */
  readonly name: string;
  /** `HTTP` or `HTTPS` (or another protocol, e.g. `HBONE` for an Istio waypoint, which accepts no HTTPRoute). */
  readonly protocol: string;
  /** Port. */
  readonly port: number;
  /** The hostname it serves (`*.example.com` wildcards included); `undefined`: every hostname. */
  readonly hostname?: string;
  /** The namespaces it accepts routes from. */
  readonly allowedRoutes: ListenerRouteNamespaces;
  /** An HTTP listener whose requests the Gateway redirects to HTTPS (routes must not attach to it). */
  readonly redirectsToHttps?: boolean;
}

/** A Gateway routes attach to (`parentRefs`). */
export interface GatewayParent {
  /** For messages, e.g. `Gateway 'public'`. */
  readonly owner: string;
  /** Gateway name. */
  readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  readonly namespace?: string;
  /** Its listeners, when known (a Gateway of this app); `undefined` for a Gateway referenced by name, which cannot be checked. */
  readonly listeners?: readonly ListenerModel[];
  /** The one listener routes attach to (`parentRefs[].sectionName`); `undefined`: every listener that accepts them. */
  readonly sectionName?: string;
}

/** The settings only the Gateway API renderer reads (CanaryRelease's `TrafficApi.gatewayApi(...)`). */
export interface GatewayApiSettings {
  /** North-south: the Gateway the `<name>-gateway` HTTPRoute attaches to (with the release's gateway hosts as hostnames). */
  readonly gateway?: GatewayParent;
  /** East-west (GAMMA): the `<name>` HTTPRoute attached to the app's Service, so in-mesh callers follow the stage. */
  readonly mesh: boolean;
  /** Render experimental-channel fields (HTTPRoute `retry`); without it, options that need them are refused. */
  readonly experimental: boolean;
  /**
   * Hosts served by an HTTPRoute of their own on the gateway (the blue/green preview host), where the
   * stage's authority matches for that host apply to every request (see host-routes.ts). @default - none
   */
  readonly hostRoutes?: readonly string[];
}
