/** Istio cross-references: VirtualService hosts, gateways, subsets, regexes; DestinationRule subsets. */
import { Bundle, isObj, Obj, selects, showLabels, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { esc, Report } from './report';

// ---------------------------------------------------------------- Istio

/** Resolves an Istio host (`reviews`, `reviews.shop`, `reviews.shop.svc.cluster.local`) to a Service of the bundle. */
export function resolveHost(bundle: Bundle, host: string, fromNs: string): SourceDoc | undefined {
  const parts = String(host).split('.');
  if (parts.length === 1) return bundle.find('Service', fromNs, parts[0]);
  const tail = parts.slice(2).join('.');
  if (parts.length === 2 || tail === 'svc' || tail === 'svc.cluster.local') return bundle.find('Service', parts[1], parts[0]);
  return undefined;
}

function serviceEntryHost(bundle: Bundle, host: string): boolean {
  return bundle.ofKind('ServiceEntry').some((se) => (Array.isArray(se.doc.spec?.hosts) ? se.doc.spec.hosts : []).some((h: string) =>
    h === host || (h.startsWith('*.') && host.endsWith(h.slice(1)))));
}

/** Subsets a DestinationRule defines for `svc` (by any way of writing its host). */
export function subsetsFor(bundle: Bundle, svc: SourceDoc): Map<string, { dr: SourceDoc; labels: Record<string, string> }> {
  const out = new Map<string, { dr: SourceDoc; labels: Record<string, string> }>();
  for (const dr of bundle.ofKind('DestinationRule')) {
    if (resolveHost(bundle, dr.doc.spec?.host, Bundle.namespaceOf(dr.doc)) !== svc) continue;
    for (const s of Array.isArray(dr.doc.spec?.subsets) ? dr.doc.spec.subsets : []) if (typeof s?.name === 'string') out.set(s.name, { dr, labels: s.labels ?? {} });
  }
  return out;
}

/** Why RE2 (Envoy) rejects `pattern`, or `undefined` when it compiles. */
export function regexProblem(pattern: string): string | undefined {
  if (/\(\?[=!]|\(\?<[=!]/.test(pattern)) return 'lookaround is not supported by RE2 (Envoy\'s regex engine)';
  if (/\\[1-9]/.test(pattern)) return 'backreferences are not supported by RE2 (Envoy\'s regex engine)';
  try {
    const RE2 = require('re2-wasm').RE2; // loaded on first use (require caches it)
    new RE2(pattern, 'u');
  } catch (e) {
    return `does not compile: ${(e as Error).message}`;
  }
  return undefined;
}

function checkRegexes(d: SourceDoc, report: Report, match: Obj, at: string): void {
  const visit = (v: unknown, p: string) => {
    if (!isObj(v)) return;
    if (typeof v.regex === 'string') {
      const problem = regexProblem(v.regex);
      if (problem) report(d, Level.ERROR, 'vs-regex', `${p}/regex`, `regex '${v.regex}' ${problem}`);
    }
    for (const [k, c] of Object.entries(v)) if (k !== 'regex') visit(c, `${p}/${esc(k)}`);
  };
  visit(match, at);
}

/** Whether two host names overlap, either may be a wildcard (`*`, `*.example.com`), as Istio binds them. */
export function hostsIntersect(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.startsWith('*') && b.endsWith(a.slice(1))) return true;
  return b.startsWith('*') && a.endsWith(b.slice(1));
}

/**
 * A gateway-bound VirtualService only receives the gateway's traffic for hosts its servers expose
 * (`servers[].hosts`, `[namespace/]host`, wildcards allowed). When none of its hosts is exposed the
 * VirtualService never applies to that gateway: an ERROR (istioctl's IST0132). Single unexposed hosts
 * are not flagged: they are normal when the VirtualService is also bound to `mesh` or to other gateways.
 */
function checkGatewayHosts(d: SourceDoc, gateway: SourceDoc, ref: string, i: number, report: Report): void {
  const vsNs = Bundle.namespaceOf(d.doc);
  const gwNs = Bundle.namespaceOf(gateway.doc);
  const hosts: string[] = Array.isArray(d.doc.spec?.hosts) ? d.doc.spec.hosts.filter((h: unknown) => typeof h === 'string') : [];
  const exposed: string[] = (Array.isArray(gateway.doc.spec?.servers) ? gateway.doc.spec.servers : [])
    .flatMap((sv: Obj) => (Array.isArray(sv?.hosts) ? sv.hosts : []))
    .filter((h: unknown): h is string => typeof h === 'string')
    .flatMap((h: string) => {
      const slash = h.indexOf('/');
      if (slash < 0) return [h];
      const hostNs = h.slice(0, slash);
      const visible = hostNs === '*' || (hostNs === '.' ? gwNs === vsNs : hostNs === vsNs);
      return visible ? [h.slice(slash + 1)] : [];
    });
  if (hosts.length === 0) return;
  if (hosts.some((h) => exposed.some((e) => hostsIntersect(h, e)))) return;
  const servers = exposed.length ? exposed.join(', ') : `none for namespace '${vsNs}'`;
  report(d, Level.ERROR, 'vs-gateway', `/spec/gateways/${i}`, `gateway '${ref}' exposes no host of this VirtualService (hosts ${hosts.join(', ')}; the gateway's servers expose ${servers}); add the hosts to the Gateway's servers[].hosts or fix spec.hosts`);
}

/**
 * Where a VirtualService's gateway reference points: `mesh` (the sidecars) or the namespace and name of
 * a Gateway; `key` identifies it whichever way it is written. Forms, as Istio's resolveGatewayName
 * reads them: `namespace/name`; the legacy `name.namespace[.svc.cluster.local]` (deprecated, still
 * accepted); a bare `name` in the VirtualService's namespace.
 */
export function gatewayRef(ref: string, vsNs: string): { mesh: boolean; ns: string; name: string; key: string } {
  if (ref === 'mesh') return { mesh: true, ns: '', name: 'mesh', key: 'mesh' };
  const slash = ref.indexOf('/');
  const dot = ref.indexOf('.');
  const [ns, name] = slash >= 0 ? [ref.slice(0, slash), ref.slice(slash + 1)]
    : dot >= 0 ? [ref.slice(dot + 1).split('.')[0], ref.slice(0, dot)]
      : [vsNs, ref];
  return { mesh: false, ns, name, key: `${ns}/${name}` };
}

/** The Gateway a reference names, or a `vs-gateway` ERROR at `at` when the bundle has none (`mesh` is always there). */
function findGateway(bundle: Bundle, d: SourceDoc, ref: string, at: string, report: Report): SourceDoc | undefined {
  const g = gatewayRef(ref, Bundle.namespaceOf(d.doc));
  if (g.mesh) return undefined;
  const gateway = bundle.find('Gateway', g.ns, g.name);
  if (!gateway) report(d, Level.ERROR, 'vs-gateway', at, `gateway '${ref}' not found (no Gateway ${g.ns}/${g.name} in the bundle); add the Gateway or fix the name`);
  return gateway;
}

/**
 * A route's `match[].gateways` only narrows the gateways the VirtualService is bound to (`spec.gateways`,
 * `mesh` when unset): Istio never applies a match for a gateway outside that list, so such a match is
 * dead routing, an ERROR like a Gateway that exposes none of the hosts. A name missing from the bundle
 * is reported as for `spec.gateways`.
 */
function checkMatchGateways(bundle: Bundle, d: SourceDoc, report: Report, match: Obj, at: string): void {
  if (!Array.isArray(match.gateways)) return;
  const ns = Bundle.namespaceOf(d.doc);
  const declared: string[] = Array.isArray(d.doc.spec?.gateways) ? d.doc.spec.gateways.filter((g: unknown) => typeof g === 'string') : [];
  const bound = new Set((declared.length ? declared : ['mesh']).map((g) => gatewayRef(g, ns).key));
  match.gateways.forEach((g: unknown, k: number) => {
    if (typeof g !== 'string') return;
    const gat = `${at}/gateways/${k}`;
    if (bound.has(gatewayRef(g, ns).key)) return; // found or not, spec.gateways reports it
    // One mistake, one finding: a gateway that is neither bound nor in the bundle is reported as missing.
    if (!gatewayRef(g, ns).mesh && !bundle.find('Gateway', gatewayRef(g, ns).ns, gatewayRef(g, ns).name)) {
      findGateway(bundle, d, g, gat, report);
      return;
    }
    const boundTo = declared.length ? `spec.gateways (${declared.join(', ')})` : 'the VirtualService\'s gateways (spec.gateways is unset, so only mesh)';
    report(d, Level.ERROR, 'vs-gateway', gat, `match gateway '${g}' is not in ${boundTo}, so Istio never applies this match; add '${g}' to spec.gateways or remove it from the match`);
  });
}

/** The cross-reference rules of a VirtualService. */
export function checkVirtualService(bundle: Bundle, d: SourceDoc, report: Report): void {
  const ns = Bundle.namespaceOf(d.doc);
  const spec = d.doc.spec ?? {};
  (Array.isArray(spec.gateways) ? spec.gateways : []).forEach((g: unknown, i: number) => {
    if (typeof g !== 'string') return; // the schema check reports it
    const gateway = findGateway(bundle, d, g, `/spec/gateways/${i}`, report);
    if (gateway) checkGatewayHosts(d, gateway, g, i, report);
  });
  const destination = (dest: Obj | undefined, at: string) => {
    if (!isObj(dest) || typeof dest.host !== 'string') return;
    const svc = resolveHost(bundle, dest.host, ns);
    if (!svc) {
      if (!serviceEntryHost(bundle, dest.host)) report(d, Level.ERROR, 'vs-host', `${at}/host`, `destination host '${dest.host}' is neither a Service of the bundle nor a ServiceEntry host`);
      return;
    }
    if (dest.port?.number !== undefined && !(svc.doc.spec?.ports ?? []).some((p: Obj) => p.port === dest.port.number)) {
      report(d, Level.ERROR, 'vs-host', `${at}/port/number`, `Service '${svc.doc.metadata.name}' has no port ${dest.port.number}`);
    }
    if (dest.subset !== undefined && !subsetsFor(bundle, svc).has(dest.subset)) {
      report(d, Level.ERROR, 'vs-subset', `${at}/subset`, `subset '${dest.subset}' is not defined by any DestinationRule for Service '${svc.doc.metadata.name}.${Bundle.namespaceOf(svc.doc)}'`);
    }
  };
  for (const proto of ['http', 'tcp', 'tls']) {
    (Array.isArray(spec[proto]) ? spec[proto] : []).forEach((r: Obj, i: number) => {
      const at = `/spec/${proto}/${i}`;
      const routes: Obj[] = Array.isArray(r?.route) ? r.route : [];
      routes.forEach((rt, j) => destination(rt?.destination, `${at}/route/${j}/destination`));
      (Array.isArray(r?.match) ? r.match : []).forEach((m: unknown, j: number) => {
        if (!isObj(m)) return;
        checkMatchGateways(bundle, d, report, m, `${at}/match/${j}`);
        if (proto === 'http') checkRegexes(d, report, m, `${at}/match/${j}`);
      });
      if (proto === 'http') destination(r?.mirror, `${at}/mirror`);
      if (routes.length > 1) {
        const sum = routes.reduce((s, rt) => s + (typeof rt?.weight === 'number' ? rt.weight : 0), 0);
        if (sum !== 100) report(d, Level.ERROR, 'vs-weights', `${at}/route`, `route${r?.name ? ` '${r.name}'` : ''} weights sum to ${sum} (${routes.map((rt) => `${rt?.destination?.subset ?? rt?.destination?.host}=${rt?.weight ?? 0}`).join(', ')}); they must sum to 100`);
      }
    });
  }
}

/** The cross-reference rules of a DestinationRule. */
export function checkDestinationRule(bundle: Bundle, d: SourceDoc, report: Report): void {
  const ns = Bundle.namespaceOf(d.doc);
  const host = d.doc.spec?.host;
  if (typeof host !== 'string') return;
  const svc = resolveHost(bundle, host, ns);
  if (!svc) {
    if (!serviceEntryHost(bundle, host)) report(d, Level.WARNING, 'dr-host', '/spec/host', `host '${host}' is neither a Service of the bundle nor a ServiceEntry host`);
    return;
  }
  const pods = bundle.podTemplates(Bundle.namespaceOf(svc.doc));
  (Array.isArray(d.doc.spec?.subsets) ? d.doc.spec.subsets : []).forEach((s: Obj, i: number) => {
    const wanted = { ...(svc.doc.spec?.selector ?? {}), ...(s?.labels ?? {}) };
    if (!pods.some((t) => selects(wanted, t.labels, true))) {
      report(d, Level.ERROR, 'dr-subset', `/spec/subsets/${i}/labels`, `subset '${s?.name}': labels ${showLabels(s?.labels)} with Service '${svc.doc.metadata.name}' selector select no pod template (${showLabels(wanted)})`);
    }
  });
}
