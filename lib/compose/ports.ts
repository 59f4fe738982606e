import { Protocol } from '../web-app';

/**
 * One container port a Compose service listens on, from `ports` (short or long syntax), `expose`, a
 * well-known image or the options.
 */
export interface ComposePort {
  /** The port inside the container (Compose `target`): the port other services connect to. */
  readonly containerPort: number;
  /** Transport protocol. */
  readonly protocol: Protocol;
  /**
   * The host port(s) Compose published it on (`published`): `'0'` for a `ports`
   * entry without one (`'3000'`), which Docker publishes on a random host port; unset for `expose`.
   * No in-cluster meaning.
   */
  readonly published?: string;
  /** The host IP Compose bound the published port to, if any. */
  readonly hostIp?: string;
  /** Port name from the long syntax (`name`), if any. */
  readonly name?: string;
  /** `app_protocol` from the long syntax, if any. */
  readonly appProtocol?: string;
}

/** {@link ComposePort.published} of a `ports` entry without a host port: Docker picks one (like `docker run -p 3000`). */
export const EPHEMERAL_HOST_PORT = '0';

/** How a note shows where a port is published: `127.0.0.1:8080`, `8080`, `an ephemeral host port` or `an ephemeral port on 127.0.0.1`. */
export function publishedText(p: ComposePort): string {
  if (p.published === EPHEMERAL_HOST_PORT) return p.hostIp ? `an ephemeral port on ${p.hostIp}` : 'an ephemeral host port';
  return p.hostIp ? `${p.hostIp}:${p.published}` : `${p.published}`;
}

const PROTOCOLS: Readonly<Record<string, Protocol>> = { tcp: Protocol.TCP, udp: Protocol.UDP, sctp: Protocol.SCTP };

// [HOST_IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL]; HOST_IP may be [IPv6] or IPv4.
const SHORT = /^(?:(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]*::[0-9a-fA-F:]*):)?(\d*(?:-\d+)?):)?(\d+)(?:-(\d+))?(?:\/([a-zA-Z]+))?$/;
const EXPOSE = /^(\d+)(?:-(\d+))?(?:\/([a-zA-Z]+))?$/;

function inRange(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

function range(start: string, end: string | undefined): number[] | undefined {
  const a = Number(start);
  const b = end === undefined ? a : Number(end);
  if (!inRange(a) || !inRange(b) || b < a || b - a > 1000) return undefined;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/**
 * Parses one `ports` entry (short syntax string or number, or long syntax object) into container
 * ports, or returns a reason it is not valid.
 * @see https://docs.docker.com/reference/compose-file/services/#ports
 */
export function parsePortEntry(entry: unknown): ComposePort[] | string {
  if (typeof entry === 'number') entry = String(entry);
  if (typeof entry === 'string') {
    const m = SHORT.exec(entry.trim());
    if (!m) return 'is not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]';
    const [, hostIp, hostPorts, start, end, proto] = m;
    const protocol = PROTOCOLS[(proto ?? 'tcp').toLowerCase()];
    if (!protocol) return `has protocol ${proto}, not tcp, udp or sctp`;
    const targets = range(start, end);
    if (!targets) return `has container port(s) ${end ? `${start}-${end}` : start} outside 1-65535 (or an empty or reversed range)`;
    let published: string[] | undefined;
    if (hostPorts) {
      const [hs, he] = hostPorts.split('-');
      const hosts = range(hs, he);
      if (!hosts) return `has host port(s) ${hostPorts} outside 1-65535 (or a reversed range)`;
      if (hosts.length !== targets.length && targets.length !== 1) {
        return `maps ${hosts.length} host ports to ${targets.length} container ports; the ranges must have the same length`;
      }
      published = targets.length === 1 ? [hostPorts] : hosts.map(String);
    }
    return targets.map((containerPort, i) => ({ containerPort, protocol, published: published?.[i] ?? EPHEMERAL_HOST_PORT, hostIp: hostIp?.replace(/^\[|\]$/g, '') }));
  }
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const e = entry as Record<string, unknown>;
    if (typeof e.target !== 'number' || !inRange(e.target)) return `has target ${JSON.stringify(e.target)}, not a port between 1 and 65535`;
    const protocol = PROTOCOLS[String(e.protocol ?? 'tcp').toLowerCase()];
    if (!protocol) return `has protocol ${JSON.stringify(e.protocol)}, not tcp, udp or sctp`;
    if (e.mode !== undefined && e.mode !== 'ingress' && e.mode !== 'host') return `has mode ${JSON.stringify(e.mode)}, not ingress or host`;
    return [{
      containerPort: e.target, protocol, published: e.published === undefined || e.published === '' ? EPHEMERAL_HOST_PORT : String(e.published), hostIp: e.host_ip as string | undefined,
      name: e.name as string | undefined, appProtocol: e.app_protocol as string | undefined,
    }];
  }
  return 'is neither a port string, a number nor a mapping with target';
}

/** Parses one `expose` entry (`'3000'`, `'3000-3005'`, `'53/udp'`, or a number). */
export function parseExposeEntry(entry: unknown): ComposePort[] | string {
  const m = EXPOSE.exec(String(entry).trim());
  if (!m) return 'is not PORT[-END][/PROTOCOL]';
  const protocol = PROTOCOLS[(m[3] ?? 'tcp').toLowerCase()];
  if (!protocol) return `has protocol ${m[3]}, not tcp, udp or sctp`;
  const ports = range(m[1], m[2]);
  if (!ports) return 'has a port outside 1-65535 (or a reversed range)';
  return ports.map((containerPort) => ({ containerPort, protocol }));
}

/** True when `s` is a valid `ports` short-syntax string (the schema's `ports` format). */
export function isPortSpec(s: string): boolean {
  return Array.isArray(parsePortEntry(s));
}

/** True when `s` is a valid `expose` string (the schema's `expose` format). */
export function isExposeSpec(s: string): boolean {
  return Array.isArray(parseExposeEntry(s));
}

/** Merges ports by container port and protocol (first occurrence wins, a published one is kept). */
export function mergePorts(ports: ComposePort[]): ComposePort[] {
  const out: ComposePort[] = [];
  for (const p of ports) {
    const i = out.findIndex((o) => o.containerPort === p.containerPort && o.protocol === p.protocol);
    if (i < 0) out.push(p);
    else if (!out[i].published && p.published) out[i] = { ...out[i], published: p.published, hostIp: p.hostIp };
  }
  return out;
}
