/**
 * How Istio classifies a Service port: the one place CanaryRelease and StickyIngress ask whether Istio
 * will apply HTTP routing (routes, cookie or header hashing) to a port.
 *
 * Mirrors Istio's `ConvertProtocol` (pilot/pkg/serviceregistry/kube/conversion.go) and `protocol.Parse`:
 * UDP is UDP; otherwise `appProtocol`, when set, replaces the port name entirely; a `grpc-web` prefix
 * is GRPC-Web; else the part of the name before the first '-' is parsed case-insensitively. A value
 * Istio does not know is "unsupported", which means protocol sniffing (HTTP/1.1 and HTTP/2 are
 * detected), except on the well-known ports 25, 53, 3306 and 27017, which are plain TCP.
 * SCTP is not proxied by Istio at all; it is reported as `sctp` so that no caller takes it for HTTP.
 * @see https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */

/** Istio's classification of a port. */
export enum IstioProtocolClass {
  /** HTTP routing applies: http, http2, grpc, grpc-web (and `kubernetes.io/h2c`, `kubernetes.io/ws`). */
  HTTP = 'http',
  /** Not declared: Istio sniffs the protocol, so HTTP routing applies to HTTP traffic. */
  SNIFFED = 'sniffed',
  /** Declared or defaulted to something Istio proxies as opaque TCP or TLS: HTTP routing never applies. */
  OPAQUE = 'opaque',
}

/** A Service port, as far as Istio's protocol selection reads it. */
export interface IstioPortInput {
  /** The Service port number (Istio's well-known-port rule reads it). */
  readonly port: number;
  /** Port name. @default - none */
  readonly name?: string;
  /** `TCP`, `UDP` or `SCTP`. @default 'TCP' */
  readonly protocol?: string;
  /** `appProtocol`. @default - none */
  readonly appProtocol?: string;
}

/** The result of {@link istioPortProtocol}. */
export interface IstioPortProtocol {
  /** How HTTP routing treats the port. */
  readonly class: IstioProtocolClass;
  /**
   * The protocol Istio selected, lowercase (`http`, `grpc-web`, `https`, `tcp`, `udp`, `sctp`,
   * `kubernetes.io/wss`…), or `undefined` when it sniffs.
   */
  readonly protocol?: string;
  /** What decided it, for messages: e.g. `declared https`, `not declared`, `treated as tcp (…well-known port 3306…)`. */
  readonly reason: string;
  /** True when the protocol is TLS the sidecar passes through without decrypting (https, tls, wss). */
  readonly tls: boolean;
}

const HTTP_FAMILY = new Set(['http', 'http2', 'grpc', 'grpc-web', 'http_proxy']);
const OPAQUE_FAMILY = new Set(['tcp', 'udp', 'https', 'tls', 'mongo', 'redis', 'mysql']);
const KUBERNETES_APP_PROTOCOLS: Record<string, string> = {
  'kubernetes.io/h2c': 'http2',
  'kubernetes.io/ws': 'http',
  'kubernetes.io/wss': 'https',
};
const WELL_KNOWN_TCP_PORTS = new Set([25, 53, 3306, 27017]);

/** Classifies a Service port the way Istio's protocol selection does (see the module comment). */
export function istioPortProtocol(p: IstioPortInput): IstioPortProtocol {
  const l4 = (p.protocol ?? 'TCP').toUpperCase();
  if (l4 === 'UDP') return { class: IstioProtocolClass.OPAQUE, protocol: 'udp', reason: 'declared udp', tls: false };
  if (l4 === 'SCTP') return { class: IstioProtocolClass.OPAQUE, protocol: 'sctp', reason: 'declared sctp', tls: false };

  const source = p.appProtocol !== undefined ? p.appProtocol : p.name;
  const token = (source ?? '').toLowerCase();
  const kube = KUBERNETES_APP_PROTOCOLS[token];
  if (kube !== undefined) {
    return {
      class: HTTP_FAMILY.has(kube) ? IstioProtocolClass.HTTP : IstioProtocolClass.OPAQUE,
      protocol: token,
      reason: `declared ${token}`,
      tls: kube === 'https',
    };
  }
  const prefix = token.startsWith('grpc-web') ? 'grpc-web' : token.split('-')[0];
  if (HTTP_FAMILY.has(prefix)) return { class: IstioProtocolClass.HTTP, protocol: prefix, reason: `declared ${prefix}`, tls: false };
  if (OPAQUE_FAMILY.has(prefix)) {
    return { class: IstioProtocolClass.OPAQUE, protocol: prefix, reason: `declared ${prefix}`, tls: prefix === 'https' || prefix === 'tls' };
  }
  if (WELL_KNOWN_TCP_PORTS.has(p.port)) {
    return { class: IstioProtocolClass.OPAQUE, protocol: 'tcp', reason: `treated as tcp (Istio's default for well-known port ${p.port} when no protocol is declared)`, tls: false };
  }
  return { class: IstioProtocolClass.SNIFFED, reason: source === undefined || source === '' ? 'not declared' : `declared ${show(source)}, which Istio does not know`, tls: false };
}

function show(v: string): string {
  return `'${v}'`;
}
