// What NetworkPolicies allow, read from rendered manifests: which workloads' pods may connect to a
// workload's pods (ingress only, one namespace), as the Kubernetes NetworkPolicy semantics say.

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };

/** True when `labels` match the label selector `sel` (an empty selector matches everything). */
export function matchesSelector(sel: Selector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
    if (e.operator === 'In' && (!has || !e.values!.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values!.includes(labels[e.key])) return false;
  }
  return true;
}

/** Workload name → its pod template labels. */
export function podLabelsByWorkload(docs: any[]): Map<string, Record<string, string>> {
  return new Map(docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet').map((d) => [d.metadata.name, d.spec.template.metadata.labels ?? {}]));
}

/** The NetworkPolicies (with Ingress in their policyTypes) that select the pods of `workload`. */
export function policiesSelecting(docs: any[], workload: string): any[] {
  const labels = podLabelsByWorkload(docs).get(workload);
  if (!labels) throw new Error(`no workload ${workload}`);
  return docs.filter((d) => d.kind === 'NetworkPolicy' && (d.spec.policyTypes ?? ['Ingress']).includes('Ingress') && matchesSelector(d.spec.podSelector, labels));
}

/**
 * The workloads whose pods may connect to the pods of `target` (sorted), or `'anyone'` when no policy
 * isolates them. Only pod-selector peers of the same namespace are considered.
 */
export function allowedFrom(docs: any[], target: string): string[] | 'anyone' {
  const policies = policiesSelecting(docs, target);
  if (!policies.length) return 'anyone';
  const pods = podLabelsByWorkload(docs);
  const out = new Set<string>();
  for (const p of policies) {
    for (const rule of p.spec.ingress ?? []) {
      if (!rule.from) return 'anyone';
      for (const peer of rule.from) {
        if (peer.ipBlock || peer.namespaceSelector) continue;
        for (const [name, labels] of pods) if (matchesSelector(peer.podSelector, labels)) out.add(name);
      }
    }
  }
  return [...out].sort();
}
