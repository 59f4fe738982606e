/**
 * The audit's rules: names and labels, duplicates, cross-references and the hardening policy. Each rule
 * reads the {@link Bundle} and reports through a {@link Report}.
 */
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, IANA_SVC_NAME, parseImage } from '../validation';
import { groupOf, objectKey } from '../core/identity';
import { Bundle, containersOf, isObj, Obj, PodTemplate, podTemplateOf, selects, showLabels, SourceDoc } from './bundle';
import { Level } from './findings';

/** Collects findings for one document. */
export type Report = (d: SourceDoc, level: Level, rule: string, path: string, message: string) => void;

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Why `key` is not a qualified name (label or annotation key), or `undefined` when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'must be [prefix/]name with at most one \'/\'';
  const name = parts[parts.length - 1];
  if (parts.length === 2 && (!parts[0] || !isDns1123Subdomain(parts[0]))) return `prefix '${parts[0]}' must be a DNS-1123 subdomain`;
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return `name part '${name}' must be 1-63 characters, alphanumeric at both ends, '-', '_' and '.' inside`;
  return undefined;
}

/** Why `value` is not a label value, or `undefined` when it is one. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `value ${JSON.stringify(value)} must be a string (quote it in YAML)`;
  if (value.length > 63 || !LABEL_VALUE.test(value)) return `value '${value}' must be at most 63 characters, empty or alphanumeric at both ends with '-', '_' and '.' inside`;
  return undefined;
}

// ---------------------------------------------------------------- names and labels

const LABEL_NAMED = ['Namespace', 'StatefulSet'];
const PATH_SEGMENT_NAMED = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

function checkLabelMap(d: SourceDoc, report: Report, map: unknown, at: string, what: string): void {
  if (!isObj(map)) return;
  for (const [k, v] of Object.entries(map)) {
    const kp = labelKeyProblem(k);
    if (kp) report(d, Level.ERROR, 'label', `${at}/${esc(k)}`, `${what} key '${k}': ${kp}`);
    const vp = labelValueProblem(v);
    if (vp) report(d, Level.ERROR, 'label', `${at}/${esc(k)}`, `${what} '${k}': ${vp}`);
  }
}

/** Names, namespaces, labels, selectors, annotation keys, container and port names. */
export function checkNames(d: SourceDoc, report: Report): void {
  const doc = d.doc;
  const name = doc.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    report(d, Level.ERROR, 'name', '/metadata/name', 'metadata.name is required');
  } else if (doc.kind === 'Service' && !isDns1035Label(name)) {
    report(d, Level.ERROR, 'name', '/metadata/name', `name '${name}' must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter, at most 63 characters): other pods address it by DNS`);
  } else if (LABEL_NAMED.includes(doc.kind) && !isDns1123Label(name)) {
    report(d, Level.ERROR, 'name', '/metadata/name', `name '${name}' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)`);
  } else if (PATH_SEGMENT_NAMED.includes(doc.kind) ? /[/%]/.test(name) || name === '.' || name === '..' : !isDns1123Subdomain(name)) {
    report(d, Level.ERROR, 'name', '/metadata/name', PATH_SEGMENT_NAMED.includes(doc.kind)
      ? `name '${name}' must not contain '/' or '%'`
      : `name '${name}' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters)`);
  }
  const ns = doc.metadata?.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || !isDns1123Label(ns))) {
    report(d, Level.ERROR, 'name', '/metadata/namespace', `namespace ${JSON.stringify(ns)} must be a DNS-1123 label`);
  }
  checkLabelMap(d, report, doc.metadata?.labels, '/metadata/labels', 'label');
  if (isObj(doc.metadata?.annotations)) {
    for (const k of Object.keys(doc.metadata.annotations)) {
      const kp = labelKeyProblem(k);
      if (kp) report(d, Level.ERROR, 'label', `/metadata/annotations/${esc(k)}`, `annotation key '${k}': ${kp}`);
    }
  }
  if (doc.kind === 'Service') {
    checkLabelMap(d, report, doc.spec?.selector, '/spec/selector', 'selector');
    (Array.isArray(doc.spec?.ports) ? doc.spec.ports : []).forEach((p: Obj, i: number) => {
      if (typeof p?.name === 'string' && !isDns1123Label(p.name)) report(d, Level.ERROR, 'name', `/spec/ports/${i}/name`, `port name '${p.name}' must be a DNS-1123 label`);
    });
  }
  if (isObj(doc.spec?.selector) && doc.kind !== 'Service') {
    checkLabelMap(d, report, doc.spec.selector.matchLabels, '/spec/selector/matchLabels', 'selector');
  }
  const t = podTemplateOf(d);
  if (t) {
    if (t.specPath !== '/spec') checkLabelMap(d, report, t.labels, t.specPath.replace(/\/spec$/, '/metadata/labels'), 'pod template label');
    for (const { c, path } of containersOf(t, { ephemeral: true })) {
      if (typeof c.name !== 'string' || !isDns1123Label(c.name)) report(d, Level.ERROR, 'name', `${path}/name`, `container name ${JSON.stringify(c.name)} must be a DNS-1123 label`);
      (Array.isArray(c.ports) ? c.ports : []).forEach((p: Obj, i: number) => {
        if (typeof p?.name === 'string' && (p.name.length > 15 || !IANA_SVC_NAME.test(p.name))) {
          report(d, Level.ERROR, 'name', `${path}/ports/${i}/name`, `port name '${p.name}' must be an IANA service name (at most 15 lowercase letters, digits and single '-', with a letter)`);
        }
      });
    }
  }
}

/** No two objects with the same API group, kind, namespace (for namespaced kinds) and name. */
export function checkDuplicates(bundle: Bundle, report: Report): void {
  const seen = new Map<string, SourceDoc>();
  for (const d of bundle.objects) {
    if (typeof d.doc.metadata?.name !== 'string') continue;
    const key = objectKey(String(d.doc.apiVersion), String(d.doc.kind), Bundle.namespaceOf(d.doc), d.doc.metadata.name);
    const first = seen.get(key);
    if (first) report(d, Level.ERROR, 'duplicate', '/metadata/name', `duplicate object: ${first.file}#${first.index} is the same group, kind, namespace and name`);
    else seen.set(key, d);
  }
}

// ---------------------------------------------------------------- cross-references

function containerPorts(t: PodTemplate): Obj[] {
  return containersOf(t).filter((c) => !c.init).flatMap(({ c }) => (Array.isArray(c.ports) ? c.ports : []));
}

/** The pod templates a Service selects (none for a Service without selector). */
export function selectedBy(bundle: Bundle, svc: Obj): PodTemplate[] {
  if (!isObj(svc.spec?.selector) || Object.keys(svc.spec.selector).length === 0) return [];
  return bundle.podTemplates(Bundle.namespaceOf(svc)).filter((t) => selects(svc.spec.selector, t.labels, true));
}

function checkService(bundle: Bundle, d: SourceDoc, report: Report): void {
  const svc = d.doc;
  if (!isObj(svc.spec?.selector) || Object.keys(svc.spec.selector).length === 0 || svc.spec.type === 'ExternalName') return;
  const ns = Bundle.namespaceOf(svc);
  const pods = selectedBy(bundle, svc);
  if (pods.length === 0) {
    report(d, Level.ERROR, 'service-selector', '/spec/selector', `selector ${showLabels(svc.spec.selector)} selects no pod template in namespace '${ns}'`);
    return;
  }
  const targets = pods.map((t) => `${t.source.doc.kind}/${t.source.doc.metadata?.name}`).join(', ');
  (Array.isArray(svc.spec.ports) ? svc.spec.ports : []).forEach((p: Obj, i: number) => {
    const label = p.name ?? p.port;
    if (p.targetPort === undefined) {
      if (!pods.some((t) => containerPorts(t).some((cp) => cp.containerPort === p.port))) {
        report(d, Level.WARNING, 'service-port', `/spec/ports/${i}`, `port ${label} has no targetPort and no selected container declares containerPort ${p.port}`);
      }
      return;
    }
    const ok = typeof p.targetPort === 'number'
      ? pods.every((t) => containerPorts(t).some((cp) => cp.containerPort === p.targetPort))
      : pods.every((t) => containerPorts(t).some((cp) => cp.name === p.targetPort));
    if (!ok && typeof p.targetPort === 'number') {
      // Kubernetes routes a numeric targetPort whether or not a container declares it (containerPort is
      // informational), so this is only suspicious; a named targetPort that no container declares never routes.
      report(d, Level.WARNING, 'service-port', `/spec/ports/${i}/targetPort`, `port ${label}: targetPort ${p.targetPort} is not a declared containerPort of every selected pod (${targets}); it is routed anyway, but check the number or declare the port`);
    } else if (!ok) {
      report(d, Level.ERROR, 'service-port', `/spec/ports/${i}/targetPort`, `port ${label}: targetPort ${JSON.stringify(p.targetPort)} is not a container port name of every selected pod (${targets})`);
    }
  });
}

function checkWorkloadSelector(d: SourceDoc, report: Report): void {
  const t = podTemplateOf(d);
  if (!t || t.specPath !== '/spec/template/spec' || d.doc.kind === 'Job') return;
  if (!isObj(d.doc.spec.selector)) return;
  if (!selects(d.doc.spec.selector, t.labels)) {
    report(d, Level.ERROR, 'workload-selector', '/spec/selector', `spec.selector ${showLabels(d.doc.spec.selector.matchLabels)} does not match the pod template labels ${showLabels(t.labels)}`);
  }
}

function checkIngress(bundle: Bundle, d: SourceDoc, report: Report): void {
  const ns = Bundle.namespaceOf(d.doc);
  const backend = (b: Obj | undefined, at: string) => {
    const s = b?.service;
    if (!isObj(s)) return;
    const svc = bundle.find('Service', ns, s.name);
    if (!svc) {
      report(d, Level.ERROR, 'ingress-backend', `${at}/service/name`, `backend Service '${s.name}' not found in namespace '${ns}'`);
      return;
    }
    const ports: Obj[] = Array.isArray(svc.doc.spec?.ports) ? svc.doc.spec.ports : [];
    const port = isObj(s.port) ? s.port : {};
    if (port.number === undefined && port.name === undefined) {
      report(d, Level.ERROR, 'ingress-backend', `${at}/service/port`, `backend Service '${s.name}' has no port; set service.port.number or service.port.name`);
      return;
    }
    const found = port.number !== undefined ? ports.some((p) => p.port === port.number) : ports.some((p) => p.name === port.name);
    if (!found) report(d, Level.ERROR, 'ingress-backend', `${at}/service/port`, `Service '${s.name}' has no port ${JSON.stringify(port.number ?? port.name)}`);
  };
  backend(d.doc.spec?.defaultBackend, '/spec/defaultBackend');
  (Array.isArray(d.doc.spec?.rules) ? d.doc.spec.rules : []).forEach((r: Obj, i: number) => {
    (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: Obj, j: number) => backend(p?.backend, `/spec/rules/${i}/http/paths/${j}/backend`));
  });
}

function checkHpa(bundle: Bundle, d: SourceDoc, report: Report): void {
  const ref = d.doc.spec?.scaleTargetRef;
  if (!isObj(ref)) return;
  const ns = Bundle.namespaceOf(d.doc);
  const found = bundle.find(ref.kind, ns, ref.name);
  // The HPA controller resolves the target by API group + kind: `apiVersion: v1` for a Deployment names a
  // kind that does not exist, so the HPA never scales.
  const group = groupOf(String(ref.apiVersion ?? ''));
  const target = found && groupOf(String(found.doc.apiVersion)) === group ? found : undefined;
  if (!target && found) {
    report(d, Level.ERROR, 'hpa-target', '/spec/scaleTargetRef/apiVersion', `scaleTargetRef ${ref.kind}/${ref.name} has apiVersion ${JSON.stringify(ref.apiVersion ?? '')} (group '${group}'), but the ${ref.kind} is ${found.doc.apiVersion}; set apiVersion: ${found.doc.apiVersion}`);
  } else if (!target) {
    report(d, Level.ERROR, 'hpa-target', '/spec/scaleTargetRef', `scaleTargetRef ${ref.kind}/${ref.name} not found in namespace '${ns}'`);
  } else if (target.doc.spec?.replicas !== undefined) {
    report(d, Level.WARNING, 'hpa-target', '/spec/scaleTargetRef', `target ${ref.kind}/${ref.name} sets spec.replicas, so every apply resets the HPA's scaling; drop replicas from the workload`);
  }
  const min = d.doc.spec?.minReplicas ?? 1;
  if (typeof d.doc.spec?.maxReplicas === 'number' && d.doc.spec.maxReplicas < min) {
    report(d, Level.ERROR, 'hpa-target', '/spec/maxReplicas', `maxReplicas ${d.doc.spec.maxReplicas} is below minReplicas ${min}`);
  }
}

function checkPdb(bundle: Bundle, d: SourceDoc, report: Report): void {
  const sel = d.doc.spec?.selector;
  if (!isObj(sel)) return;
  const ns = Bundle.namespaceOf(d.doc);
  if (!bundle.podTemplates(ns).some((t) => selects(sel, t.labels))) {
    report(d, Level.ERROR, 'pdb-selector', '/spec/selector', `selector ${showLabels(sel.matchLabels)} selects no pod template in namespace '${ns}'`);
  }
}

/** Credential keys OSBA's azure-mysql database bindings provide. */
export const AZURE_MYSQL_KEYS = ['host', 'port', 'database', 'username', 'password', 'sslRequired', 'uri', 'tags'];

/** The ServiceBinding whose secret is `secretName` in `ns`, if any. */
export function bindingForSecret(bundle: Bundle, ns: string, secretName: string): SourceDoc | undefined {
  return bundle.ofKind('ServiceBinding', ns).find((b) => (b.doc.spec?.secretName ?? b.doc.metadata?.name) === secretName);
}

/** The keys a binding's secret holds, or `undefined` when they come from a broker we do not know. */
export function bindingKeys(bundle: Bundle, binding: SourceDoc): string[] | undefined {
  const ns = Bundle.namespaceOf(binding.doc);
  const instance = bundle.find('ServiceInstance', ns, binding.doc.spec?.instanceRef?.name);
  const cls = String(instance?.doc.spec?.clusterServiceClassExternalName ?? instance?.doc.spec?.serviceClassExternalName ?? '');
  if (!cls.startsWith('azure-mysql')) return undefined;
  let keys = [...AZURE_MYSQL_KEYS];
  for (const t of Array.isArray(binding.doc.spec?.secretTransforms) ? binding.doc.spec.secretTransforms : []) {
    if (t?.renameKey) keys = keys.map((k) => (k === t.renameKey.from ? t.renameKey.to : k));
    if (t?.addKey?.key) keys.push(t.addKey.key);
    if (t?.removeKey?.key) keys = keys.filter((k) => k !== t.removeKey.key);
    if (t?.addKeysFrom) return undefined;
  }
  return keys;
}

function checkEnvRefs(bundle: Bundle, d: SourceDoc, report: Report): void {
  const t = podTemplateOf(d);
  if (!t) return;
  const ns = Bundle.namespaceOf(d.doc);
  const dataKeys = (o: Obj) => [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {}), ...Object.keys(o.binaryData ?? {})];
  const lookup = (kind: 'Secret' | 'ConfigMap', name: string, key: string | undefined, at: string, what: string) => {
    const rule = kind === 'Secret' ? 'secret-ref' : 'configmap-ref';
    const obj = bundle.find(kind, ns, name);
    if (obj) {
      if (key !== undefined && !dataKeys(obj.doc).includes(key)) report(d, Level.ERROR, rule, at, `${what}: key '${key}' not found in ${kind} '${name}' (has ${dataKeys(obj.doc).join(', ') || 'no keys'})`);
      return;
    }
    const binding = kind === 'Secret' ? bindingForSecret(bundle, ns, name) : undefined;
    if (binding) {
      if (key === undefined) return;
      const keys = bindingKeys(bundle, binding);
      if (keys === undefined) report(d, Level.WARNING, rule, at, `${what}: key '${key}' of Secret '${name}' cannot be verified (the broker of ServiceBinding '${binding.doc.metadata?.name}' writes it)`);
      else if (!keys.includes(key)) report(d, Level.ERROR, rule, at, `${what}: key '${key}' is not written by ServiceBinding '${binding.doc.metadata?.name}' (its secret holds ${keys.join(', ')})`);
      return;
    }
    if (kind === 'Secret') report(d, Level.WARNING, rule, at, `${what}: Secret '${name}' is neither in the bundle nor made by a ServiceBinding in namespace '${ns}'; it must exist before the pod starts`);
    else report(d, Level.ERROR, rule, at, `${what}: ConfigMap '${name}' not found in namespace '${ns}'`);
  };
  for (const { c, path } of containersOf(t, { ephemeral: true })) {
    (Array.isArray(c.env) ? c.env : []).forEach((e: Obj, i: number) => {
      for (const [field, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']] as const) {
        const r = e?.valueFrom?.[field];
        if (isObj(r) && !r.optional && typeof r.name === 'string') lookup(kind, r.name, r.key, `${path}/env/${i}/valueFrom/${field}`, `container ${c.name} env ${e.name}`);
      }
    });
    (Array.isArray(c.envFrom) ? c.envFrom : []).forEach((e: Obj, i: number) => {
      for (const [field, kind] of [['secretRef', 'Secret'], ['configMapRef', 'ConfigMap']] as const) {
        const r = e?.[field];
        if (isObj(r) && !r.optional && typeof r.name === 'string') lookup(kind, r.name, undefined, `${path}/envFrom/${i}/${field}`, `container ${c.name} envFrom`);
      }
    });
  }
}

function checkBinding(bundle: Bundle, d: SourceDoc, report: Report): void {
  const ns = Bundle.namespaceOf(d.doc);
  const name = d.doc.spec?.instanceRef?.name;
  if (typeof name !== 'string') return;
  const instance = bundle.find('ServiceInstance', ns, name);
  if (!instance) {
    report(d, Level.ERROR, 'binding-instance', '/spec/instanceRef/name', `instanceRef '${name}' is not a ServiceInstance in namespace '${ns}'`);
    return;
  }
  const cls = String(instance.doc.spec?.clusterServiceClassExternalName ?? '');
  if (/^azure-mysql.*-dbms$/.test(cls)) {
    report(d, Level.ERROR, 'binding-instance', '/spec/instanceRef/name', `ServiceInstance '${name}' is of class ${cls}, which OSBA does not bind; bind an azure-mysql-*-database instance`);
  }
}

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

let re2: any;
function regexProblem(pattern: string): string | undefined {
  if (/\(\?[=!]|\(\?<[=!]/.test(pattern)) return 'lookaround is not supported by RE2 (Envoy\'s regex engine)';
  if (/\\[1-9]/.test(pattern)) return 'backreferences are not supported by RE2 (Envoy\'s regex engine)';
  try {
    re2 ??= require('re2-wasm').RE2;
    new re2(pattern, 'u');
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
function gatewayRef(ref: string, vsNs: string): { mesh: boolean; ns: string; name: string; key: string } {
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

function checkVirtualService(bundle: Bundle, d: SourceDoc, report: Report): void {
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

function checkDestinationRule(bundle: Bundle, d: SourceDoc, report: Report): void {
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

/** Every cross-reference rule for one document. */
export function checkReferences(bundle: Bundle, d: SourceDoc, report: Report): void {
  switch (d.doc.kind) {
    case 'Service': checkService(bundle, d, report); break;
    case 'Ingress': checkIngress(bundle, d, report); break;
    case 'HorizontalPodAutoscaler': checkHpa(bundle, d, report); break;
    case 'PodDisruptionBudget': checkPdb(bundle, d, report); break;
    case 'ServiceBinding': checkBinding(bundle, d, report); break;
    case 'VirtualService': checkVirtualService(bundle, d, report); break;
    case 'DestinationRule': checkDestinationRule(bundle, d, report); break;
    default:
  }
  checkWorkloadSelector(d, report);
  checkEnvRefs(bundle, d, report);
}

// ---------------------------------------------------------------- hardening policy

/**
 * Volume types Pod Security "restricted" allows (`hostPath` has its own finding).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/**
 * Sysctls Pod Security "baseline" allows (Kubernetes 1.33: the kubelet's safe set).
 * @see https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls
 */
export const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
];

/** SELinux types Pod Security "baseline" allows in `seLinuxOptions.type`. */
export const BASELINE_SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * The Pod Security "baseline" fields a pod and a container securityContext share: SELinux options,
 * Windows HostProcess and the AppArmor profile. (Seccomp is checked per container, for its effective value.)
 */
function checkSecurityContextOptions(sc: Obj, at: string, who: string, policy: (at: string, message: string) => void): void {
  const se = isObj(sc.seLinuxOptions) ? sc.seLinuxOptions : {};
  if (se.type !== undefined && se.type !== '' && !BASELINE_SELINUX_TYPES.includes(se.type)) {
    policy(`${at}/seLinuxOptions/type`, `${who}: seLinuxOptions.type ${JSON.stringify(se.type)} is not allowed by Pod Security "baseline"; drop it or use one of ${BASELINE_SELINUX_TYPES.join(', ')}`);
  }
  for (const f of ['user', 'role']) {
    if (se[f] !== undefined && se[f] !== '') policy(`${at}/seLinuxOptions/${f}`, `${who}: seLinuxOptions.${f} ${JSON.stringify(se[f])} must not be set (Pod Security "baseline" allows no custom SELinux user or role); drop it`);
  }
  if (sc.windowsOptions?.hostProcess === true) {
    policy(`${at}/windowsOptions/hostProcess`, `${who}: windowsOptions.hostProcess is true (a HostProcess container runs with the Windows node's privileges); Pod Security "baseline" forbids it: drop it`);
  }
  const apparmor = sc.appArmorProfile?.type;
  if (apparmor !== undefined && apparmor !== 'RuntimeDefault' && apparmor !== 'Localhost') {
    policy(`${at}/appArmorProfile/type`, `${who}: appArmorProfile.type ${JSON.stringify(apparmor)} is not allowed by Pod Security "baseline" (Unconfined runs without AppArmor); use RuntimeDefault or Localhost`);
  }
}

/**
 * Pod Security Standards "restricted" (which includes "baseline") plus resources, readiness probes and
 * pinned images, for the pod template of every kind that has one (Pod, workloads, CronJob) and each of
 * its init, regular and ephemeral containers.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function checkHardening(bundle: Bundle, d: SourceDoc, report: Report): void {
  const t = podTemplateOf(d);
  if (!t) return;
  const pod = t.spec;
  const psc = isObj(pod.securityContext) ? pod.securityContext : {};
  const policy = (at: string, message: string) => report(d, Level.POLICY, 'hardening', at, message);
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[field] === true) policy(`${t.specPath}/${field}`, `${field} must not be true`);
  (Array.isArray(pod.volumes) ? pod.volumes : []).forEach((v: Obj, i: number) => {
    if (!isObj(v)) return;
    if (v.hostPath) policy(`${t.specPath}/volumes/${i}/hostPath`, `volume ${v.name}: hostPath volumes are not allowed`);
    for (const type of Object.keys(v)) {
      if (type === 'name' || type === 'hostPath' || RESTRICTED_VOLUME_TYPES.includes(type)) continue;
      policy(`${t.specPath}/volumes/${i}/${esc(type)}`, `volume ${v.name}: ${type} volumes are not allowed by Pod Security "restricted"; use ${RESTRICTED_VOLUME_TYPES.join(', ')} (a persistentVolumeClaim for other storage)`);
    }
  });
  // Pod Security exempts Windows pods from its Linux-only rules (privilege escalation, capabilities,
  // seccomp; since Kubernetes 1.25), and the apiserver rejects those fields, readOnlyRootFilesystem
  // included, in a pod with spec.os.name: windows. runAsNonRoot and hostProcess still apply.
  const linux = !(isObj(pod.os) && pod.os.name === 'windows');
  const sca = `${t.specPath}/securityContext`;
  if (psc.runAsUser === 0) policy(`${sca}/runAsUser`, 'runAsUser must not be 0 (root)');
  if (psc.seccompProfile?.type === 'Unconfined') policy(`${sca}/seccompProfile/type`, 'pod securityContext: seccompProfile.type "Unconfined" is not allowed by Pod Security "baseline"; use RuntimeDefault or Localhost');
  (Array.isArray(psc.sysctls) ? psc.sysctls : []).forEach((s: Obj, i: number) => {
    if (typeof s?.name === 'string' && !SAFE_SYSCTLS.includes(s.name)) {
      policy(`${sca}/sysctls/${i}/name`, `sysctl ${s.name} is not in the safe set Pod Security "baseline" allows (${SAFE_SYSCTLS.join(', ')}); drop it or set it on the nodes`);
    }
  });
  checkSecurityContextOptions(psc, sca, 'pod securityContext', policy);
  const metaPath = t.specPath.replace(/\/spec$/, '/metadata');
  for (const [key, value] of Object.entries(t.annotations)) {
    // Pod Security Admission allows an empty value (no profile set) as well as the two safe forms.
    if (!key.startsWith(APPARMOR_ANNOTATION) || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'))) continue;
    policy(`${metaPath}/annotations/${esc(key)}`, `container ${key.slice(APPARMOR_ANNOTATION.length)}: AppArmor profile ${JSON.stringify(value)} is not allowed by Pod Security "baseline"; use runtime/default or localhost/<profile>`);
  }
  for (const { c, path, init, ephemeral } of containersOf(t, { ephemeral: true })) {
    const sc = isObj(c.securityContext) ? c.securityContext : {};
    const who = `${ephemeral ? 'ephemeral ' : ''}container ${c.name}`;
    const at = (f: string) => `${path}/${f}`;
    if (sc.privileged === true) policy(at('securityContext/privileged'), `${who}: privileged must not be true`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) policy(at('securityContext/runAsNonRoot'), `${who}: runAsNonRoot must be true (container or pod securityContext)`);
    if (sc.runAsUser === 0) policy(at('securityContext/runAsUser'), `${who}: runAsUser must not be 0 (root)`);
    if (linux) {
      if (sc.allowPrivilegeEscalation !== false) policy(at('securityContext/allowPrivilegeEscalation'), `${who}: allowPrivilegeEscalation must be false`);
      if (sc.readOnlyRootFilesystem !== true) policy(at('securityContext/readOnlyRootFilesystem'), `${who}: readOnlyRootFilesystem must be true`);
      const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
      if (!drop.includes('ALL')) policy(at('securityContext/capabilities/drop'), `${who}: capabilities.drop must include ALL`);
      const add: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
      for (const cap of add) if (cap !== 'NET_BIND_SERVICE') policy(at('securityContext/capabilities/add'), `${who}: capability ${cap} may not be added (only NET_BIND_SERVICE)`);
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') policy(at('securityContext/seccompProfile'), `${who}: seccompProfile.type must be RuntimeDefault or Localhost (container or pod securityContext)`);
    }
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      policy(at('securityContext/procMount'), `${who}: procMount ${JSON.stringify(sc.procMount)} unmasks /proc; Pod Security "baseline" allows only Default: drop it`);
    }
    checkSecurityContextOptions(sc, at('securityContext'), who, policy);
    (Array.isArray(c.ports) ? c.ports : []).forEach((p: Obj, i: number) => {
      if (p?.hostPort !== undefined && p.hostPort !== 0) {
        policy(at(`ports/${i}/hostPort`), `${who}: hostPort ${p.hostPort} binds the node's port, which Pod Security "baseline" forbids; drop hostPort and reach the pod through a Service`);
      }
    });
    if (!ephemeral) { // an ephemeral (debug) container may not set resources or probes
      const res = isObj(c.resources) ? c.resources : {};
      if (res.requests?.cpu === undefined) policy(at('resources/requests/cpu'), `${who}: resources.requests.cpu must be set`);
      if (res.requests?.memory === undefined) policy(at('resources/requests/memory'), `${who}: resources.requests.memory must be set`);
      if (res.limits?.memory === undefined) policy(at('resources/limits/memory'), `${who}: resources.limits.memory must be set`);
    }
    // Only containers that run alongside the app take a readinessProbe: regular ones and sidecars
    // (init containers with restartPolicy Always); the API server rejects it on other init containers.
    const probed = !ephemeral && (!init || c.restartPolicy === 'Always');
    if (probed && Array.isArray(c.ports) && c.ports.length > 0 && !c.readinessProbe) policy(at('readinessProbe'), `${who}: declares ports but has no readinessProbe`);
    if (typeof c.image === 'string') {
      const img = parseImage(c.image);
      if (!img.digest && (!img.tag || img.tag === 'latest')) policy(at('image'), `${who}: image '${c.image}' ${img.tag ? 'uses the mutable tag latest' : 'has no tag (implies latest)'}; pin a version or digest`);
    }
  }
  if (pod.automountServiceAccountToken !== false) {
    const saName = pod.serviceAccountName ?? 'default';
    const ns = Bundle.namespaceOf(d.doc);
    const sa = bundle.find('ServiceAccount', ns, saName);
    const bound = bundle.ofKind(['RoleBinding', 'ClusterRoleBinding']).some((b) => (Array.isArray(b.doc.subjects) ? b.doc.subjects : []).some((s: Obj) =>
      s?.kind === 'ServiceAccount' && s.name === saName && (s.namespace ?? Bundle.namespaceOf(b.doc)) === ns));
    if (sa?.doc.automountServiceAccountToken !== false && !bound) {
      report(d, Level.WARNING, 'sa-token', `${t.specPath}/automountServiceAccountToken`, 'automountServiceAccountToken should be false: no RoleBinding in the bundle grants the service account anything');
    }
  }
}
