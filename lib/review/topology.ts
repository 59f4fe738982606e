/**
 * The topology of one chart, as a reviewer reads it: who sends traffic where (with match rules and
 * weights), who may talk to whom (NetworkPolicy), and which secret feeds which env var.
 */
import { Bundle, containersOf, isObj, Obj, podTemplateOf, PodTemplate, selects, SourceDoc } from '../audit/bundle';
import { bindingForSecret, resolveHost, selectedBy, subsetsFor } from '../audit/rules';

/** What an edge means. */
export type EdgeKind = 'route' | 'serve' | 'select' | 'network' | 'secret' | 'binding';

/** A box in the picture. */
export interface TopologyNode {
  /** Stable id (`Deployment/ns/name`, `subset/ns/svc/v1`). */
  readonly id: string;
  /** Kind shown on the box (`Deployment`, `subset`, `peer`). */
  readonly kind: string;
  /** Name shown on the box. */
  readonly label: string;
  /** Second line: replicas and HPA range, ports, sticky strategy, class... */
  readonly detail?: string;
}

/** An arrow in the picture. */
export interface TopologyEdge {
  /** Source node id. */
  readonly from: string;
  /** Target node id. */
  readonly to: string;
  /** What it means. */
  readonly kind: EdgeKind;
  /** Text on the arrow: match rule and weight, ports, env var names. */
  readonly label: string;
}

/** Nodes and edges of one chart. */
export interface Topology {
  /** Every box. */
  readonly nodes: TopologyNode[];
  /** Every arrow. */
  readonly edges: TopologyEdge[];
}

const idOf = (doc: Obj) => `${doc.kind}/${Bundle.namespaceOf(doc)}/${doc.metadata?.name}`;

/** Describes an Istio HTTP match (`header user ~ yoichi`, `uri prefix /api`). */
export function describeMatch(match: unknown): string {
  if (!Array.isArray(match) || match.length === 0) return '';
  const str = (m: Obj) => (m.exact !== undefined ? `= ${m.exact}` : m.prefix !== undefined ? `prefix ${m.prefix}` : m.regex !== undefined ? `~ /${m.regex}/` : JSON.stringify(m));
  return match.map((m: Obj) => {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(m ?? {})) {
      if (k === 'name') continue;
      if (k === 'headers' || k === 'queryParams' || k === 'withoutHeaders') {
        for (const [h, hv] of Object.entries(v as Obj)) parts.push(`${k === 'queryParams' ? 'query' : k === 'withoutHeaders' ? 'without header' : 'header'} ${h} ${str(hv as Obj)}`);
      } else if (isObj(v)) parts.push(`${k} ${str(v)}`);
      else parts.push(`${k}=${JSON.stringify(v)}`);
    }
    return parts.join(' and ');
  }).join(' or ');
}

/** Describes Gateway API HTTPRoute matches (`header user ~ /yoichi/`, `path prefix /api`), or `''`. */
export function describeHttpRouteMatches(matches: unknown): string {
  if (!Array.isArray(matches) || matches.length === 0) return '';
  const str = (type: unknown, value: unknown) => (type === 'RegularExpression' ? `~ /${value}/` : type === 'PathPrefix' ? `prefix ${value}` : `= ${value}`);
  return matches.map((m: Obj) => [
    ...(isObj(m?.path) ? [`path ${str(m.path.type ?? 'PathPrefix', m.path.value ?? '/')}`] : []),
    ...(Array.isArray(m?.headers) ? m.headers : []).map((h: Obj) => `header ${h.name} ${str(h.type ?? 'Exact', h.value)}`),
    ...(Array.isArray(m?.queryParams) ? m.queryParams : []).map((q: Obj) => `query ${q.name} ${str(q.type ?? 'Exact', q.value)}`),
    ...(m?.method ? [`method ${m.method}`] : []),
  ].join(' and ') || 'any').join(' or ');
}

/** Describes an Istio consistent-hash load balancer (`sticky: cookie route`), or `''`. */
export function stickyHash(hash: Obj | undefined): string {
  if (!isObj(hash)) return '';
  if (hash.httpCookie) return `sticky: cookie ${hash.httpCookie.name}${hash.httpCookie.ttl ? ` (${hash.httpCookie.ttl})` : ''}`;
  if (hash.httpHeaderName) return `sticky: header ${hash.httpHeaderName}`;
  if (hash.httpQueryParameterName) return `sticky: query ${hash.httpQueryParameterName}`;
  if (hash.useSourceIp) return 'sticky: source IP';
  return 'sticky: consistent hash';
}

/** Builds the topology of `docs` (one chart), resolving references in `bundle` (everything rendered). */
export function topology(docs: SourceDoc[], bundle: Bundle): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges: TopologyEdge[] = [];
  const objects = docs.filter((d) => isObj(d.doc) && typeof d.doc.kind === 'string');
  const hpaFor = new Map<string, Obj>();
  for (const d of objects.filter((o) => o.doc.kind === 'HorizontalPodAutoscaler')) {
    const ref = d.doc.spec?.scaleTargetRef ?? {};
    hpaFor.set(`${ref.kind}/${Bundle.namespaceOf(d.doc)}/${ref.name}`, d.doc);
  }
  const servicePorts = (doc: Obj) => (doc.spec?.ports ?? []).map((p: Obj) => `${p.port}${p.targetPort !== undefined && p.targetPort !== p.port ? `→${p.targetPort}` : ''}`).join(', ');
  const serviceDetail = (doc: Obj): string => {
    const self = bundle.find('Service', Bundle.namespaceOf(doc), doc.metadata?.name);
    const dr = bundle.ofKind('DestinationRule').find((d) => self && resolveHost(bundle, d.doc.spec?.host, Bundle.namespaceOf(d.doc)) === self);
    return [doc.spec?.type && doc.spec.type !== 'ClusterIP' ? doc.spec.type : '', doc.spec?.sessionAffinity === 'ClientIP' ? 'sticky: client IP' : '',
      stickyHash(dr?.doc.spec?.trafficPolicy?.loadBalancer?.consistentHash), servicePorts(doc)].filter(Boolean).join(' · ');
  };
  const addObject = (doc: Obj, detail?: string): string => {
    const id = idOf(doc);
    if (detail === undefined && doc.kind === 'Service') detail = serviceDetail(doc);
    if (!nodes.has(id)) nodes.set(id, { id, kind: doc.kind, label: String(doc.metadata?.name), detail });
    return id;
  };
  const workloadNode = (t: PodTemplate): string => {
    const doc = t.source.doc;
    const hpa = hpaFor.get(idOf(doc));
    const replicas = hpa ? `HPA ${hpa.spec?.minReplicas ?? 1}–${hpa.spec?.maxReplicas}` : doc.spec?.replicas !== undefined ? `${doc.spec.replicas} replica${doc.spec.replicas === 1 ? '' : 's'}` : '';
    const image = containersOf(t).filter((c) => !c.init).map(({ c }) => String(c.image ?? '').split('/').pop()).join(', ');
    return addObject(doc, [replicas, image].filter(Boolean).join(' · '));
  };
  const edge = (from: string, to: string, kind: EdgeKind, label: string) => {
    if (!edges.some((e) => e.from === from && e.to === to && e.kind === kind && e.label === label)) edges.push({ from, to, kind, label });
  };

  for (const t of objects.map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined)) workloadNode(t);

  for (const d of objects) {
    const doc = d.doc;
    const ns = Bundle.namespaceOf(doc);
    switch (doc.kind) {
      case 'Service': {
        const ports = servicePorts(doc);
        const svc = addObject(doc);
        for (const t of selectedBy(bundle, doc)) edge(svc, workloadNode(t), 'select', `ports ${ports}`);
        break;
      }
      case 'Ingress': {
        const ann: Obj = doc.metadata?.annotations ?? {};
        const sticky = ann['nginx.ingress.kubernetes.io/affinity'] ? `sticky: ${ann['nginx.ingress.kubernetes.io/affinity']} ${ann['nginx.ingress.kubernetes.io/session-cookie-name'] ?? ''} ${ann['nginx.ingress.kubernetes.io/affinity-mode'] ?? ''}`.trim() : '';
        const ing = addObject(doc, [doc.spec?.ingressClassName, sticky].filter(Boolean).join(' · '));
        const backend = (b: Obj | undefined, label: string) => {
          const s = b?.service;
          if (!isObj(s)) return;
          const svc = bundle.find('Service', ns, s.name);
          if (svc) edge(ing, addObject(svc.doc), 'serve', `${label} → :${s.port?.number ?? s.port?.name}`);
        };
        backend(doc.spec?.defaultBackend, 'default');
        for (const r of doc.spec?.rules ?? []) for (const p of r?.http?.paths ?? []) backend(p?.backend, `${r.host ?? '*'}${p.path ?? '/'}`);
        break;
      }
      case 'VirtualService': {
        const vs = addObject(doc, (doc.spec?.hosts ?? []).join(', '));
        for (const g of doc.spec?.gateways ?? []) {
          if (g === 'mesh') continue;
          const [gns, gname] = g.includes('/') ? g.split('/') : [ns, g];
          const gw = bundle.find('Gateway', gns, gname);
          if (gw) edge(addObject(gw.doc, (gw.doc.spec?.servers ?? []).map((s: Obj) => `${s.port?.protocol ?? ''} ${s.port?.number ?? ''}`.trim()).join(', ')), vs, 'route', 'gateway');
        }
        for (const proto of ['http', 'tcp', 'tls']) {
          for (const r of Array.isArray(doc.spec?.[proto]) ? doc.spec[proto] : []) {
            const routes: Obj[] = Array.isArray(r?.route) ? r.route : [];
            const match = [r?.name, describeMatch(r?.match)].filter(Boolean).join(': ') || (proto === 'http' ? 'default' : proto);
            for (const rt of routes) {
              const dest = rt?.destination ?? {};
              const svc = resolveHost(bundle, dest.host, ns);
              const weight = routes.length === 1 ? rt.weight ?? 100 : rt.weight ?? 0;
              const label = `${match} · ${weight}%`;
              let target: string;
              if (svc && dest.subset) {
                target = `subset/${Bundle.namespaceOf(svc.doc)}/${svc.doc.metadata.name}/${dest.subset}`;
                const sub = subsetsFor(bundle, svc).get(dest.subset);
                if (!nodes.has(target)) nodes.set(target, { id: target, kind: 'subset', label: `${svc.doc.metadata.name} ${dest.subset}`, detail: sub ? Object.entries(sub.labels).map(([k, v]) => `${k}=${v}`).join(',') : 'undefined subset' });
                if (sub) {
                  const wanted = { ...(svc.doc.spec?.selector ?? {}), ...sub.labels };
                  for (const t of bundle.podTemplates(Bundle.namespaceOf(svc.doc)).filter((p) => selects(wanted, p.labels, true))) edge(target, workloadNode(t), 'select', `subset ${dest.subset}`);
                }
              } else if (svc) {
                target = addObject(svc.doc);
              } else {
                target = `host/${dest.host}`;
                if (!nodes.has(target)) nodes.set(target, { id: target, kind: 'host', label: String(dest.host) });
              }
              edge(vs, target, 'route', label);
            }
            if (r?.mirror?.host) {
              const svc = resolveHost(bundle, r.mirror.host, ns);
              if (svc) edge(vs, addObject(svc.doc), 'route', `mirror ${r.mirrorPercentage?.value ?? 100}%`);
            }
          }
        }
        break;
      }
      case 'HTTPRoute': {
        const route = addObject(doc, (doc.spec?.hostnames ?? []).join(', ') || undefined);
        for (const p of Array.isArray(doc.spec?.parentRefs) ? doc.spec.parentRefs : []) {
          const pns = typeof p?.namespace === 'string' ? p.namespace : ns;
          if (p?.kind === 'Service' && p?.group === '') {
            const svc = bundle.find('Service', pns, p.name);
            if (svc) edge(addObject(svc.doc), route, 'route', 'mesh (GAMMA)');
          } else if ((p?.kind ?? 'Gateway') === 'Gateway') {
            const gw = bundle.ofKind('Gateway', pns).find((g) => g.doc.metadata?.name === p.name && String(g.doc.apiVersion).startsWith('gateway.networking.k8s.io/'));
            if (gw) {
              const listeners = (gw.doc.spec?.listeners ?? []).map((l: Obj) => `${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''}`).join(', ');
              edge(addObject(gw.doc, [gw.doc.spec?.gatewayClassName, listeners].filter(Boolean).join(' · ')), route, 'route', p.sectionName ? `listener ${p.sectionName}` : 'gateway');
            }
          }
        }
        for (const r of Array.isArray(doc.spec?.rules) ? doc.spec.rules : []) {
          const refs: Obj[] = Array.isArray(r?.backendRefs) ? r.backendRefs : [];
          const total = refs.reduce((a, b) => a + (typeof b?.weight === 'number' ? b.weight : 1), 0);
          const match = [r?.name, describeHttpRouteMatches(r?.matches)].filter(Boolean).join(': ') || 'default';
          for (const b of refs) {
            const svc = (b?.kind ?? 'Service') === 'Service' ? bundle.find('Service', typeof b?.namespace === 'string' ? b.namespace : ns, b?.name) : undefined;
            const weight = total > 0 ? Math.round(((typeof b?.weight === 'number' ? b.weight : 1) / total) * 1000) / 10 : 0;
            const target = svc ? addObject(svc.doc) : `backend/${b?.kind ?? 'Service'}/${b?.name}`;
            if (!svc && !nodes.has(target)) nodes.set(target, { id: target, kind: 'backend', label: String(b?.name), detail: 'not in the bundle' });
            edge(route, target, 'route', `${match} · ${weight}%`);
          }
          for (const f of Array.isArray(r?.filters) ? r.filters : []) {
            const m = f?.requestMirror;
            if (!isObj(m?.backendRef)) continue;
            const svc = bundle.find('Service', typeof m.backendRef.namespace === 'string' ? m.backendRef.namespace : ns, m.backendRef.name);
            const share = m.fraction ? Math.round((m.fraction.numerator / (m.fraction.denominator ?? 100)) * 1000) / 10 : m.percent ?? 100;
            if (svc) edge(route, addObject(svc.doc), 'route', `mirror ${share}%`);
          }
        }
        break;
      }
      case 'NetworkPolicy': {
        const targets = bundle.podTemplates(ns).filter((t) => selects(doc.spec?.podSelector ?? {}, t.labels));
        for (const rule of doc.spec?.ingress ?? []) {
          const ports = (rule?.ports ?? []).map((p: Obj) => `${p.protocol ?? 'TCP'} ${p.port ?? 'any'}`).join(', ') || 'all ports';
          const peers: Obj[] = Array.isArray(rule?.from) ? rule.from : [{}];
          for (const peer of peers) {
            const sources: string[] = [];
            if (peer.ipBlock) {
              const id = `peer/ip/${peer.ipBlock.cidr}`;
              nodes.set(id, { id, kind: 'peer', label: peer.ipBlock.cidr, detail: 'IP block' });
              sources.push(id);
            } else if (peer.namespaceSelector && !peer.podSelector) {
              const id = `peer/ns/${JSON.stringify(peer.namespaceSelector)}`;
              nodes.set(id, { id, kind: 'peer', label: 'namespaces', detail: Object.entries(peer.namespaceSelector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || 'all namespaces' });
              sources.push(id);
            } else if (peer.podSelector) {
              for (const t of bundle.podTemplates(ns).filter((p) => selects(peer.podSelector, p.labels))) sources.push(workloadNode(t));
            } else {
              const id = 'peer/any';
              nodes.set(id, { id, kind: 'peer', label: 'anyone', detail: 'no from: all sources' });
              sources.push(id);
            }
            for (const s of sources) for (const t of targets) edge(s, workloadNode(t), 'network', `allowed: ${ports}`);
          }
        }
        break;
      }
      case 'ServiceBinding': {
        const b = addObject(doc, `secret ${doc.spec?.secretName ?? doc.metadata?.name}`);
        const inst = bundle.find('ServiceInstance', ns, doc.spec?.instanceRef?.name);
        if (inst) edge(addObject(inst.doc, [inst.doc.spec?.clusterServiceClassExternalName, inst.doc.spec?.clusterServicePlanExternalName].filter(Boolean).join(' / ')), b, 'binding', 'binds');
        break;
      }
      default:
    }
  }

  // Secrets and ConfigMaps → env vars of the pods that read them.
  for (const t of objects.map(podTemplateOf).filter((x): x is PodTemplate => x !== undefined)) {
    const ns = Bundle.namespaceOf(t.source.doc);
    const reads = new Map<string, { kind: string; names: string[] }>();
    for (const { c } of containersOf(t)) {
      for (const e of Array.isArray(c.env) ? c.env : []) {
        for (const [field, kind] of [['secretKeyRef', 'Secret'], ['configMapKeyRef', 'ConfigMap']]) {
          const r = e?.valueFrom?.[field];
          if (!isObj(r)) continue;
          const key = `${kind}/${r.name}`;
          if (!reads.has(key)) reads.set(key, { kind, names: [] });
          reads.get(key)!.names.push(`${e.name}←${r.key}`);
        }
      }
      for (const e of Array.isArray(c.envFrom) ? c.envFrom : []) {
        for (const [field, kind] of [['secretRef', 'Secret'], ['configMapRef', 'ConfigMap']]) {
          const r = e?.[field];
          if (!isObj(r)) continue;
          const key = `${kind}/${r.name}`;
          if (!reads.has(key)) reads.set(key, { kind, names: [] });
          reads.get(key)!.names.push(`all keys${e.prefix ? ` as ${e.prefix}*` : ''}`);
        }
      }
    }
    for (const [key, { kind, names }] of reads) {
      const name = key.slice(kind.length + 1);
      const id = `${kind}/${ns}/${name}`;
      const binding = kind === 'Secret' ? bindingForSecret(bundle, ns, name) : undefined;
      const inBundle = bundle.find(kind, ns, name);
      if (!nodes.has(id)) nodes.set(id, { id, kind, label: name, detail: inBundle ? undefined : binding ? `made by ServiceBinding ${binding.doc.metadata?.name}` : 'not in the bundle' });
      if (binding) edge(addObject(binding.doc, `secret ${name}`), id, 'binding', 'writes');
      edge(id, workloadNode(t), 'secret', `env ${names.join(', ')}`);
    }
  }
  return { nodes: [...nodes.values()], edges };
}
