/**
 * A bundle of manifests as the audit sees it: every document with its file and position, and lookups
 * by kind, namespace and name, pod templates and selectors.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** A JSON object in a manifest. */
export type Obj = { [key: string]: any };

/** One document of a YAML stream. */
export interface SourceDoc {
  /** The file it came from (as given, or `<memory>`). */
  readonly file: string;
  /** 0-based position in the file's YAML stream (empty documents keep their position). */
  readonly index: number;
  /** The parsed document (`undefined` for a YAML error). */
  readonly doc: any;
  /** The YAML error, when the document does not parse. */
  readonly yamlError?: string;
}

/** A pod template inside a workload, with the JSON pointer of its `spec`. */
export interface PodTemplate {
  /** The document holding the template. */
  readonly source: SourceDoc;
  /** The template's labels. */
  readonly labels: Record<string, string>;
  /** The template's annotations. */
  readonly annotations: Record<string, unknown>;
  /** The pod spec. */
  readonly spec: Obj;
  /** JSON pointer of the pod spec inside the document (`/spec/template/spec`). */
  readonly specPath: string;
}

/** Kinds whose pods come from `spec.template`. */
export const WORKLOAD_KINDS: readonly string[] = Object.freeze(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Reads YAML text the way kubectl does (YAML 1.1: `on`/`yes` are booleans, `0755` is octal). */
export function parseYaml(text: string, file = '<memory>'): SourceDoc[] {
  return YAML.parseAllDocuments(text, { version: '1.1', uniqueKeys: true }).map((d, index) => {
    if (d.errors.length > 0) return { file, index, doc: undefined, yamlError: d.errors[0].message.split('\n')[0] };
    return { file, index, doc: d.toJS({ maxAliasCount: 100 }) };
  });
}

/** Every `*.yaml`/`*.yml` file under `target` (a file or a folder), sorted; skips `node_modules`. */
export function yamlFiles(target: string): string[] {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(target, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...yamlFiles(p));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Loads every document of the YAML files under each target. */
export function loadManifests(targets: string[]): SourceDoc[] {
  return targets.flatMap(yamlFiles).flatMap((f) => parseYaml(fs.readFileSync(f, 'utf8'), f));
}

/** True for a plain (non-array) object. */
export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `{a=b,c=d}` for messages. */
export function showLabels(labels: Record<string, unknown> | undefined): string {
  return `{${Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

/** True when a label selector (`matchLabels` + `matchExpressions`, or with `plainMap` a plain map) matches `labels`. */
export function selects(selector: Obj | undefined, labels: Record<string, string>, plainMap = false): boolean {
  if (!isObj(selector)) return false;
  const matchLabels: Obj = plainMap ? selector : selector.matchLabels ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== String(v)) return false;
  if (!plainMap) {
    for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
      const has = Object.prototype.hasOwnProperty.call(labels, e.key);
      const values: string[] = Array.isArray(e.values) ? e.values.map(String) : [];
      if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
      if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
      if (e.operator === 'Exists' && !has) return false;
      if (e.operator === 'DoesNotExist' && has) return false;
    }
  }
  return true;
}

/** Lookups over the documents of a bundle. */
export class Bundle {
  /** The namespace of a namespaced object (`default` when unset). */
  static namespaceOf(doc: Obj): string {
    return typeof doc?.metadata?.namespace === 'string' ? doc.metadata.namespace : 'default';
  }

  private static key(kind: string, ns: string, name: unknown): string {
    return `${kind}\u0000${ns}\u0000${String(name)}`;
  }

  /** Documents that are objects with a kind. */
  public readonly objects: SourceDoc[];
  private readonly byKey = new Map<string, SourceDoc>();
  private templates?: PodTemplate[];

  constructor(public readonly docs: SourceDoc[]) {
    this.objects = docs.filter((d) => isObj(d.doc) && typeof d.doc.kind === 'string');
    for (const d of this.objects) {
      const key = Bundle.key(d.doc.kind, Bundle.namespaceOf(d.doc), d.doc.metadata?.name);
      if (!this.byKey.has(key)) this.byKey.set(key, d);
    }
  }

  /** The object of `kind` named `name` in `ns`. */
  find(kind: string, ns: string, name: string): SourceDoc | undefined {
    return this.byKey.get(Bundle.key(kind, ns, name));
  }

  /** Every object of one of `kinds` (in `ns` when given). */
  ofKind(kinds: string | string[], ns?: string): SourceDoc[] {
    const ks = Array.isArray(kinds) ? kinds : [kinds];
    return this.objects.filter((d) => ks.includes(d.doc.kind) && (ns === undefined || Bundle.namespaceOf(d.doc) === ns));
  }

  /** Every pod template in the bundle (in `ns` when given). */
  podTemplates(ns?: string): PodTemplate[] {
    this.templates ??= this.objects.map(podTemplateOf).filter((t): t is PodTemplate => t !== undefined);
    return ns === undefined ? this.templates : this.templates.filter((t) => Bundle.namespaceOf(t.source.doc) === ns);
  }
}

/** The pod template of a workload, CronJob or Pod, if it has one. */
export function podTemplateOf(d: SourceDoc): PodTemplate | undefined {
  const doc = d.doc;
  if (!isObj(doc)) return undefined;
  const labelsOf = (m: Obj | undefined) => (isObj(m?.labels) ? m!.labels : {});
  const annotationsOf = (m: Obj | undefined) => (isObj(m?.annotations) ? m!.annotations : {});
  if (doc.kind === 'Pod' && isObj(doc.spec)) return { source: d, labels: labelsOf(doc.metadata), annotations: annotationsOf(doc.metadata), spec: doc.spec, specPath: '/spec' };
  if (doc.kind === 'CronJob' && isObj(doc.spec?.jobTemplate?.spec?.template?.spec)) {
    const t = doc.spec.jobTemplate.spec.template;
    return { source: d, labels: labelsOf(t.metadata), annotations: annotationsOf(t.metadata), spec: t.spec, specPath: '/spec/jobTemplate/spec/template/spec' };
  }
  if (WORKLOAD_KINDS.includes(doc.kind) && isObj(doc.spec?.template?.spec)) {
    const t = doc.spec.template;
    return { source: d, labels: labelsOf(t.metadata), annotations: annotationsOf(t.metadata), spec: t.spec, specPath: '/spec/template/spec' };
  }
  return undefined;
}

/** A container of a pod template, located by its JSON pointer. */
export interface ContainerRef {
  /** The container. */
  readonly c: Obj;
  /** JSON pointer of the container (`/spec/template/spec/containers/0`). */
  readonly path: string;
  /** True for an entry of `initContainers`. */
  readonly init: boolean;
  /** True for an entry of `ephemeralContainers` (debug containers: no ports, probes or resources). */
  readonly ephemeral: boolean;
}

/** Options for {@link containersOf}. */
export interface ContainersOfOptions {
  /**
   * Include `ephemeralContainers` (after the others).
   * @default false
   */
  readonly ephemeral?: boolean;
}

/** Every container of a pod template with its JSON pointer: init containers first, then containers. */
export function containersOf(t: PodTemplate, options: ContainersOfOptions = {}): ContainerRef[] {
  const out: ContainerRef[] = [];
  const fields = [['initContainers', true, false], ['containers', false, false], ...(options.ephemeral ? [['ephemeralContainers', false, true] as const] : [])] as const;
  for (const [field, init, ephemeral] of fields) {
    const list = t.spec[field];
    if (Array.isArray(list)) list.forEach((c, i) => { if (isObj(c)) out.push({ c, path: `${t.specPath}/${field}/${i}`, init, ephemeral }); });
  }
  return out;
}
