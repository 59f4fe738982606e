import { Duration } from 'cdk8s';
import { fail, show } from '../core';
import { HashAffinity, SessionPersistenceAffinity } from '../routing/affinity-model';
import { RFC6265_TOKEN } from './affinity';

/**
 * StickyStrategy.gatewayApiCookie: sticky sessions through a Gateway API Gateway. What makes a session
 * stick depends on the implementation behind the Gateway's class, so the strategy names it, and each
 * implementation gets what it honours today (or is refused with the reason).
 */

/** The implementation behind a Gateway (its GatewayClass's controller), as far as session persistence goes. */
export enum GatewayImplementation {
  /** Envoy Gateway: honours HTTPRoute `sessionPersistence` (cookie; Envoy's stateful session filter). */
  ENVOY_GATEWAY = 'envoy-gateway',
  /** kgateway: honours HTTPRoute `sessionPersistence` on route rules. */
  KGATEWAY = 'kgateway',
  /** Cilium: honours cookie `sessionPersistence` in the releases that include cilium/cilium#48029 (merged August 2026); older ones ignore it. */
  CILIUM = 'cilium',
  /** NGINX Gateway Fabric with NGINX Plus: honours `sessionPersistence` (NGINX Plus `sticky cookie`). */
  NGINX_GATEWAY_FABRIC_PLUS = 'nginx-gateway-fabric-plus',
  /** NGINX Gateway Fabric with NGINX OSS: ignores `sessionPersistence` (nginx/nginx-gateway-fabric#5087): refused. */
  NGINX_GATEWAY_FABRIC = 'nginx-gateway-fabric',
  /** Istio: ignores HTTPRoute `sessionPersistence` (istio/istio#55839); a DestinationRule consistent hash on the cookie makes it stick. */
  ISTIO = 'istio',
  /** Kong (KIC): ignores `sessionPersistence` (Kong/kubernetes-ingress-controller#6042): refused. */
  KONG = 'kong',
  /** Traefik: ignores `sessionPersistence` (traefik/traefik#11243): refused. */
  TRAEFIK = 'traefik',
}

/** Options of {@link StickyStrategy.gatewayApiCookie}. */
export interface GatewayApiCookieOptions {
  /** The implementation behind the Gateway: it decides what is rendered, and whether anything can stick. */
  readonly implementation: GatewayImplementation;
  /** Cookie name (`sessionName`; Istio: the hashed cookie), an RFC 6265 token of at most 128 characters. @default 'route' */
  readonly name?: string;
  /**
   * `absoluteTimeout`: how long a session lasts at most. With `permanent: true`, also the cookie's
   * `Max-Age`/`Expires` (and then required). Istio: only with `permanent: true` (the hashed cookie's TTL).
   * @default - no limit
   */
  readonly absoluteTimeout?: Duration;
  /** `cookieConfig.lifetimeType: Permanent`: the cookie outlives the browser session (needs `absoluteTimeout`). @default false (a session cookie) */
  readonly permanent?: boolean;
  /**
   * Opt in to the Gateway API experimental channel: `sessionPersistence` is an experimental-channel field
   * of Gateway API v1.6.1, which a cluster with the standard-channel CRDs rejects (or drops), so nothing
   * would stick. Install the experimental CRDs, then set it. Not needed with Istio (no experimental field
   * is rendered).
   * @default false
   */
  readonly experimental?: boolean;
}

/** What does not stick, and why, per refused implementation. */
const IGNORES_SESSION_PERSISTENCE: Partial<Record<GatewayImplementation, string>> = {
  [GatewayImplementation.NGINX_GATEWAY_FABRIC]: 'NGINX Gateway Fabric with NGINX OSS ignores HTTPRoute sessionPersistence (only NGINX Plus implements it, nginx/nginx-gateway-fabric#5087)',
  [GatewayImplementation.KONG]: 'Kong\'s Gateway API implementation ignores HTTPRoute sessionPersistence (Kong/kubernetes-ingress-controller#6042)',
  [GatewayImplementation.TRAEFIK]: 'Traefik\'s Gateway API provider ignores HTTPRoute sessionPersistence (traefik/traefik#11243)',
};

/** The affinity `options` make for their implementation: the route's session persistence, or (Istio) a cookie hash. */
export function gatewayApiAffinity(owner: string, o: GatewayApiCookieOptions): SessionPersistenceAffinity | HashAffinity {
  const at = 'gatewayApiCookie';
  if (typeof o !== 'object' || o === null) fail(owner, `${at} options ${show(o)} are not an object`, 'pass { implementation, ... }', 'strategy');
  if (!Object.values(GatewayImplementation).includes(o.implementation)) {
    fail(owner, `${at} implementation ${show(o.implementation)} is not a GatewayImplementation`, `name the implementation behind the Gateway's class, e.g. GatewayImplementation.ENVOY_GATEWAY (one of ${Object.values(GatewayImplementation).join(', ')})`, 'strategy');
  }
  const refused = IGNORES_SESSION_PERSISTENCE[o.implementation];
  if (refused) {
    fail(owner, `${at} on ${o.implementation}: ${refused}, so no session would stick`,
      'use an implementation that honours it (Envoy Gateway, kgateway, NGINX Gateway Fabric with NGINX Plus), Istio (consistent hash), or StickyStrategy.clientIp() without a proxy in front', 'strategy');
  }
  const name = o.name ?? 'route';
  if (typeof name !== 'string' || !RFC6265_TOKEN.test(name) || name.length > 128) {
    fail(owner, `${at} name ${show(name)} is not an RFC 6265 token of at most 128 characters`, 'use letters, digits and \'-\', \'_\', \'.\' or \'~\', e.g. \'route\'', 'strategy');
  }
  for (const key of ['permanent', 'experimental'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') fail(owner, `${at} ${key} ${show(o[key])} is not a boolean`, `set ${key} to true or false`, 'strategy');
  }
  if ((o as { idleTimeout?: unknown }).idleTimeout !== undefined) {
    fail(owner, `${at} idleTimeout is not a field of Gateway API v1.6.1: its HTTPRoute sessionPersistence (experimental channel) has sessionName, type, absoluteTimeout and cookieConfig only, so no implementation would apply it`,
      'drop idleTimeout; bound sessions with absoluteTimeout', 'strategy');
  }
  const absolute = seconds(owner, `${at} absoluteTimeout`, o.absoluteTimeout);
  const permanent = o.permanent ?? false;
  if (permanent && absolute === undefined) {
    fail(owner, `${at} permanent: true without absoluteTimeout`, 'set absoluteTimeout (the cookie\'s Max-Age; the Gateway API requires it for a Permanent cookie), or drop permanent', 'strategy');
  }
  if (o.implementation === GatewayImplementation.ISTIO) {
    if (absolute !== undefined && !permanent) {
      fail(owner, `${at} absoluteTimeout ${absolute}s without permanent on Istio: the hashed cookie cannot be a session cookie that expires after a while (its TTL is its Max-Age)`, 'set permanent: true (the cookie lives absoluteTimeout), or drop absoluteTimeout for a session cookie', 'strategy');
    }
    return { kind: 'hash', key: { cookie: { name, path: '/', ttlSeconds: absolute ?? 0 } } };
  }
  if (o.experimental !== true) {
    fail(owner, `${at} on ${o.implementation} renders HTTPRoute sessionPersistence, an experimental-channel field of Gateway API v1.6.1: a cluster with the standard-channel CRDs rejects or drops it, and no session would stick`,
      'install the Gateway API experimental-channel CRDs and set StickyStrategy.gatewayApiCookie({ experimental: true, ... })', 'strategy');
  }
  return {
    kind: 'sessionPersistence',
    sessionName: name,
    lifetimeType: permanent ? 'Permanent' : 'Session',
    ...(absolute !== undefined ? { absoluteTimeoutSeconds: absolute } : {}),
  };
}

/** Whole seconds > 0 of `d` (a Gateway API duration of at most 99999h); `undefined` passes. */
function seconds(owner: string, prop: string, d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  if (typeof (d as Partial<Duration>)?.toMilliseconds !== 'function') fail(owner, `${prop} ${show(d)} is not a Duration`, 'use e.g. Duration.hours(48)', 'strategy');
  const s = d.toMilliseconds() / 1000;
  if (!Number.isInteger(s) || s <= 0 || s > 99999 * 3600) fail(owner, `${prop} ${s}s is not a whole number of seconds between 1s and 99999h`, 'use e.g. Duration.hours(48)', 'strategy');
  return s;
}
