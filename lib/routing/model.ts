import { Json } from '../k8s-object';
import { show } from '../core';
import {
  VirtualServiceSpecHttpCorsPolicy, VirtualServiceSpecHttpHeaders, VirtualServiceSpecHttpRetries, VirtualServiceSpecHttpRewrite,
} from '../../imports/networking.istio.io';

/**
 * The routing model of a release: plain, readonly data that says how traffic reaches the versions of
 * one app, built and validated once from a construct's props (CanaryRelease: lib/canary/routing.ts).
 * Renderers turn it into objects without validating again: Istio today (lib/routing/istio/), and
 * later the Gateway API (an HTTPRoute per stage: `matches` → `HTTPRouteMatch`, the weighted route →
 * weighted `backendRefs`, the mirror → a `RequestMirror` filter, bound to a Gateway or, for GAMMA, to
 * the app's Service), Flagger (a `Canary` whose analysis walks the weights) or Argo Rollouts
 * (`setWeight` / `setHeaderRoute` / `setMirrorRoute` steps, one per stage).
 *
 * Nothing in here names an Istio field except {@link IstioRouting} and the route policy's
 * Istio-shaped values (see {@link RoutePolicy}).
 */

/** How a string (header value, path, host) is matched. `StringMatch` (lib/routing/match.ts) builds it. */
export interface StringMatchSpec {
  /** `exact`: the whole value; `prefix`: the value starts with it; `regex`: the whole value matches the RE2 pattern. */
  readonly kind: 'exact' | 'prefix' | 'regex';
  /** The value or pattern. */
  readonly value: string;
}

/**
 * One condition of a match block. Cookies are header conditions on `cookie` (a regex over the
 * header). Query parameters and methods (Gateway API `queryParams`, `method`) would be new members.
 */
export type MatchCondition =
  | { readonly type: 'header'; readonly name: string; readonly match: StringMatchSpec }
  | { readonly type: 'uri'; readonly match: StringMatchSpec }
  | { readonly type: 'authority'; readonly match: StringMatchSpec };

/** One match block: every condition must hold (AND), in the order they were declared. */
export interface HttpMatch {
  /** The conditions (validated: lowercase header names, each header, the uri and the authority tested once). */
  readonly conditions: readonly MatchCondition[];
}

/** A match route: requests matching any of `matches` (OR) go to `version`, before the weighted route. */
export interface MatchRoute {
  /** The route's name (the declared one, or `<stage>-match-<n>`). */
  readonly name: string;
  /** The alternatives; at least one. */
  readonly matches: readonly HttpMatch[];
  /** The version the matching requests go to. */
  readonly version: string;
}

/** Shadow traffic: a share of the weighted route's requests copied to a version; the copies' responses are dropped. */
export interface TrafficMirror {
  /** The version receiving the copies. */
  readonly version: string;
  /** Share copied, in percent (0 < p <= 100). */
  readonly percentage: number;
}

/** One stage of a release: how the traffic is split while it is rendered. */
export interface RoutingStage {
  /** Stage name (a DNS-1123 label). */
  readonly name: string;
  /** Percent of the weighted route per version: every version, in declared order, 0 included; sums to 100. */
  readonly weights: Readonly<Record<string, number>>;
  /** Match routes, tried in order before the weighted route. */
  readonly routes: readonly MatchRoute[];
  /** Mirroring of the weighted route, if any. */
  readonly mirror?: TrafficMirror;
}

/** Where requests for one version are sent. */
export interface VersionBackend {
  /** The Service. */
  readonly service: string;
  /**
   * The subset of the Service's pods that run the version (Istio: a DestinationRule subset), when the
   * Service spans every version; absent when the Service selects this version alone.
   */
  readonly subset?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
}

/** One version of the app. */
export interface RoutedVersion {
  /** Version name (a DNS-1123 label). */
  readonly name: string;
  /** Name of the version's workload (Deployment). */
  readonly workload: string;
  /** Where its requests go. */
  readonly backend: VersionBackend;
}

/** A port of the app's Service (the same on every version). */
export interface RoutedPort {
  /** Port name. */
  readonly name: string;
  /** Service port. */
  readonly port: number;
  /** `TCP`, `UDP` or `SCTP`. */
  readonly protocol: string;
  /** `appProtocol`, if any. */
  readonly appProtocol?: string;
}

/** The app whose versions are routed. */
export interface RoutedApp {
  /** Name of the Service over every version, and of the routing objects. */
  readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  readonly namespace?: string;
  /** Labels of the rendered routing objects. */
  readonly labels: Readonly<Record<string, string>>;
  /** Pod labels the Service over every version selects. */
  readonly selector: Readonly<Record<string, string>>;
  /** The Service's ports; the first is {@link port}. */
  readonly ports: readonly RoutedPort[];
  /** The HTTP port every route sends to. */
  readonly port: RoutedPort;
  /**
   * Names of the ports served on another number than their container port on purpose (a servicePort the
   * user set), written on the Service as `cdk8s-noops.io/intended-service-ports`. @default - none
   */
  readonly intendedServicePorts?: readonly string[];
}

/** A gateway the release creates: HTTP on 80, and HTTPS on 443 when a TLS Secret is named. */
export interface CreatedGateway {
  /** Discriminator. */
  readonly kind: 'created';
  /** Gateway name (`<name>-gateway`). */
  readonly name: string;
  /** Labels of the gateway's proxy pods (Istio's `selector`; a Gateway API renderer maps it to a GatewayClass). */
  readonly selector: Readonly<Record<string, string>>;
  /** TLS Secret for HTTPS, if any. */
  readonly httpsCredentialName?: string;
  /** Answer plain HTTP with a redirect to HTTPS. */
  readonly redirectHttpToHttps: boolean;
}

/** An existing gateway, by reference (`name` or `namespace/name`). */
export interface ExistingGateway {
  /** Discriminator. */
  readonly kind: 'existing';
  /** The reference. */
  readonly ref: string;
}

/** Where the release is reachable from. */
export interface HostAttachment {
  /** The in-mesh host: the app's Service. Routes always apply to in-mesh callers (Istio `mesh`, Gateway API GAMMA). */
  readonly meshHost: string;
  /** Hosts served through the gateway: the gateway's hosts, then the plan's preview hosts not listed there. */
  readonly gatewayHosts: readonly string[];
  /** The gateway, if the release is served through one. */
  readonly gateway?: CreatedGateway | ExistingGateway;
}

/**
 * Sticky canary: while a stage splits the weights, the weighted route sets a cookie naming the
 * canary it picked, and requests carrying it go to that canary before the weighted route.
 */
export interface VersionCookie {
  /** Cookie name. */
  readonly cookie: string;
  /** `Max-Age`, in seconds (>= 1). */
  readonly maxAgeSeconds: number;
  /** Add `Secure` (browsers reach the gateway over HTTPS only). */
  readonly secure: boolean;
  /** The version that never gets the cookie. */
  readonly stable: string;
}

/**
 * What every route of the release carries. The values other than the timeout keep the shape of
 * CanaryRelease's props (Istio's `HTTPRetry`, `CorsPolicy`, `Headers`, `HTTPRewrite`); a Gateway API
 * renderer maps them to `retry`, the CORS filter, the header modifier filters and `URLRewrite`.
 */
export interface RoutePolicy {
  /** Request timeout, in whole milliseconds (>= 1). */
  readonly timeoutMillis?: number;
  /** Retry policy. */
  readonly retries?: VirtualServiceSpecHttpRetries;
  /** CORS policy. */
  readonly cors?: VirtualServiceSpecHttpCorsPolicy;
  /** Header manipulation. */
  readonly headers?: VirtualServiceSpecHttpHeaders;
  /** URI/authority rewrite. */
  readonly rewrite?: VirtualServiceSpecHttpRewrite;
}

/** Settings only the Istio renderer reads. */
export interface IstioRouting {
  /** `networking.istio.io` API version of the rendered objects. */
  readonly apiVersion: string;
  /** DestinationRule `trafficPolicy`, as JSON. */
  readonly trafficPolicy?: Json;
}

/** The routing model of one release (see the module comment). */
export interface ReleaseRouting {
  /** The app. */
  readonly app: RoutedApp;
  /** Its versions, in declared order. */
  readonly versions: readonly RoutedVersion[];
  /** Every stage, in order. */
  readonly stages: readonly RoutingStage[];
  /** The stage to render (one of {@link stages}). */
  readonly stage: RoutingStage;
  /** Where the release is reachable from. */
  readonly attachment: HostAttachment;
  /** What every route carries. */
  readonly policy: RoutePolicy;
  /** Sticky canary, if set. */
  readonly sticky?: VersionCookie;
  /** Istio-only settings. */
  readonly istio: IstioRouting;
}

/** The versions the stage's weighted route sends to (weight > 0), in declared order. */
export function splitVersions(model: ReleaseRouting, stage: RoutingStage): RoutedVersion[] {
  return model.versions.filter((v) => stage.weights[v.name] > 0);
}

/**
 * The versions that get the sticky cookie in `stage`: while the weights are split, every split version
 * but the stable one (none when the release is not sticky or the stage sends everything to one version).
 */
export function stickyCanaries(model: ReleaseRouting, stage: RoutingStage): RoutedVersion[] {
  const split = splitVersions(model, stage);
  return model.sticky && split.length > 1 ? split.filter((v) => v.name !== model.sticky!.stable) : [];
}

/** E.g. `regex 'yoichi'`. */
export function describeStringMatch(m: StringMatchSpec): string {
  return `${m.kind} ${show(m.value)}`;
}

/** E.g. `header user regex 'yoichi' and uri prefix '/api'`. */
export function describeConditions(conditions: readonly MatchCondition[]): string {
  return conditions.map((c) => (c.type === 'header' ? `header ${c.name} ${describeStringMatch(c.match)}` : `${c.type} ${describeStringMatch(c.match)}`)).join(' and ');
}
