/** Cross-references between core objects: Service selectors and ports, Ingress backends, HPA and PDB targets, env references to Secrets and ConfigMaps, Service Catalog bindings (and the Istio, Gateway API and progressive-delivery ones, in ./istio.ts, ./gateway-api.ts and ./delivery.ts). */
import { groupOf } from '../../core/identity';
import { Bundle, containersOf, isObj, Obj, PodTemplate, podTemplateOf, selects, showLabels, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { checkFlaggerCanary, checkRollout } from './delivery';
import { checkGatewayApiGateway, checkHttpRoute } from './gateway-api';
import { checkDestinationRule, checkVirtualService } from './istio';
import { Report } from './report';

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
export const AZURE_MYSQL_KEYS: readonly string[] = Object.freeze(['host', 'port', 'database', 'username', 'password', 'sslRequired', 'uri', 'tags']);

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
    case 'HTTPRoute': checkHttpRoute(bundle, d, report); break;
    case 'Gateway': checkGatewayApiGateway(bundle, d, report); break;
    case 'Canary': if (groupOf(String(d.doc.apiVersion)) === 'flagger.app') checkFlaggerCanary(bundle, d, report); break;
    case 'Rollout': if (groupOf(String(d.doc.apiVersion)) === 'argoproj.io') checkRollout(bundle, d, report); break;
    default:
  }
  checkWorkloadSelector(d, report);
  checkEnvRefs(bundle, d, report);
}
