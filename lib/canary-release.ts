import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { RE2 } from 're2-wasm';
import {
  DestinationRuleSpecTrafficPolicy, VirtualServiceSpecHttpCorsPolicy, VirtualServiceSpecHttpHeaders, VirtualServiceSpecHttpRetries,
  VirtualServiceSpecHttpRewrite, toJson_DestinationRuleSpecTrafficPolicy, toJson_VirtualServiceSpecHttpCorsPolicy,
  toJson_VirtualServiceSpecHttpHeaders, toJson_VirtualServiceSpecHttpRetries, toJson_VirtualServiceSpecHttpRewrite,
} from '../imports/networking.istio.io';
import { Json, MANAGED_BY, addTreeValidation, checkUniqueObjects, compact, jsonOf, manifest, namespaceOf, withChildSlots } from './k8s-object';
import { fail, isDns1035Label, isDns1123Label, isDnsName, parseIpv4, show, toDnsLabel, validateDns1035, validateInt, wholeSeconds } from './validation';
import { PortOptions, ResolvedPort, WebApp, WebAppProps } from './web-app';
import { IstioProtocolClass, istioPortProtocol } from './istio-protocol';

// =====================================================================================================
// Small value types
// =====================================================================================================

/** The `networking.istio.io` API version of the rendered Gateway, DestinationRule and VirtualService. */
export enum IstioApiVersion {
  /** `networking.istio.io/v1`, served from Istio 1.22. */
  V1 = 'networking.istio.io/v1',
  /** `networking.istio.io/v1beta1`, for Istio < 1.22 (same schema). */
  V1BETA1 = 'networking.istio.io/v1beta1',
}

/** How the VirtualService reaches the versions. */
export enum CanaryMode {
  /**
   * One Service `<name>` over every version; the VirtualService routes to DestinationRule subsets
   * generated from the versions' `version` labels. Deployments are named `<name>-<version>`.
   */
  SUBSETS = 'subsets',
  /**
   * Each version is a separate release (Helm-style) with its own Deployment and Service named exactly
   * like the version (e.g. `foolish-penguin`); the VirtualService routes between those Services. A
   * Service `<name>` over every release stays the host in-mesh callers use.
   */
  SERVICES = 'services',
}

/** How a header, URI or authority value is matched. @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch */
export class StringMatch {
  /** The whole value equals `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /** The value starts with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }

  /**
   * The whole value matches the RE2 regular expression `pattern` (Envoy anchors it: `yoichi` matches
   * only `yoichi`). Checked with RE2 at synth time: no lookaround, no backreferences, at most 1,024
   * characters. @see https://github.com/google/re2/wiki/Syntax
   */
  public static regex(pattern: string): StringMatch {
    return new StringMatch('regex', pattern);
  }

  private constructor(
    /** `exact`, `prefix` or `regex`. */
    public readonly kind: 'exact' | 'prefix' | 'regex',
    /** The value or pattern. */
    public readonly value: string,
  ) {}

  /** E.g. `regex 'yoichi'`. */
  public toString(): string {
    return `${this.kind} ${show(this.value)}`;
  }
}

type Condition =
  | { readonly type: 'header'; readonly name: string; readonly match: StringMatch }
  | { readonly type: 'uri'; readonly match: StringMatch }
  | { readonly type: 'authority'; readonly match: StringMatch };

/** One `match` block of an HTTP route: every condition must hold (AND). Build with the static factories, combine with {@link and}. */
export class RouteMatch {
  /** A request header (lowercase name) matching `match`; a plain string means exact. */
  public static header(name: string, match: StringMatch | string): RouteMatch {
    return new RouteMatch([{ type: 'header', name, match: typeof match === 'string' ? StringMatch.exact(match) : match }]);
  }

  /**
   * A cookie `name` with exactly `value` (rendered as an RE2 regex on the `cookie` header, which is how
   * Istio matches cookies).
   */
  public static cookie(name: string, value: string): RouteMatch {
    checkCookie(name, value);
    return new RouteMatch([{ type: 'header', name: 'cookie', match: StringMatch.regex(cookieRegex(name, value)) }]);
  }

  /** The URI path starts with `prefix` (which starts with '/'). */
  public static uriPrefix(prefix: string): RouteMatch {
    return new RouteMatch([{ type: 'uri', match: StringMatch.prefix(prefix) }]);
  }

  /** The URI path matches `match`. */
  public static uri(match: StringMatch): RouteMatch {
    return new RouteMatch([{ type: 'uri', match }]);
  }

  /** The request's host (`:authority`) matches `match`. */
  public static authority(match: StringMatch): RouteMatch {
    return new RouteMatch([{ type: 'authority', match }]);
  }

  private constructor(private readonly conditions: readonly Condition[]) {}

  /** This match AND `other` (one Istio `match` block with both conditions). */
  public and(other: RouteMatch): RouteMatch {
    return new RouteMatch([...this.conditions, ...other.conditions]);
  }

  /**
   * True when the match selects (practically) every request: each condition is a URI prefix '/', a URI
   * regex '.*', '.+', '/.*' or '/.+', or an authority regex '.*' or '.+' (optionally anchored with '^'
   * and '$', e.g. '^/.*$').
   */
  public get isCatchAll(): boolean {
    return this.conditions.length > 0 && this.conditions.every(isCatchAllCondition);
  }

  /** E.g. `header user regex 'yoichi' and uri prefix '/api'`. */
  public toString(): string {
    return this.conditions.map((c) => (c.type === 'header' ? `header ${c.name} ${c.match}` : `${c.type} ${c.match}`)).join(' and ');
  }

  /**
   * Validates the conditions and renders the Istio `HTTPMatchRequest`.
   * @internal
   */
  public _render(owner: string, where: string): Json {
    const out: Json = {};
    for (const c of this.conditions) {
      const at = c.type === 'header' ? `${where} header ${show(c.name)}` : `${where} ${c.type}`;
      checkStringMatch(owner, at, c.match);
      if (c.type === 'header') {
        if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(c.name)) {
          fail(owner, `${where} header name ${show(c.name)} is not a lowercase HTTP header name`, `Istio matches lowercase header names only; use ${show(c.name.toLowerCase())}`);
        }
        out.headers = out.headers ?? {};
        if (out.headers[c.name]) fail(owner, `${where} matches header ${show(c.name)} twice`, 'one match block can test a header once; combine the conditions into one regex or use two routes');
        out.headers[c.name] = { [c.match.kind]: c.match.value };
      } else {
        if (out[c.type]) fail(owner, `${where} matches the ${c.type} twice`, `one match block can test the ${c.type} once; use two routes or a list of matches (OR)`);
        if (c.type === 'uri' && c.match.kind !== 'regex' && !c.match.value.startsWith('/')) {
          fail(owner, `${where} uri ${c.match} does not start with '/'`, `use '/${c.match.value}'`);
        }
        out[c.type] = { [c.match.kind]: c.match.value };
      }
    }
    return out;
  }
}

function isCatchAllCondition(c: Condition): boolean {
  if (c.type === 'header') return false;
  if (c.type === 'uri' && c.match.kind === 'prefix') return c.match.value === '/';
  if (c.match.kind !== 'regex') return false;
  // Envoy anchors the regex anyway: '^/.*$' is '/.*'. Strip one leading '^' and one unescaped trailing '$'.
  let re = c.match.value.startsWith('^') ? c.match.value.slice(1) : c.match.value;
  if (re.endsWith('$') && !re.endsWith('\\$')) re = re.slice(0, -1);
  return (c.type === 'uri' ? ['.*', '.+', '/.*', '/.+'] : ['.*', '.+']).includes(re);
}

/** Largest regex Istio accepts in a StringMatch. */
export const MAX_REGEX_LENGTH = 1024;

function checkStringMatch(owner: string, where: string, match: StringMatch): void {
  if (match.kind !== 'regex') {
    if (match.value === '') fail(owner, `${where} ${match.kind} value is empty`, `give a value, or use StringMatch.regex('.*') to match any value`);
    return;
  }
  checkRe2(owner, where, match.value);
}

/**
 * Checks that `pattern` is a regex Istio accepts: at most 1,024 characters and compiled by Google's
 * RE2 (through `re2-wasm`). JavaScript's `RegExp` accepts lookaround and backreferences; RE2, and so
 * Envoy, rejects them.
 */
export function checkRe2(owner: string, where: string, pattern: string): void {
  if (pattern.length > MAX_REGEX_LENGTH) {
    fail(owner, `${where} regex is ${pattern.length} characters long (${show(pattern.slice(0, 40))}...), over Istio's limit of ${MAX_REGEX_LENGTH}`, `shorten it to at most ${MAX_REGEX_LENGTH} characters (e.g. match a prefix, or split it over several routes)`);
  }
  if (pattern === '') fail(owner, `${where} regex is empty`, `use '.*' to match any value`);
  const named = nonRe2Construct(pattern);
  if (named) {
    fail(owner, `${where} regex ${show(pattern)} uses ${named}, which RE2 (Istio/Envoy) rejects although JavaScript accepts it`,
      named.includes('escape') ? 'write the character with an RE2 escape (https://github.com/google/re2/wiki/Syntax)'
        : 'rewrite it without lookaround or backreferences (e.g. list the alternatives, or use a second route)');
  }
  let re: RE2 | undefined;
  try {
    re = new RE2(pattern, 'u');
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, '');
    fail(owner, `${where} regex ${show(pattern)} is rejected by RE2: ${why}`, 'fix the pattern; Istio compiles match regexes with RE2 (https://github.com/google/re2/wiki/Syntax)');
  } finally {
    (re as unknown as { wrapper?: { delete?: () => void } } | undefined)?.wrapper?.delete?.(); // free the WASM-side object
  }
}

function nonRe2Construct(src: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      const next = src[i + 1] ?? '';
      // re2-wasm rewrites these JavaScript escapes before compiling; RE2 itself (Envoy) rejects them.
      if (next === 'u') return `the JavaScript escape \\u (use \\x{00e9} for a code point)`;
      if (next === 'c') return `the control escape \\c${src[i + 2] ?? ''} (use \\x01 ... \\x1f)`;
      if (!inClass && /[1-9]/.test(next)) return `the backreference \\${next}`;
      if (!inClass && next === 'k' && src[i + 2] === '<') return 'a named backreference \\k<...>';
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(' && src[i + 1] === '?') {
      const t = src.slice(i + 2, i + 4);
      if (t[0] === '=' || t[0] === '!') return `a lookahead '(?${t[0]}'`;
      if (t === '<=' || t === '<!') return `a lookbehind '(?${t}'`;
    }
  }
  return undefined;
}

const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

function checkCookie(name: string, value: string): void {
  if (!COOKIE_NAME.test(name)) fail('RouteMatch', `cookie name ${show(name)} is not a cookie name token`, 'use letters, digits and !#$%&\'*+.^_`|~-');
  if (!COOKIE_VALUE.test(value)) fail('RouteMatch', `cookie ${name} value ${show(value)} is not a cookie value`, 'use printable ASCII without spaces, \'"\', \',\', \';\' or \'\\\'');
}

/** Whether StringMatch `a` matches every value StringMatch `b` matches (conservative: false when unsure). */
function stringMatchCovers(a: Json, b: Json): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  if (a.regex === '.*') return true;
  if (typeof a.prefix === 'string') {
    return (typeof b.prefix === 'string' && b.prefix.startsWith(a.prefix)) || (typeof b.exact === 'string' && b.exact.startsWith(a.prefix));
  }
  return false;
}

/**
 * Whether HTTP match `a` matches every request match `b` matches: each condition of `a` is also in `b`
 * and at least as wide (string matches on uri, authority, method, scheme; per-name headers and query
 * parameters). Anything else must be equal.
 */
function matchCovers(a: Json, b: Json): boolean {
  for (const [key, av] of Object.entries(a)) {
    const bv = b[key];
    if (bv === undefined) return false;
    if (key === 'uri' || key === 'authority' || key === 'method' || key === 'scheme') {
      if (!stringMatchCovers(av, bv)) return false;
    } else if (key === 'headers' || key === 'queryParams') {
      for (const [name, m] of Object.entries(av as Json)) {
        if (bv[name] === undefined || !stringMatchCovers(m as Json, bv[name])) return false;
      }
    } else if (JSON.stringify(av) !== JSON.stringify(bv)) return false;
  }
  return true;
}

/**
 * Every VirtualService in the tree bound to a gateway (not only `mesh`), by host, built once per synth;
 * each release then reports the others that serve one of its gateway hosts. Istio merges or drops
 * VirtualServices for the same gateway host (istioctl IST0109).
 */
function gatewayVirtualServicesByHost(objects: readonly ApiObject[]): Map<string, ApiObject[]> {
  const byHost = new Map<string, ApiObject[]>();
  for (const o of objects) {
    if (o.kind !== 'VirtualService' || !o.apiVersion.startsWith('networking.istio.io/')) continue;
    const spec = jsonOf(o)?.spec ?? {};
    if (!(spec.gateways ?? []).some((g: unknown) => g !== 'mesh')) continue;
    for (const h of spec.hosts ?? []) if (typeof h === 'string') byHost.set(h, [...(byHost.get(h) ?? []), o]);
  }
  return byHost;
}

function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** An RE2 regex matching a `cookie` header that carries `name=value` (anywhere in the list). */
function cookieRegex(name: string, value: string): string {
  return `^(.*?;\\s*)?${escapeRegex(name)}=${escapeRegex(value)}(;.*)?$`;
}

// =====================================================================================================
// Stages and plans
// =====================================================================================================

/** A match route: requests matching `match` go to `version`, before the weighted default route. */
export interface CanaryRoute {
  /** One match (every condition must hold), or a list of matches of which any may hold (OR). */
  readonly match: RouteMatch | RouteMatch[];
  /** The version the matching requests go to. */
  readonly version: string;
  /** The route's `name` (shown in Envoy stats and access logs). @default `<stage>-match-<n>` */
  readonly name?: string;
}

/** Shadow traffic: a copy of the default route's requests sent to a version; its responses are dropped. */
export interface CanaryMirror {
  /** The version that receives the copies. */
  readonly version: string;
  /** Share of the requests copied, in percent (0 < p <= 100). @default 100 */
  readonly percentage?: number;
}

/** One stage of a release: how the traffic is split while the stage is rendered. */
export interface CanaryStage {
  /** Stage name (DNS-1123 label, e.g. `canary-10`); what `CANARY_STAGE` selects. */
  readonly name: string;
  /** Percent of the default route per version; integers in 0-100 summing to 100. Versions left out get 0. */
  readonly weights: Record<string, number>;
  /** Match routes, tried in order before the weighted default route. @default - none */
  readonly routes?: CanaryRoute[];
  /** Mirror the default route's traffic to a version. @default - no mirroring */
  readonly mirror?: CanaryMirror;
}

/** Options of {@link CanaryPlan.progressive}. */
export interface ProgressivePlanOptions {
  /** The version running today. */
  readonly stable: string;
  /** The version being rolled out. */
  readonly canary: string;
  /** Canary percentages of the steps between stable and promoted, ascending, each in 1-99. @default [10, 50] */
  readonly steps?: number[];
}

/** How the preview version of a blue/green plan is reached. */
export interface BlueGreenPlanOptions {
  /** The version serving users until promotion. */
  readonly active: string;
  /** The version under test, reachable through the preview header or host. */
  readonly preview: string;
  /** Requests with this header (`name` lowercase, value exact) reach the preview. @default - none (then previewHost is required) */
  readonly previewHeader?: { readonly name: string; readonly value: string };
  /** A host served through the gateway that always reaches the preview. @default - none (then previewHeader is required) */
  readonly previewHost?: string;
}

/**
 * An ordered list of stages ending with one version at 100%. The last stage of a plan must send
 * 100% to one version, so the release always ends on one version.
 */
export class CanaryPlan {
  /** Your own stages; the last one must send 100% to one version. */
  public static of(stages: CanaryStage[]): CanaryPlan {
    return new CanaryPlan([...stages], [], undefined);
  }

  /**
   * `stable` (100% stable) → `canary-<p>` for each step (p% canary) → `promoted` (100% canary).
   * @example CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 25, 50] })
   */
  public static progressive(options: ProgressivePlanOptions): CanaryPlan {
    if (options.stable === options.canary) {
      fail('CanaryPlan.progressive', `stable and canary are both ${show(options.stable)}`, 'roll out a different version than the one running, e.g. { stable: \'v1\', canary: \'v2\' }');
    }
    const steps = options.steps ?? [10, 50];
    steps.forEach((s, i) => {
      validateInt('CanaryPlan.progressive', `steps[${i}]`, s, 1, 99);
      if (i > 0 && s <= steps[i - 1]) fail('CanaryPlan.progressive', `steps ${show(steps)} are not ascending`, 'list the canary percentages in ascending order, e.g. [10, 25, 50]');
    });
    return new CanaryPlan([
      { name: 'stable', weights: { [options.stable]: 100, [options.canary]: 0 } },
      ...steps.map((p) => ({ name: `canary-${p}`, weights: { [options.stable]: 100 - p, [options.canary]: p } })),
      { name: 'promoted', weights: { [options.stable]: 0, [options.canary]: 100 } },
    ], [], options.stable);
  }

  /**
   * Blue/green: `active` (100% active; the preview reachable through its header and/or host) →
   * `promoted` (100% preview).
   */
  public static blueGreen(options: BlueGreenPlanOptions): CanaryPlan {
    const owner = 'CanaryPlan.blueGreen';
    if (options.active === options.preview) {
      fail(owner, `active and preview are both ${show(options.active)}`, 'preview a different version than the active one, e.g. { active: \'v1\', preview: \'v2\' }');
    }
    if (!options.previewHeader && !options.previewHost) fail(owner, 'neither previewHeader nor previewHost is set, so nobody could reach the preview', 'set previewHeader (e.g. { name: \'x-preview\', value: \'true\' }) or previewHost');
    const matches: RouteMatch[] = [];
    if (options.previewHeader) matches.push(RouteMatch.header(options.previewHeader.name, StringMatch.exact(options.previewHeader.value)));
    if (options.previewHost) {
      checkGatewayHost(owner, 'previewHost', options.previewHost);
      // `:authority` may carry a port; Envoy regexes match the whole value.
      matches.push(RouteMatch.authority(StringMatch.regex(`${escapeRegex(options.previewHost)}(:[0-9]+)?`)));
    }
    return new CanaryPlan([
      { name: 'active', weights: { [options.active]: 100, [options.preview]: 0 }, routes: [{ name: 'preview', match: matches, version: options.preview }] },
      { name: 'promoted', weights: { [options.active]: 0, [options.preview]: 100 } },
    ], options.previewHost ? [options.previewHost] : [], options.active);
  }

  private constructor(
    /** The stages, in order. */
    public readonly stages: readonly CanaryStage[],
    /** Hosts the plan needs served through the gateway (the blue/green preview host). */
    public readonly hosts: readonly string[],
    /**
     * The version running before the release (progressive `stable`, blue/green `active`); the sticky
     * cookie is never set for it. `undefined` for {@link CanaryPlan.of}.
     */
    public readonly stable: string | undefined,
  ) {}
}

// =====================================================================================================
// Gateway
// =====================================================================================================

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

/**
 * Checks a host served through the gateway. The VirtualService is bound to `mesh` too, so a host that
 * names in-cluster traffic (a short name, anything at or under `cluster.local` or `.svc`, a wildcard
 * over a whole top-level domain) would take over in-mesh calls to other Services.
 */
function checkGatewayHost(owner: string, prop: string, host: string, release?: { readonly name: string; readonly namespace?: string }): void {
  if (host === '*' || !isDnsName(host) || parseIpv4(host) !== undefined) {
    fail(owner, `${prop} ${show(host)} is not a DNS name or wildcard`,
      'use a lowercase DNS name such as \'shop.example.com\' or a leading wildcard \'*.example.com\' (a bare \'*\' cannot be bound to the mesh gateway; for an IP use a name such as \'127.0.0.1.nip.io\')');
  }
  const fix = 'use an external name such as \'shop.example.com\' (the VirtualService is bound to the mesh too, so this host would capture in-mesh calls)';
  if (release && host === release.name) fail(owner, `${prop} ${show(host)} is the release's own name, which the VirtualService already serves in-mesh`, fix);
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  if (labels.length < 2) {
    fail(owner, `${prop} ${show(host)} ${host.startsWith('*.') ? 'covers a whole top-level domain' : 'is a short name, which in-mesh callers resolve to a Service'}`,
      host.startsWith('*.') ? 'put at least two labels after \'*.\' (e.g. \'*.example.com\')' : fix);
  }
  const clusterSuffix = ['cluster.local', 'svc'].find((d) => host === d || host.endsWith(`.${d}`) || host === `*.${d}`);
  if (clusterSuffix) fail(owner, `${prop} ${show(host)} is at or under '${clusterSuffix}', which names in-cluster Services`, fix);
  if (release?.namespace !== undefined && host === `${release.name}.${release.namespace}`) {
    fail(owner, `${prop} ${show(host)} is the release's in-cluster name '<name>.<namespace>'`, fix);
  }
}

// =====================================================================================================
// CanaryRelease
// =====================================================================================================

/** One version of a release: a name and the WebApp workload options of its Deployment. */
export interface CanaryVersion extends Omit<WebAppProps, 'name' | 'namespace' | 'appLabel' | 'version' | 'selectVersion' | 'port' | 'ports'
| 'createService' | 'serviceType' | 'loadBalancerSourceRanges' | 'externalTrafficPolicy' | 'serviceAnnotations' | 'partOf'> {
  /**
   * Version name (DNS-1123 label, e.g. `v2`): the pods' `version` label, the DestinationRule subset, and
   * part of the Deployment name `<name>-<version>`; in {@link CanaryMode.SERVICES} the release's
   * Deployment and Service name.
   */
  readonly name: string;
}

/** Keeps users on the version they first got while the weights are split. */
export interface CanaryStickyOptions {
  /** Cookie name. @default `<name>-version` */
  readonly cookieName?: string;
  /** How long the cookie lasts, in whole seconds (at least 1). @default Duration.hours(24) */
  readonly maxAge?: Duration;
}

/** Properties of a {@link CanaryRelease}. */
export interface CanaryReleaseProps {
  /** Name of the Service, DestinationRule and VirtualService (DNS-1035 label). @default - derived from the id */
  readonly name?: string;
  /** Two or more versions. */
  readonly versions: CanaryVersion[];
  /** Shorthand for one HTTP port named 'http' served on Service port 80 (shared by every version). Exclusive with `ports`. */
  readonly port?: number;
  /**
   * Container ports of every version; the first is the HTTP port the VirtualService routes. Its name
   * must tell Istio it is HTTP (`http`, `http2`, `grpc`, `grpc-web` or `<that>-<suffix>`), or set appProtocol.
   * @default - see port
   */
  readonly ports?: PortOptions[];
  /** @default CanaryMode.SUBSETS */
  readonly mode?: CanaryMode;
  /** Named stages (any weights, e.g. a permanent A/B split). Exclusive with `plan`. @default - see plan */
  readonly stages?: CanaryStage[];
  /** A plan (its last stage sends 100% to one version). Exclusive with `stages`; one of them is required. */
  readonly plan?: CanaryPlan;
  /** The stage to render. Wins over the environment variable. @default - the value of `stageEnvVar` */
  readonly stage?: string;
  /** Environment variable read when `stage` is not set, so a pipeline can run `CANARY_STAGE=canary-10 npm run synth`. @default 'CANARY_STAGE' */
  readonly stageEnvVar?: string;
  /** Serve the release through an Istio ingress Gateway too. @default - mesh only */
  readonly gateway?: CanaryGateway;
  /**
   * Sticky canary (Flagger's approach; Istio's consistent hash does not hold across weighted subsets,
   * istio/istio#9764): while a stage splits the weights, the weighted route sets a cookie
   * (`Path=/; HttpOnly; SameSite=Lax`, plus `Secure` when the created gateway redirects HTTP to HTTPS)
   * on the canary destinations only, i.e. every split version except the stable one: the plan's
   * stable version (progressive `stable`, blue/green `active`), or the first declared version for
   * {@link CanaryPlan.of} and `stages`. Requests carrying the cookie are matched to that canary before the
   * weighted route, so users who got a canary stay on it; users who got the stable version carry no
   * cookie and are re-split on each request (they may reach the canary later, then stay there).
   * The stage's mirror is copied onto the cookie routes (except a route to the mirrored version itself).
   * @default - not sticky
   */
  readonly sticky?: CanaryStickyOptions;
  /** DestinationRule `trafficPolicy` (in SERVICES mode one DestinationRule per release Service). @default - none */
  readonly trafficPolicy?: DestinationRuleSpecTrafficPolicy;
  /** Request timeout on every route. @default - Istio's (none) */
  readonly timeout?: Duration;
  /** Retry policy on every route. @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPRetry @default - Istio's (2 attempts) */
  readonly retries?: VirtualServiceSpecHttpRetries;
  /** CORS policy on every route. @default - none */
  readonly corsPolicy?: VirtualServiceSpecHttpCorsPolicy;
  /** Header manipulation on every route. @default - none */
  readonly headers?: VirtualServiceSpecHttpHeaders;
  /** URI/authority rewrite on every route. @default - none */
  readonly rewrite?: VirtualServiceSpecHttpRewrite;
  /** @default IstioApiVersion.V1 */
  readonly apiVersion?: IstioApiVersion;
  /** `app.kubernetes.io/part-of` label. @default - none */
  readonly partOf?: string;
}

/** How Istio classifies a version's port (by its Service port, name, protocol and appProtocol). */
function protocolOf(p: ResolvedPort) {
  return istioPortProtocol({ port: p.servicePort, name: p.name, protocol: p.protocol, appProtocol: p.appProtocol });
}

/**
 * A canary or blue/green release on Istio, rendered one stage at a time: a Deployment per version,
 * one Service, a DestinationRule whose subsets come from the versions' labels, a VirtualService with
 * the stage's match routes and weights (plus an optional Gateway). Everything is derived from the
 * version list, so subsets, labels and routes cannot drift; bad stages fail at synth time.
 *
 * @example
 * new CanaryRelease(chart, 'shop', {
 *   versions: [{ name: 'v1', image: 'shop:1.0' }, { name: 'v2', image: 'shop:2.0' }],
 *   port: 8080,
 *   plan: CanaryPlan.progressive({ stable: 'v1', canary: 'v2', steps: [10, 50] }),
 *   // stage from CANARY_STAGE: `CANARY_STAGE=canary-10 npm run synth`
 * });
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class CanaryRelease extends Construct {
  /** Name of the Service, DestinationRule and VirtualService. */
  public readonly name: string;
  /** Namespace (`undefined`: the kubectl context's). */
  public readonly namespace: string | undefined;
  /** @see CanaryMode */
  public readonly mode: CanaryMode;
  /** The Istio API version. */
  public readonly apiVersion: IstioApiVersion;
  /** Every stage, in order. */
  public readonly stages: readonly CanaryStage[];
  /** The rendered stage. */
  public readonly stage: CanaryStage;
  /** The rendered stage's weights per version (0 for versions it leaves out). */
  public readonly weights: Readonly<Record<string, number>>;
  /** The workload of each version, by version name. */
  public readonly workloads: Readonly<Record<string, WebApp>>;
  /** The Service `<name>` over every version. */
  public readonly service: ApiObject;
  /** The DestinationRules: `<name>` with the subsets (SUBSETS), or one per release Service when trafficPolicy is set (SERVICES). */
  public readonly destinationRules: readonly ApiObject[];
  /**
   * The VirtualService `<name>`: the Service and the gateway hosts, bound to the gateway and `mesh`; or,
   * when a gateway host is a wildcard, the Service only, bound to `mesh` (see {@link gatewayVirtualService}).
   */
  public readonly virtualService: ApiObject;
  /**
   * The VirtualService `<name>-gateway`, rendered only when a gateway host is a wildcard (`*.example.com`):
   * the same routes for the gateway hosts, bound to the gateway alone. A wildcard host in a VirtualService
   * bound to `mesh` would capture every in-mesh call to a matching host (`partner.example.com`).
   */
  public readonly gatewayVirtualService?: ApiObject;
  /** The Gateway, when created with {@link CanaryGateway.create}. */
  public readonly gateway?: ApiObject;
  /** The hosts the release is served on: the Service, then the gateway hosts. */
  public readonly hosts: readonly string[];
  /** The gateways the routes are bound to: the gateway and `mesh` (empty: mesh only). */
  public readonly gateways: readonly string[];
  /** The HTTP port the VirtualService routes to. */
  public readonly port: ResolvedPort;

  private readonly owner: string;
  private gatewayHostList: readonly string[] = [];

  public constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(withChildSlots(scope), id);
    checkUniqueObjects(this);
    this.name = props.name ?? toDnsLabel(id);
    const owner = this.owner = `CanaryRelease '${this.name}'`;
    validateDns1035(owner, 'name', this.name);
    this.namespace = namespaceOf(this);
    this.mode = props.mode ?? CanaryMode.SUBSETS;
    this.apiVersion = props.apiVersion ?? IstioApiVersion.V1;

    // ---- versions
    if (!Array.isArray(props.versions)) fail(owner, `versions ${show(String(props.versions))} is not a list`, 'set versions to two or more { name, image } entries');
    if (props.versions.length < 2) fail(owner, `has ${props.versions.length} version(s)`, 'declare at least two versions (e.g. v1 and v2); a single version needs no canary, use WebApp');
    const versionNames = props.versions.map((v) => v.name);
    for (const v of versionNames) {
      if (!isDns1123Label(v)) fail(owner, `version name ${show(v)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\' (e.g. \'v2\'); it becomes a label value, a subset name and part of the Deployment name');
      if (versionNames.indexOf(v) !== versionNames.lastIndexOf(v)) fail(owner, `version ${show(v)} is declared twice`, 'give every version a unique name');
      if (this.mode === CanaryMode.SUBSETS && !isDns1035Label(`${this.name}-${v}`)) {
        fail(owner, `Deployment name ${show(`${this.name}-${v}`)} (name-version) is not a DNS-1035 label of at most 63 characters`, 'use a shorter name or version');
      }
      if (this.mode === CanaryMode.SERVICES) {
        validateDns1035(owner, 'release (version) name', v);
        if (v === this.name) fail(owner, `release ${show(v)} has the release set's own name`, `name the releases differently from '${this.name}', whose Service spans all of them`);
      }
    }

    // ---- stages
    if (props.stages && props.plan) fail(owner, 'stages and plan are both set', 'use plan for a rollout that ends on one version, stages for anything else');
    if (!props.stages && !props.plan) fail(owner, 'has neither stages nor plan', 'set plan (e.g. CanaryPlan.progressive({ stable: \'v1\', canary: \'v2\' })) or stages');
    this.stages = props.plan ? props.plan.stages : props.stages!;
    if (this.stages.length === 0) fail(owner, 'has no stages', 'declare at least one stage');
    const stageNames = this.stages.map((s) => s.name);
    for (const s of this.stages) {
      if (!isDns1123Label(s.name)) fail(owner, `stage name ${show(s.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\' (e.g. \'canary-10\')');
      if (stageNames.indexOf(s.name) !== stageNames.lastIndexOf(s.name)) fail(owner, `stage ${show(s.name)} is declared twice`, 'give every stage a unique name');
      this.validateStage(s, versionNames);
    }
    if (props.plan) {
      const last = this.stages[this.stages.length - 1];
      const full = Object.entries(last.weights).find(([, w]) => w === 100);
      if (!full) {
        fail(owner, `plan's last stage ${show(last.name)} does not send 100% to one version (${describeWeights(last.weights, versionNames)})`,
          'end the plan with a stage that sends 100% to the version you are promoting (e.g. { name: \'promoted\', weights: { v2: 100 } })');
      }
    }
    const envVar = props.stageEnvVar ?? 'CANARY_STAGE';
    const selected = props.stage ?? process.env[envVar];
    const valid = stageNames.map((n) => show(n)).join(', ');
    if (selected === undefined || selected === '') fail(owner, `no stage is selected (neither the stage prop nor ${envVar} is set)`, `set stage or ${envVar} to one of ${valid}`);
    const stage = this.stages.find((s) => s.name === selected);
    if (!stage) fail(owner, `stage ${show(selected)} (from ${props.stage !== undefined ? 'the stage prop' : envVar}) does not exist`, `use one of ${valid}`);
    this.stage = stage;
    this.weights = Object.fromEntries(versionNames.map((v) => [v, stage.weights[v] ?? 0]));
    // A version the rendered stage sends requests to must have pods: with replicas 0 (and no
    // autoscaling) Envoy answers its share with 503 "no healthy upstream".
    const served = new Map<string, string>();
    for (const [v, w] of Object.entries(stage.weights)) if (w > 0) served.set(v, `${w}% of the traffic`);
    for (const r of stage.routes ?? []) if (!served.has(r.version)) served.set(r.version, 'the requests of a match route');
    if (stage.mirror && !served.has(stage.mirror.version)) served.set(stage.mirror.version, 'mirrored requests');
    for (const v of props.versions) {
      if (v.replicas === 0 && v.autoscaling === undefined && served.has(v.name)) {
        fail(owner, `stage ${show(stage.name)} sends ${served.get(v.name)} to version ${show(v.name)}, which has replicas: 0, so Envoy would answer with 503 (no healthy upstream)`,
          `give version '${v.name}' replicas (or autoscaling), or render a stage that does not route to it`);
      }
    }

    // ---- ports
    if (props.port !== undefined && props.ports !== undefined) fail(owner, 'port and ports are both set', 'use port for one HTTP port, or ports for several');
    if (props.port === undefined && !props.ports?.length) fail(owner, 'has no port', 'set port (the HTTP port the versions listen on)');

    // ---- gateway
    const planHosts = props.plan?.hosts ?? [];
    if (planHosts.length && !props.gateway) fail(owner, `the plan's preview host ${show(planHosts[0])} needs a gateway`, 'set gateway (CanaryGateway.create or fromName)');
    if (props.gateway?.existingName !== undefined) {
      // An existing Gateway serves only the hosts its own servers list: the preview host must be one of them.
      for (const h of planHosts) {
        if (!props.gateway.hosts.some((g) => g === h || (g.startsWith('*.') && h.endsWith(g.slice(1))))) {
          fail(owner, `the plan's preview host ${show(h)} is not among the hosts of gateway ${show(props.gateway.existingName)} (${props.gateway.hosts.map((g) => show(g)).join(', ')})`,
            `add ${show(h)} to that Gateway's servers and to CanaryGateway.fromName's hosts, or use CanaryGateway.create`);
        }
      }
    }
    // A preview host the user also listed among the created gateway's hosts is the same host, not a duplicate.
    const gatewayHosts = [...(props.gateway?.hosts ?? []), ...planHosts.filter((h) => !props.gateway?.hosts.includes(h))];
    const mainHosts = props.gateway?.hosts.filter((h) => !planHosts.includes(h)) ?? [];
    for (const h of planHosts) {
      if (props.gateway && mainHosts.length === 0) {
        fail(owner, `the plan's preview host ${show(h)} is the only gateway host, so every request through the gateway would match the preview route`,
          'list the main host(s) in the gateway hosts too, and use a separate host (e.g. \'preview.shop.example.com\') for the preview');
      }
    }
    if (props.gateway && props.gateway.hosts.length === 0) fail(owner, 'gateway has no hosts', 'list the hosts the gateway serves');
    gatewayHosts.forEach((h, i) => checkGatewayHost(owner, `gateway hosts[${i}]`, h, { name: this.name, namespace: this.namespace }));
    const dupHost = gatewayHosts.find((h, i) => gatewayHosts.indexOf(h) !== i);
    if (dupHost) fail(owner, `gateway host ${show(dupHost)} is listed twice`, 'list each host once');
    if (props.gateway?.existingName !== undefined) {
      const ref = props.gateway.existingName;
      const parts = ref.split('/');
      if (parts.length > 2 || !parts.every((p) => isDns1123Label(p)) || ref === 'mesh') {
        fail(owner, `gateway name ${show(ref)} is not a Gateway reference`, 'use \'name\' (same namespace) or \'namespace/name\', e.g. \'istio-system/public\'');
      }
    }

    // ---- sticky
    const sticky = props.sticky ? {
      cookie: props.sticky.cookieName ?? `${this.name}-version`,
      maxAge: wholeSeconds(owner, 'sticky maxAge', props.sticky.maxAge ?? Duration.hours(24), 1, 'Duration.hours(24)'),
      // Secure only when browsers can reach the gateway over HTTPS only (plain HTTP redirected).
      secure: Boolean(props.gateway?.options?.httpsCredentialName && props.gateway.options.redirectHttpToHttps),
      stable: props.plan?.stable ?? versionNames[0],
    } : undefined;
    if (sticky) {
      if (!COOKIE_NAME.test(sticky.cookie)) fail(owner, `sticky cookieName ${show(sticky.cookie)} is not a cookie name token`, 'use letters, digits and !#$%&\'*+.^_`|~-');
    }
    if (props.timeout) istioDuration(owner, 'timeout', props.timeout);
    const attempts = props.retries?.attempts;
    if (attempts !== undefined && (!Number.isInteger(attempts) || attempts < 0)) {
      fail(owner, `retries.attempts ${show(attempts)} is not a whole number >= 0`, 'use e.g. 3 (0 disables retries); Istio\'s webhook rejects the VirtualService otherwise');
    }
    (props.corsPolicy?.allowOrigins ?? []).forEach((o, i) => {
      if (o.regex !== undefined) checkRe2(owner, `corsPolicy.allowOrigins[${i}]`, o.regex);
    });
    const trafficPolicy = props.trafficPolicy ? toJson_DestinationRuleSpecTrafficPolicy(props.trafficPolicy) : undefined;
    if (sticky && trafficPolicy && hasConsistentHash(trafficPolicy)) {
      fail(owner, 'sticky is combined with a trafficPolicy consistentHash',
        'remove the consistentHash: Envoy hashes within one subset, so it cannot keep users on a version across a weighted split (istio/istio#9764); the sticky cookie does that');
    }

    // ---- workloads
    const labels = compact<Json>({ 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/part-of': props.partOf, 'app.kubernetes.io/managed-by': MANAGED_BY });
    const workloads: Record<string, WebApp> = {};
    for (const v of props.versions) {
      const { name: version, ...options } = v;
      workloads[version] = new WebApp(this, version, {
        ...options,
        name: this.mode === CanaryMode.SUBSETS ? `${this.name}-${version}` : version,
        appLabel: this.name,
        version,
        selectVersion: true,
        partOf: props.partOf,
        port: props.port,
        ports: props.ports,
        createService: this.mode === CanaryMode.SERVICES,
      });
    }
    this.workloads = workloads;
    const first = workloads[versionNames[0]];
    this.port = first.ports[0];
    const portProtocol = protocolOf(this.port);
    if (portProtocol.class !== IstioProtocolClass.HTTP) {
      fail(owner, `port ${show(this.port.name)} is not recognisably HTTP to Istio: it is ${portProtocol.reason}, so ${portProtocol.class === IstioProtocolClass.OPAQUE ? 'Istio proxies it as opaque traffic and ignores every HTTP route' : 'Istio has to guess its protocol per connection (protocol sniffing) before any HTTP route applies'}`,
        portProtocol.protocol === 'udp' || portProtocol.protocol === 'sctp'
          ? 'serve HTTP over protocol TCP (the default)'
          : this.port.appProtocol !== undefined
            ? `set appProtocol to 'http' (or 'http2', 'grpc'), or remove it and name the port 'http' or 'http-<suffix>' (appProtocol ${show(this.port.appProtocol)} replaces the port name)`
            : 'name it \'http\' (or \'http-<suffix>\', \'http2\', \'grpc\') or set appProtocol: \'http\'');
    }
    // The HTTP routes carry no port match and every destination names the first port, so HTTP to any
    // other port Istio treats as HTTP (by name, appProtocol or protocol sniffing) would land on the first.
    const otherHttp = first.ports.slice(1).filter((p) => protocolOf(p).class !== IstioProtocolClass.OPAQUE);
    if (otherHttp.length) {
      const p = otherHttp[0];
      fail(owner, `ports has a second port Istio may route as HTTP: ${show(p.name)} (${p.servicePort}${p.appProtocol ? `, appProtocol ${show(p.appProtocol)}` : ''}), but the VirtualService routes every HTTP request to the first port ${show(this.port.name)} (${this.port.servicePort})`,
        'serve one HTTP port per CanaryRelease; name other ports for their real protocol (\'tcp-<suffix>\', \'tls-<suffix>\', \'https-<suffix>\') or set their appProtocol (e.g. \'tcp\')');
    }

    // ---- service
    this.service = manifest(this, 'Service', 'v1', 'Service', {
      name: this.name,
      labels,
      body: {
        spec: {
          type: 'ClusterIP',
          selector: { app: this.name },
          ports: first.ports.map((p) => compact({ name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol, appProtocol: p.appProtocol })),
        },
      },
    });

    // ---- destination rules
    const meta = { labels };
    const destinationRules: ApiObject[] = [];
    if (this.mode === CanaryMode.SUBSETS) {
      destinationRules.push(manifest(this, 'DestinationRule', this.apiVersion, 'DestinationRule', {
        ...meta,
        name: this.name,
        body: {
          spec: compact({
            host: this.name,
            trafficPolicy,
            // Subsets come from the workloads' own pod labels: never typed twice.
            subsets: versionNames.map((v) => ({ name: v, labels: { version: workloads[v].podLabels.version } })),
          }),
        },
      }));
    } else if (trafficPolicy) {
      for (const v of versionNames) {
        destinationRules.push(manifest(this, `DestinationRule-${v}`, this.apiVersion, 'DestinationRule', {
          ...meta, name: v, body: { spec: { host: v, trafficPolicy } },
        }));
      }
    }
    this.destinationRules = destinationRules;

    // ---- gateway
    const gw = props.gateway;
    if (gw?.options) {
      const o = gw.options;
      if (o.httpsCredentialName !== undefined && !isDns1123Label(o.httpsCredentialName) && !isDnsName(o.httpsCredentialName, false)) {
        fail(owner, `gateway httpsCredentialName ${show(o.httpsCredentialName)} is not a Secret name`, 'name a kubernetes.io/tls Secret in the ingress gateway\'s namespace');
      }
      if (o.redirectHttpToHttps && !o.httpsCredentialName) fail(owner, 'gateway redirectHttpToHttps is set without httpsCredentialName', 'set httpsCredentialName, or drop the redirect');
      const name = `${this.name}-gateway`;
      this.gateway = manifest(this, 'Gateway', this.apiVersion, 'Gateway', {
        ...meta,
        name,
        body: {
          spec: {
            selector: { ...(o.selector ?? { istio: 'ingressgateway' }) },
            servers: [
              compact({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...gatewayHosts], tls: o.redirectHttpToHttps ? { httpsRedirect: true } : undefined }),
              ...(o.httpsCredentialName ? [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [...gatewayHosts], tls: { mode: 'SIMPLE', credentialName: o.httpsCredentialName } }] : []),
            ],
          },
        },
      });
      this.gateways = [name, 'mesh'];
    } else if (gw) {
      this.gateways = [gw.existingName!, 'mesh'];
    } else {
      this.gateways = [];
    }
    this.hosts = [this.name, ...gatewayHosts];

    // ---- virtual service
    const virtualService = (id: string, name: string, hosts: string[], gateways: string[]) => manifest(this, id, this.apiVersion, 'VirtualService', {
      ...meta,
      name,
      body: { spec: compact({ hosts, gateways, http: this.renderRoutes(stage, versionNames, props, sticky) }) },
    });
    if (gatewayHosts.some((h) => h.startsWith('*')) && this.gateways.length) {
      // Istio gives every sidecar a virtual host for each host of a VirtualService bound to mesh: a
      // wildcard there would send in-mesh calls to any matching host (partner.example.com) to this release.
      this.virtualService = virtualService('VirtualService', this.name, [this.name], ['mesh']);
      this.gatewayVirtualService = virtualService('VirtualService-gateway', `${this.name}-gateway`, [...gatewayHosts], this.gateways.filter((g) => g !== 'mesh'));
    } else {
      this.virtualService = virtualService('VirtualService', this.name, [...this.hosts], [...this.gateways]);
    }
    this.gatewayHostList = gatewayHosts;
    // One pass over the tree per synth for every CanaryRelease of the app (not one per release).
    if (gatewayHosts.length) {
      addTreeValidation(CanaryRelease, this, (members, objects) => {
        const byHost = gatewayVirtualServicesByHost(objects);
        return members.flatMap((m) => m.sharedGatewayHostErrors(byHost));
      });
    }
  }

  /**
   * Errors for another VirtualService in the app that serves one of this release's gateway hosts
   * through a gateway, given every VirtualService by gateway host (see {@link sharedGatewayHostErrors}).
   */
  private sharedGatewayHostErrors(byHost: ReadonlyMap<string, readonly ApiObject[]>): string[] {
    const mine = new Set([this.virtualService, this.gatewayVirtualService]);
    const errors: string[] = [];
    const others = new Map<ApiObject, string[]>();
    for (const h of this.gatewayHostList) {
      for (const o of byHost.get(h) ?? []) if (!mine.has(o)) others.set(o, [...(others.get(o) ?? []), h]);
    }
    for (const [o, shared] of others) {
      errors.push(`${this.owner}: VirtualService '${o.metadata.name}' also serves gateway host ${shared.map((h) => show(h)).join(', ')}: Istio merges or drops VirtualServices for the same gateway host, so one of the two default routes is never reached; serve each host from one release (give the other release its own host)`);
    }
    return errors;
  }

  /** Every stage's name, in order. */
  public get stageNames(): string[] {
    return this.stages.map((s) => s.name);
  }

  /** The DestinationRule `<name>` (SUBSETS mode), if any. */
  public get destinationRule(): ApiObject | undefined {
    return this.mode === CanaryMode.SUBSETS ? this.destinationRules[0] : undefined;
  }

  private validateStage(stage: CanaryStage, versions: string[]): void {
    const owner = this.owner;
    const at = `stage ${show(stage.name)}`;
    if (stage.weights === null || typeof stage.weights !== 'object') fail(owner, `${at} has no weights`, 'give weights per version, e.g. { v1: 90, v2: 10 }');
    for (const [v, w] of Object.entries(stage.weights)) {
      if (!versions.includes(v)) fail(owner, `${at} weights name unknown version ${show(v)}`, `use one of ${versions.map((x) => show(x)).join(', ')}`);
      if (!Number.isInteger(w) || w < 0 || w > 100) fail(owner, `${at} weight ${v}=${show(w)} is not an integer in 0-100`, 'give every weight as a whole percentage between 0 and 100');
    }
    const sum = Object.values(stage.weights).reduce((a, b) => a + b, 0);
    if (sum !== 100) fail(owner, `${at} weights sum to ${sum} (${describeWeights(stage.weights, versions)})`, 'they must sum to 100');
    const routes = stage.routes ?? [];
    const seen: Array<{ match: Json; route: number }> = [];
    routes.forEach((r, i) => {
      const where = `${at} route ${i + 1}`;
      if (!versions.includes(r.version)) fail(owner, `${where} sends to unknown version ${show(r.version)}`, `use one of ${versions.map((x) => show(x)).join(', ')}`);
      const matches = Array.isArray(r.match) ? r.match : [r.match];
      if (matches.some((m) => !(m instanceof RouteMatch))) fail(owner, `${where} match is not a RouteMatch`, 'use RouteMatch.header(...), RouteMatch.uriPrefix(...), RouteMatch.cookie(...) (or a list of them)');
      if (matches.length === 0) fail(owner, `${where} has no match`, 'give at least one RouteMatch (a route without a match is the weighted default route: use weights)');
      if (r.name !== undefined && !isDns1123Label(r.name)) fail(owner, `${where} name ${show(r.name)} is not a DNS-1123 label`, 'use lowercase letters, digits and \'-\'');
      // Route names label Envoy's stats and access logs: two routes of one name cannot be told apart.
      const taken = ['default', ...versions.map((v) => `sticky-${v}`), ...routes.slice(0, i).map((q, j) => q.name ?? `${stage.name}-match-${j + 1}`)];
      if (r.name !== undefined && taken.includes(r.name)) {
        fail(owner, `${where} name ${show(r.name)} is already used by another route of the stage (or the generated 'default' / 'sticky-<version>' routes)`, 'give every route a unique name');
      }
      const catchAll = matches.find((m) => m.isCatchAll);
      if (catchAll) {
        const next = i + 1 < routes.length ? `route ${i + 2}` : 'the weighted default route';
        fail(owner, `${where} matches every request (${catchAll}), so ${next} is shadowed and never used`,
          i + 1 < routes.length ? 'move the catch-all route last, or narrow its match' : `narrow the match, or send the traffic with weights (e.g. { ${r.version}: 100 })`);
      }
      const rendered = matches.map((m) => m._render(owner, where));
      // Shadowed when every alternative of this route is covered by an alternative of an earlier route:
      // identical, or wider (uri prefix '/api' before '/api/v2', header regex '.*' before an exact value).
      const earlier = rendered.map((b) => seen.find((s) => matchCovers(s.match, b)));
      if (earlier.every((e) => e !== undefined)) {
        const identical = rendered.every((b, k) => JSON.stringify(b) === JSON.stringify(earlier[k]!.match));
        fail(owner, `${where} (${matches.join(' or ')}) is shadowed by route ${earlier[0]!.route}, which matches ${identical ? 'the same' : 'all of its'} requests first`,
          identical ? 'remove the duplicate route or change its match' : `put the narrower route first (before route ${earlier[0]!.route}), or narrow route ${earlier[0]!.route}`);
      }
      rendered.forEach((match) => seen.push({ match, route: i + 1 }));
    });
    if (stage.mirror) {
      const m = stage.mirror;
      if (!versions.includes(m.version)) fail(owner, `${at} mirror names unknown version ${show(m.version)}`, `use one of ${versions.map((x) => show(x)).join(', ')}`);
      if ((stage.weights[m.version] ?? 0) === 100) fail(owner, `${at} mirrors to ${show(m.version)}, which already receives 100% of the traffic`, 'mirror to a version that gets less than 100% (e.g. the canary while the stable version serves)');
      const p = m.percentage ?? 100;
      if (typeof p !== 'number' || !(p > 0 && p <= 100)) fail(owner, `${at} mirror percentage ${show(p)} is not in (0, 100]`, 'use a percentage above 0 and at most 100');
    }
  }

  private destination(version: string): Json {
    return this.mode === CanaryMode.SUBSETS
      ? { host: this.name, subset: version, port: { number: this.port.servicePort } }
      : { host: version, port: { number: this.port.servicePort } };
  }

  private renderRoutes(stage: CanaryStage, versions: string[], props: CanaryReleaseProps, sticky: StickyConfig | undefined): Json[] {
    const owner = this.owner;
    const common = compact({
      timeout: props.timeout ? istioDuration(owner, 'timeout', props.timeout) : undefined,
      retries: props.retries ? toJson_VirtualServiceSpecHttpRetries(props.retries) : undefined,
      corsPolicy: props.corsPolicy ? toJson_VirtualServiceSpecHttpCorsPolicy(props.corsPolicy) : undefined,
      headers: props.headers ? toJson_VirtualServiceSpecHttpHeaders(props.headers) : undefined,
      rewrite: props.rewrite ? toJson_VirtualServiceSpecHttpRewrite(props.rewrite) : undefined,
    });
    const http: Json[] = [];
    // 1. the stage's match routes, in order
    (stage.routes ?? []).forEach((r, i) => {
      const matches = Array.isArray(r.match) ? r.match : [r.match];
      http.push({
        name: r.name ?? `${stage.name}-match-${i + 1}`,
        match: matches.map((m) => m._render(owner, `stage ${show(stage.name)} route ${i + 1}`)),
        route: [{ destination: this.destination(r.version) }],
        ...common,
      });
    });
    const split = versions.filter((v) => this.weights[v] > 0);
    const mirror = stage.mirror;
    // Mirror fields for a route to `target`; never a copy to the version that already serves the request.
    const mirrorTo = (target: string | undefined) => (mirror && mirror.version !== target ? {
      mirror: this.destination(mirror.version),
      mirrorPercentage: { value: mirror.percentage ?? 100 },
    } : {});
    // 2. sticky (Flagger's approach): while the weights are split, the weighted route sets a cookie on
    //    the canary destinations only (every split version but the stable one), and users carrying it
    //    are matched to that version before the weighted route. Users who got the stable version carry
    //    no cookie and stay on the weighted route.
    const canaries = sticky && split.length > 1 ? split.filter((v) => v !== sticky.stable) : [];
    for (const v of canaries) {
      http.push({
        name: `sticky-${v}`,
        match: [{ headers: { cookie: { regex: cookieRegex(sticky!.cookie, v) } } }],
        route: [{ destination: this.destination(v) }],
        ...mirrorTo(v),
        ...common,
      });
    }
    // 3. the weighted default route
    http.push(compact({
      name: 'default',
      route: split.map((v) => compact({
        destination: this.destination(v),
        weight: this.weights[v],
        headers: canaries.includes(v)
          ? { response: { add: { 'set-cookie': `${sticky!.cookie}=${v}; Max-Age=${sticky!.maxAge}; Path=/; HttpOnly; SameSite=Lax${sticky!.secure ? '; Secure' : ''}` } } }
          : undefined,
      })),
      mirror: mirror ? this.destination(mirror.version) : undefined,
      mirrorPercentage: mirror ? { value: mirror.percentage ?? 100 } : undefined,
      ...common,
    }));
    return http;
  }
}

interface StickyConfig {
  readonly cookie: string;
  readonly maxAge: number;
  readonly secure: boolean;
  /** The version that never gets the cookie. */
  readonly stable: string;
}

function describeWeights(weights: Record<string, number>, versions: string[]): string {
  const names = [...versions.filter((v) => v in weights), ...Object.keys(weights).filter((v) => !versions.includes(v))];
  return names.map((v) => `${v}=${weights[v]}`).join(', ') || 'no weights';
}

function hasConsistentHash(trafficPolicy: Json): boolean {
  return Boolean(trafficPolicy.loadBalancer?.consistentHash)
    || (trafficPolicy.portLevelSettings ?? []).some((p: Json) => Boolean(p.loadBalancer?.consistentHash));
}

function istioDuration(owner: string, prop: string, d: Duration): string {
  const ms = d.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms) || ms < 1) fail(owner, `${prop} ${d.toHumanString()} (${ms}ms) is not a whole number of milliseconds >= 1`, 'use e.g. Duration.seconds(5) or Duration.millis(250)');
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

