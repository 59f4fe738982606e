import { Duration } from 'cdk8s';

/**
 * Validators shared by every construct. Each returns nothing and throws an `Error` whose message
 * follows one shape: what, the value received, the fix —
 * `WebApp 'shop': port 70000 is outside 1-65535; use a port between 1 and 65535`.
 */

/** A DNS-1035 label: lowercase alphanumerics and '-', starts with a letter, at most 63 characters. */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label: lowercase alphanumerics and '-', alphanumeric ends, at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An IANA service name, as Kubernetes requires of port names: at most 15 characters. */
export const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
/** A C identifier, the portable form of an environment variable name. */
export const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Kubernetes' own rule for env var names (printable ASCII except '=', not starting with a digit). */
export const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Formats a value for an error message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** Throws `<owner>: <problem>; <fix>`. */
export function fail(owner: string, problem: string, fix: string): never {
  throw new Error(`${owner}: ${problem}; ${fix}`);
}

/** True when `s` is a DNS-1035 label (Service names). */
export function isDns1035Label(s: string): boolean {
  return s.length <= 63 && DNS1035_LABEL.test(s);
}

/** True when `s` is a DNS-1123 label (namespaces, container names, volume names). */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** True when `s` is a DNS-1123 subdomain (most object names). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/**
 * True when `host` is a fully qualified DNS name (RFC 1123, lowercase, at least one dot not required)
 * or, with `allowWildcard`, a single leading `*.` wildcard.
 */
export function isDnsName(host: string, allowWildcard = true): boolean {
  const h = allowWildcard && host.startsWith('*.') ? host.slice(2) : host;
  return h.length > 0 && h.length <= 253 && h.split('.').every((l) => isDns1123Label(l));
}

/** True when `value` is a valid label value (at most 63 characters, alphanumeric ends, `-_.` inside). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Checks a name that other pods address by DNS (Services and the workloads behind them). */
export function validateDns1035(owner: string, prop: string, value: string): void {
  if (!isDns1035Label(value)) {
    fail(owner, `${prop} ${show(value)} is not a DNS-1035 label`,
      'use at most 63 lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit');
  }
}

/** Checks a port number. */
export function validatePort(owner: string, prop: string, port: number): void {
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

/** Checks an environment variable name. */
export function validateEnvName(owner: string, name: string): void {
  if (!ENV_VAR_NAME.test(name)) {
    fail(owner, `env var name ${show(name)} is invalid`,
      'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (portable: [A-Za-z_][A-Za-z0-9_]*)');
  }
}

/** Checks an integer within bounds. */
export function validateInt(owner: string, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}-${max}`;
    fail(owner, `${prop} ${show(value)} is not ${range}`, `set ${prop} to ${range}`);
  }
}

/**
 * A Duration as a whole number of seconds >= `min`. cdk8s's `Duration.toSeconds()` throws its own
 * message (no construct, prop or fix) for a fraction such as `Duration.millis(1500)`; this reports it.
 */
export function wholeSeconds(owner: string, prop: string, d: Duration, min = 0, example?: string): number {
  const s = d.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < min) {
    fail(owner, `${prop} ${d.toHumanString()} (${s}s) is not a whole number of seconds >= ${min}`,
      `use whole seconds, e.g. ${example ?? `Duration.seconds(${Math.max(min, Math.ceil(s))})`}`);
  }
  return s;
}

// ---------------------------------------------------------------- quantities

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = {
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
  'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
};

/**
 * Parses a Kubernetes resource quantity (`100m`, `0.5`, `512Mi`, `1e3`, `1.5Gi`) into a number of base
 * units, following the grammar of k8s.io/apimachinery `resource.Quantity`, or returns `undefined` when
 * the text is not a quantity (`512mb`, `100h`, `1 Gi`).
 */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const suffix = m[3] ?? '';
  const number = parseFloat(text.slice(0, text.length - suffix.length));
  if (/^[eE]/.test(suffix)) return number * 10 ** parseInt(suffix.slice(1), 10);
  return number * SUFFIX[suffix];
}

/** Checks a quantity and returns its value in base units. */
export function validateQuantity(owner: string, prop: string, text: string, kind: 'cpu' | 'memory' | 'storage'): number {
  const value = parseQuantity(text);
  const example = kind === 'cpu' ? '\'250m\' or \'1\'' : '\'512Mi\' or \'1Gi\'';
  if (value === undefined) {
    fail(owner, `${prop} ${show(text)} is not a Kubernetes quantity`,
      `use a number with an optional suffix m, k, M, G, Ki, Mi, Gi, ... (e.g. ${example})`);
  }
  if (value < 0) fail(owner, `${prop} ${show(text)} is negative`, `use a positive quantity (e.g. ${example})`);
  return value;
}

// ---------------------------------------------------------------- images

/** The parts of a container image reference. */
export interface ImageRef {
  /** Repository, with registry if any (`docker.io/library/nginx` is `nginx`). */
  readonly repository: string;
  /** Tag, if any. */
  readonly tag?: string;
  /** Digest (`sha256:...`), if any. */
  readonly digest?: string;
}

/** Splits `registry/repo:tag@digest` into its parts. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const rest = at >= 0 ? image.slice(0, at) : image;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? rest.slice(0, colon) : rest,
    tag: hasTag ? rest.slice(colon + 1) : undefined,
    digest,
  };
}

// The image reference grammar of distribution/reference (what the kubelet and container runtimes parse):
// [domain[:port]/]path-component[/path-component]*[:tag][@digest]. Path components are lowercase.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REFERENCE = new RegExp(`^(?:${IMAGE_DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$`);

/**
 * True when `image` is a valid image reference by the distribution/reference grammar: lowercase path
 * components (`sample-db`, not `sample-DB`), a tag of at most 128 word characters, '.' and '-', a digest
 * `<algorithm>:<at least 32 hex digits>`, and a name of at most 255 characters.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
export function isImageReference(image: string): boolean {
  const name = image.split('@')[0].replace(/:[\w][\w.-]{0,127}$/, '');
  return IMAGE_REFERENCE.test(image) && name.length <= 255;
}

/** Checks that an image is a valid reference with a pinned tag or digest (not `latest`), unless mutable tags are allowed. */
export function validateImage(owner: string, prop: string, image: string, allowMutable: boolean): ImageRef {
  if (!image || /\s/.test(image)) fail(owner, `${prop} ${show(image)} is not an image reference`, 'use e.g. \'nginx:1.27.3\'');
  if (!isImageReference(image)) {
    const lower = image.split('@')[0].replace(/^((?:[^/]*[.:][^/]*|localhost)\/)?(.*?)(:[\w][\w.-]{0,127})?$/, (_m, d = '', p, t = '') => `${d}${p.toLowerCase()}${t}`);
    fail(owner, `${prop} ${show(image)} is not a valid image reference (the kubelet would fail with InvalidImageName)`,
      /[A-Z]/.test(image.split('@')[0].replace(/:[\w][\w.-]{0,127}$/, '').replace(/^[^/]*[.:][^/]*\//, ''))
        ? `repository paths are lowercase: use ${show(lower)}`
        : 'use [registry[:port]/]path[:tag][@sha256:<64 hex digits>], e.g. \'registry.example.com/team/app:1.2.3\'');
  }
  const ref = parseImage(image);
  if (allowMutable) return ref;
  if (!ref.digest && (!ref.tag || ref.tag === 'latest')) {
    fail(owner, `${prop} ${show(image)} ${ref.tag ? 'uses the mutable tag \'latest\'' : 'has no tag'}`,
      'pin a version tag or digest (e.g. \'nginx:1.27.3\' or \'nginx@sha256:...\'), or set allowMutableImageTag: true');
  }
  return ref;
}

// ---------------------------------------------------------------- networks

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

/** Turns an arbitrary identifier into a DNS-1123 label (lowercase, '-' for anything else). */
export function toDnsLabel(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}

// ---------------------------------------------------------------- object references, keys and labels

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * True when `key` is a qualified name, as Kubernetes requires of label keys: an optional DNS-1123
 * subdomain prefix and '/', then a name of at most 63 alphanumerics, '-', '_' and '.' with alphanumeric
 * ends (`app`, `app.kubernetes.io/name`). Annotation keys follow the same rule, checked in lowercase.
 */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (parts[0].length === 0 || !isDns1123Subdomain(parts[0]))) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/**
 * True when `key` is a valid Secret or ConfigMap key (what `secretKeyRef.key` and `configMapKeyRef.key`
 * accept): at most 253 letters, digits, '-', '_' and '.', not '.' or '..' and not starting with '..'.
 */
export function isConfigMapKey(key: string): boolean {
  return key.length <= 253 && CONFIG_MAP_KEY.test(key) && key !== '.' && !key.startsWith('..');
}

/** Checks the name of an object a pod refers to (Secret, ConfigMap, ServiceAccount, IngressClass...). */
export function validateDns1123Subdomain(owner: string, prop: string, value: string, example = 'db-credentials'): void {
  if (typeof value !== 'string' || !isDns1123Subdomain(value)) {
    fail(owner, `${prop} ${show(value)} is not a DNS-1123 subdomain (the apiserver would reject it)`,
      `use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. ${show(example)})`);
  }
}

/** Checks a Secret or ConfigMap key. */
export function validateConfigMapKey(owner: string, prop: string, key: string): void {
  if (typeof key !== 'string' || !isConfigMapKey(key)) {
    fail(owner, `${prop} ${show(key)} is not a valid Secret/ConfigMap key`,
      'use at least one of letters, digits, \'-\', \'_\' and \'.\' (not \'.\' or \'..\'), e.g. \'password\' or \'tls.crt\'');
  }
}

/** Checks label keys (qualified names) and values (label values). */
export function validateLabels(owner: string, prop: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) {
      fail(owner, `${prop} key ${show(key)} is not a valid label key`,
        'use [prefix/]name: a lowercase DNS prefix, and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit (e.g. \'app\', \'app.kubernetes.io/name\')');
    }
    if (typeof value !== 'string' || !isLabelValue(value)) {
      fail(owner, `${prop} ${key} value ${show(value)} is not a valid label value`,
        'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit');
    }
  }
}

/** Checks annotation keys (qualified names, compared in lowercase as the apiserver does) and that values are strings. */
export function validateAnnotations(owner: string, prop: string, annotations: Record<string, string>): void {
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedName(key.toLowerCase())) {
      fail(owner, `${prop} key ${show(key)} is not a valid annotation key`,
        'use [prefix/]name: a DNS prefix, and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\' starting and ending with a letter or digit (e.g. \'prometheus.io/scrape\')');
    }
    if (typeof value !== 'string') {
      fail(owner, `${prop} ${key} value ${show(value)} is not a string`, `quote it (e.g. ${show(String(value))})`);
    }
  }
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
