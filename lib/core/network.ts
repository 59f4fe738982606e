// Ports, IP addresses and CIDRs.
import { fail, show } from './errors';
import { notANumber } from './quantities';

/** An IANA service name, as Kubernetes requires of port names: at most 15 characters. */
export const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/** Checks a port number. */
export function validatePort(owner: string, prop: string, port: number): void {
  if (typeof port !== 'number') notANumber(owner, prop, port, 'a port between 1 and 65535');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(owner, `${prop} ${show(port)} is outside 1-65535`, 'use a port between 1 and 65535');
  }
}

/** Checks a Kubernetes port name (IANA service name, at most 15 characters). */
export function validatePortName(owner: string, prop: string, name: string): void {
  if (name.length > 15 || !IANA_SVC_NAME.test(name)) {
    fail(owner, `${prop} ${show(name)} is not a valid port name`,
      'use at most 15 lowercase letters, digits and single \'-\' with at least one letter (e.g. \'http\', \'grpc-web\')');
  }
}

/** Parses dotted IPv4 into a number, or `undefined`. */
export function parseIpv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** True when `cidr` is an IPv4 CIDR (`10.0.0.0/8`) or an IPv6 CIDR (`2001:db8::/32`). */
export function isCidr(cidr: string): boolean {
  const [ip, bits, extra] = cidr.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (parseIpv4(ip) !== undefined) return Number(bits) <= 32;
  return /^[0-9a-fA-F:]+$/.test(ip) && ip.includes(':') && Number(bits) <= 128;
}

/** Checks a CIDR. */
export function validateCidr(owner: string, prop: string, cidr: string): void {
  if (!isCidr(cidr)) fail(owner, `${prop} ${show(cidr)} is not a CIDR`, 'use e.g. \'203.0.113.0/24\'');
}

/** True when `host` is an IPv4 or IPv6 address (as Go's lenient parser sees it, so `010.0.0.1` counts). */
export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(':') && parseIpv6(host) !== undefined);
}

/** Parses an IPv6 address (with `::` and an optional dotted IPv4 tail) into a 128-bit number, or `undefined`. */
export function parseIpv6(ip: string): bigint | undefined {
  let text = ip;
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  let v4: number | undefined;
  if (tail) {
    v4 = parseIpv4(tail[2]);
    if (v4 === undefined) return undefined;
    text = `${tail[1]}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return v4 === undefined ? n : (n & ~0xffffffffn) | BigInt(v4);
}

function parseCidr(cidr: string): { family: 4 | 6; network: bigint; bits: number } | undefined {
  if (!isCidr(cidr)) return undefined;
  const [ip, b] = cidr.split('/');
  const bits = Number(b);
  const v4 = parseIpv4(ip);
  const width = v4 !== undefined ? 32 : 128;
  const addr = v4 !== undefined ? BigInt(v4) : parseIpv6(ip);
  if (addr === undefined) return undefined;
  const hostBits = BigInt(width - bits);
  return { family: v4 !== undefined ? 4 : 6, network: (addr >> hostBits) << hostBits, bits };
}

/**
 * True when CIDR `inner` is a strict subset of CIDR `outer` (same family, a longer prefix, inside it):
 * what a NetworkPolicy `ipBlock.except` entry must be.
 */
export function isStrictSubnet(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (!o || !i || o.family !== i.family || i.bits <= o.bits) return false;
  const shift = BigInt((o.family === 4 ? 32 : 128) - o.bits);
  return (i.network >> shift) === (o.network >> shift);
}
