/**
 * Gateway API cross-references: an HTTPRoute's parentRefs (the Gateway exists and one of its listeners
 * accepts the route: protocol, allowed namespaces, hostnames; a GAMMA parent Service exists), its
 * backendRefs and mirror backends (the Service exists with that port; another namespace needs a
 * ReferenceGrant there), its regexes (RE2); a Gateway's TLS Secrets in another namespace need a
 * ReferenceGrant.
 * @see https://gateway-api.sigs.k8s.io/api-types/referencegrant/
 */
import { Bundle, isObj, Obj, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { hostsIntersect, regexProblem } from './istio';
import { Report } from './report';

const GROUP = 'gateway.networking.k8s.io';
const isGatewayApi = (d: SourceDoc) => typeof d.doc.apiVersion === 'string' && d.doc.apiVersion.startsWith(`${GROUP}/`);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** The Gateway API Gateway `name` in `ns` (not an Istio Gateway of the same name). */
function findGateway(bundle: Bundle, ns: string, name: string): SourceDoc | undefined {
  return bundle.ofKind('Gateway', ns).find((g) => g.doc.metadata?.name === name && isGatewayApi(g));
}

/** Whether a ReferenceGrant in `toNs` lets a `fromKind` in `fromNs` refer to the `toKind` (group `toGroup`) named `toName`. */
export function referenceGranted(bundle: Bundle, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): boolean {
  return bundle.ofKind('ReferenceGrant', to.namespace).filter(isGatewayApi).some((g) =>
    list(g.doc.spec?.from).some((f) => f.group === from.group && f.kind === from.kind && f.namespace === from.namespace)
    && list(g.doc.spec?.to).some((t) => (t.group ?? '') === to.group && t.kind === to.kind && (t.name === undefined || t.name === to.name)));
}

/** Whether a listener admits routes from `routeNs` (a Selector is checked against the bundle's Namespaces, and admitted when the namespace is not in the bundle). */
function admits(bundle: Bundle, listener: Obj, gatewayNs: string, routeNs: string): boolean {
  const ns = listener.allowedRoutes?.namespaces ?? {};
  const from = ns.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return routeNs === gatewayNs;
  if (from === 'Selector') {
    const namespace = bundle.objects.find((d) => d.doc.kind === 'Namespace' && d.doc.metadata?.name === routeNs);
    if (!namespace) return true;
    const labels = { 'kubernetes.io/metadata.name': routeNs, ...(namespace.doc.metadata?.labels ?? {}) };
    return Object.entries(ns.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  }
  return false;
}

function checkParent(bundle: Bundle, d: SourceDoc, p: Obj, at: string, report: Report): void {
  const routeNs = Bundle.namespaceOf(d.doc);
  const ns = typeof p.namespace === 'string' ? p.namespace : routeNs;
  const kind = p.kind ?? 'Gateway';
  const group = p.group ?? GROUP;
  if (kind === 'Service' && group === '') {
    if (!bundle.find('Service', ns, p.name)) report(d, Level.ERROR, 'httproute-parent', `${at}/name`, `parent Service '${p.name}' (GAMMA) not found in namespace '${ns}'`);
    return;
  }
  if (kind !== 'Gateway' || group !== GROUP) return;
  const gateway = findGateway(bundle, ns, p.name);
  if (!gateway) {
    report(d, Level.WARNING, 'httproute-parent', `${at}/name`, `parent Gateway '${p.name}' is not in the bundle (namespace '${ns}'); it must exist in the cluster`);
    return;
  }
  const listeners = list(gateway.doc.spec?.listeners)
    .filter((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS')
    .filter((l) => (p.sectionName === undefined || l.name === p.sectionName) && (p.port === undefined || l.port === p.port));
  const admitting = listeners.filter((l) => admits(bundle, l, ns, routeNs));
  if (admitting.length === 0) {
    report(d, Level.ERROR, 'httproute-parent', at, `no HTTP/HTTPS listener of Gateway '${p.name}' (namespace '${ns}')${p.sectionName !== undefined ? ` named '${p.sectionName}'` : ''} admits HTTPRoutes from namespace '${routeNs}'`);
    return;
  }
  const hostnames: string[] = Array.isArray(d.doc.spec?.hostnames) ? d.doc.spec.hostnames.filter((h: unknown) => typeof h === 'string') : [];
  if (hostnames.length && !hostnames.some((h) => admitting.some((l) => typeof l.hostname !== 'string' || hostsIntersect(l.hostname, h)))) {
    report(d, Level.ERROR, 'httproute-hostnames', '/spec/hostnames', `no hostname of the route (${hostnames.map((h) => `'${h}'`).join(', ')}) is accepted by a listener of Gateway '${p.name}' (${admitting.map((l) => `'${l.name}': ${l.hostname ?? 'any'}`).join(', ')})`);
  }
}

function checkBackend(bundle: Bundle, d: SourceDoc, b: Obj, at: string, report: Report): void {
  if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') return;
  const routeNs = Bundle.namespaceOf(d.doc);
  const ns = typeof b.namespace === 'string' ? b.namespace : routeNs;
  if (ns !== routeNs && !referenceGranted(bundle, { group: GROUP, kind: 'HTTPRoute', namespace: routeNs }, { group: '', kind: 'Service', namespace: ns, name: b.name })) {
    report(d, Level.ERROR, 'httproute-backend-grant', at, `backend Service '${b.name}' is in namespace '${ns}', and no ReferenceGrant there lets HTTPRoutes from '${routeNs}' refer to it; add a ReferenceGrant in '${ns}' (from HTTPRoute in '${routeNs}', to Service '${b.name}')`);
  }
  const svc = bundle.find('Service', ns, b.name);
  if (!svc) {
    report(d, Level.ERROR, 'httproute-backend', `${at}/name`, `backend Service '${b.name}' not found in namespace '${ns}'`);
    return;
  }
  if (b.port === undefined) {
    report(d, Level.ERROR, 'httproute-backend', at, `backend Service '${b.name}' has no port; set port (a Service backend requires it)`);
  } else if (!list(svc.doc.spec?.ports).some((p) => p.port === b.port)) {
    report(d, Level.ERROR, 'httproute-backend', `${at}/port`, `Service '${b.name}' has no port ${b.port}`);
  }
}

/** The cross-references of an HTTPRoute. */
export function checkHttpRoute(bundle: Bundle, d: SourceDoc, report: Report): void {
  if (!isGatewayApi(d)) return;
  list(d.doc.spec?.parentRefs).forEach((p, i) => checkParent(bundle, d, p, `/spec/parentRefs/${i}`, report));
  list(d.doc.spec?.rules).forEach((r, i) => {
    const at = `/spec/rules/${i}`;
    list(r.backendRefs).forEach((b, j) => checkBackend(bundle, d, b, `${at}/backendRefs/${j}`, report));
    list(r.filters).forEach((f, j) => {
      if (isObj(f.requestMirror?.backendRef)) checkBackend(bundle, d, f.requestMirror.backendRef, `${at}/filters/${j}/requestMirror/backendRef`, report);
    });
    list(r.matches).forEach((m, j) => {
      const regexes: Array<[string, string]> = [
        ...(m.path?.type === 'RegularExpression' && typeof m.path.value === 'string' ? [[m.path.value, `${at}/matches/${j}/path/value`] as [string, string]] : []),
        ...list(m.headers).flatMap((h, k) => (h.type === 'RegularExpression' && typeof h.value === 'string' ? [[h.value, `${at}/matches/${j}/headers/${k}/value`] as [string, string]] : [])),
      ];
      for (const [pattern, path] of regexes) {
        const problem = regexProblem(pattern);
        if (problem) report(d, Level.ERROR, 'httproute-regex', path, `regex '${pattern}' ${problem}`);
      }
    });
  });
}

/** A Gateway's TLS Secrets in other namespaces need a ReferenceGrant there. */
export function checkGatewayApiGateway(bundle: Bundle, d: SourceDoc, report: Report): void {
  if (!isGatewayApi(d)) return;
  const ns = Bundle.namespaceOf(d.doc);
  list(d.doc.spec?.listeners).forEach((l, i) => list(l.tls?.certificateRefs).forEach((c, j) => {
    if ((c.group ?? '') !== '' || (c.kind ?? 'Secret') !== 'Secret' || typeof c.namespace !== 'string' || c.namespace === ns) return;
    if (!referenceGranted(bundle, { group: GROUP, kind: 'Gateway', namespace: ns }, { group: '', kind: 'Secret', namespace: c.namespace, name: c.name })) {
      report(d, Level.ERROR, 'gateway-certificate-grant', `/spec/listeners/${i}/tls/certificateRefs/${j}`, `listener '${l.name}' uses Secret '${c.name}' in namespace '${c.namespace}', and no ReferenceGrant there lets Gateways from '${ns}' refer to it; add a ReferenceGrant in '${c.namespace}' (from Gateway in '${ns}', to Secret '${c.name}')`);
    }
  }));
}
