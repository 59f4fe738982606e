/**
 * Where requests go, computed from rendered routing objects alone: the share of requests reaching each
 * version (a Deployment's `version` pod label), for one request, from an Istio rendering
 * (VirtualService + DestinationRule) or a Gateway API rendering (HTTPRoutes). Both follow the same
 * Services to the same pods, so two renderings of one declaration can be compared request by request.
 *
 * Istio: the first VirtualService route whose match holds (routes in order; a route without match
 * holds always). Gateway API: among the rules with a match that holds, the most specific one, as
 * the HTTPRoute spec orders them (exact path, then the longest prefix, then the most header matches;
 * a regex path, whose precedence is implementation-specific, ranks between exact and prefix as Istio
 * and Envoy Gateway rank it), ties in rule order. Regexes are RE2, matched against the whole value.
 */
import { RE2 } from 're2-wasm';

/** One request. */
export interface TrafficRequest {
  /** `gateway`: north-south through the gateway (to `host`); `mesh`: from a pod in the mesh to the app's Service `host`. */
  readonly via: 'gateway' | 'mesh';
  /** The host called (a gateway host, or the app's Service name). */
  readonly host: string;
  /** The path. @default '/' */
  readonly path?: string;
  /** Request headers (lowercase names). @default {} */
  readonly headers?: Record<string, string>;
}

/** Share of the requests per version (0-1; versions with no share left out), and the share mirrored to each. */
export interface TrafficShare {
  readonly serves: Record<string, number>;
  readonly mirrors: Record<string, number>;
}

type Doc = any;

function fullMatch(pattern: string, value: string): boolean {
  const re = new RE2(`^(?:${pattern})$`, 'u');
  try {
    return re.test(value);
  } finally {
    (re as any).wrapper?.delete?.();
  }
}

/** Istio StringMatch. */
function istioStringMatch(m: any, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m.exact !== undefined) return value === m.exact;
  if (m.prefix !== undefined) return value.startsWith(m.prefix);
  if (m.regex !== undefined) return fullMatch(m.regex, value);
  throw new Error(`unknown StringMatch ${JSON.stringify(m)}`);
}

/** The versions of the pods a Service (by name, with extra subset labels) selects. */
function versionsBehind(docs: Doc[], service: string, extraLabels: Record<string, string> = {}): string[] {
  const svc = docs.find((d) => d.kind === 'Service' && d.metadata.name === service);
  if (!svc) throw new Error(`no Service ${service}`);
  const selector = { ...svc.spec.selector, ...extraLabels };
  const pods = docs.filter((d) => d.kind === 'Deployment' && Object.entries(selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
  if (pods.length !== 1) throw new Error(`Service ${service} ${JSON.stringify(extraLabels)} selects ${pods.length} Deployments`);
  return [pods[0].spec.template.metadata.labels.version];
}

function add(into: Record<string, number>, version: string, share: number): void {
  if (share > 0) into[version] = Math.round(((into[version] ?? 0) + share) * 1e9) / 1e9;
}

const hostMatches = (pattern: string, host: string) => pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));

/** Where `request` goes, from the VirtualServices and DestinationRules in `docs`. */
export function istioShare(docs: Doc[], request: TrafficRequest): TrafficShare {
  const path = request.path ?? '/';
  const headers = request.headers ?? {};
  const vss = docs.filter((d) => d.kind === 'VirtualService').filter((vs) => {
    const gateways: string[] = vs.spec.gateways ?? ['mesh'];
    const bound = request.via === 'mesh' ? gateways.includes('mesh') : gateways.some((g) => g !== 'mesh');
    return bound && (vs.spec.hosts as string[]).some((h) => hostMatches(h, request.host));
  });
  if (vss.length !== 1) throw new Error(`${vss.length} VirtualServices serve ${request.via} ${request.host}`);
  const holds = (m: any) => Object.entries(m).every(([key, v]: [string, any]) => {
    if (key === 'headers') return Object.entries(v).every(([name, sm]) => istioStringMatch(sm, headers[name]));
    if (key === 'uri') return istioStringMatch(v, path);
    if (key === 'authority') return istioStringMatch(v, request.host);
    throw new Error(`unknown match key ${key}`);
  });
  const route = (vss[0].spec.http as any[]).find((r) => !r.match || r.match.some(holds));
  if (!route) return { serves: {}, mirrors: {} };
  const subsetLabels = (host: string, subset?: string): Record<string, string> => {
    if (subset === undefined) return {};
    const dr = docs.find((d) => d.kind === 'DestinationRule' && d.spec.host === host);
    return dr.spec.subsets.find((s: any) => s.name === subset).labels;
  };
  const serves: Record<string, number> = {};
  const total = route.route.reduce((a: number, d: any) => a + (d.weight ?? 100), 0);
  for (const d of route.route) {
    for (const v of versionsBehind(docs, d.destination.host, subsetLabels(d.destination.host, d.destination.subset))) add(serves, v, (d.weight ?? 100) / total);
  }
  const mirrors: Record<string, number> = {};
  if (route.mirror) {
    for (const v of versionsBehind(docs, route.mirror.host, subsetLabels(route.mirror.host, route.mirror.subset))) add(mirrors, v, (route.mirrorPercentage?.value ?? 100) / 100);
  }
  return { serves, mirrors };
}

/** Gateway API HTTPHeaderMatch / HTTPPathMatch. */
function gatewayMatchHolds(m: any, path: string, headers: Record<string, string>): boolean {
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  const pathOk = p.type === 'Exact' ? path === p.value
    : p.type === 'RegularExpression' ? fullMatch(p.value, path)
      : p.value === '/' || path === p.value.replace(/\/$/, '') || path.startsWith(`${p.value.replace(/\/$/, '')}/`);
  return pathOk && (m.headers ?? []).every((h: any) => {
    const value = headers[h.name.toLowerCase()];
    if (value === undefined) return false;
    return (h.type ?? 'Exact') === 'Exact' ? value === h.value : fullMatch(h.value, value);
  });
}

/** Precedence of a match (higher wins): path kind, prefix length, number of header matches. */
function precedence(m: any): number[] {
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  const kind = p.type === 'Exact' ? 3 : p.type === 'RegularExpression' ? 2 : 1;
  return [kind, p.type === 'PathPrefix' ? p.value.length : 0, (m.headers ?? []).length];
}

function higher(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** Where `request` goes, from the HTTPRoutes in `docs`. */
export function gatewayApiShare(docs: Doc[], request: TrafficRequest): TrafficShare {
  const path = request.path ?? '/';
  const headers = request.headers ?? {};
  const routes = docs.filter((d) => d.kind === 'HTTPRoute').filter((r) => (r.spec.parentRefs as any[]).some((p) => (request.via === 'mesh'
    ? p.kind === 'Service' && p.group === '' && p.name === request.host
    : (p.kind ?? 'Gateway') === 'Gateway' && (!r.spec.hostnames || (r.spec.hostnames as string[]).some((h) => hostMatches(h, request.host))))));
  // Across routes of intersecting hostnames, the route with the most specific matching hostname wins
  // (most characters in a matching non-wildcard hostname, then in a matching hostname); a route without
  // hostnames matches with none (HTTPRouteSpec hostnames).
  const specificity = (r: any): number[] => {
    if (request.via === 'mesh' || !r.spec.hostnames) return [0, 0];
    const matching = (r.spec.hostnames as string[]).filter((h) => hostMatches(h, request.host));
    return [Math.max(0, ...matching.filter((h) => !h.startsWith('*.')).map((h) => h.length)), Math.max(0, ...matching.map((h) => h.length))];
  };
  const top = routes.reduce<any[]>((acc, r) => (acc.length === 0 || higher(specificity(r), specificity(acc[0])) ? [r] : higher(specificity(acc[0]), specificity(r)) ? acc : [...acc, r]), []);
  if (top.length !== 1) throw new Error(`${top.length} HTTPRoutes serve ${request.via} ${request.host} equally`);
  let best: { rule: any; score: number[] } | undefined;
  for (const rule of top[0].spec.rules as any[]) {
    for (const m of rule.matches ?? [{}]) {
      if (!gatewayMatchHolds(m, path, headers)) continue;
      const score = precedence(m);
      if (!best || higher(score, best.score)) best = { rule, score };
    }
  }
  if (!best) return { serves: {}, mirrors: {} };
  const refs = best.rule.backendRefs as any[];
  const total = refs.reduce((a, r) => a + (r.weight ?? 1), 0);
  const serves: Record<string, number> = {};
  for (const r of refs) for (const v of versionsBehind(docs, r.name)) add(serves, v, (r.weight ?? 1) / total);
  const mirrors: Record<string, number> = {};
  for (const f of best.rule.filters ?? []) {
    if (f.type !== 'RequestMirror') continue;
    const m = f.requestMirror;
    const share = m.fraction ? m.fraction.numerator / (m.fraction.denominator ?? 100) : (m.percent ?? 100) / 100;
    for (const v of versionsBehind(docs, m.backendRef.name)) add(mirrors, v, share);
  }
  return { serves, mirrors };
}
