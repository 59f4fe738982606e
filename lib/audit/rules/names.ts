/** Names and labels as the apiserver checks them, and one object per identity. */
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, IANA_SVC_NAME } from '../../core';
import { objectKey } from '../../core/identity';
import { Bundle, containersOf, isObj, Obj, podTemplateOf, SourceDoc } from '../bundle';
import { Level } from '../findings';
import { esc, Report } from './report';

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

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
