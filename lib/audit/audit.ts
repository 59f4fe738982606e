import { Bundle, isObj, loadManifests, SourceDoc } from './bundle';
import { Finding, Level } from './findings';
import { checkDuplicates, checkHardening, checkNames, checkReferences, checkServicePortIntent, Report } from './rules';
import { defaultSchemaCatalog, SchemaCatalog } from './schema';

/** What to do with hardening-policy findings. */
export enum PolicyMode {
  /** Skip the hardening checks. */
  OFF = 'off',
  /** Report POLICY findings; they do not fail the audit. */
  WARN = 'warn',
  /** Report POLICY findings; they fail the audit. */
  ERROR = 'error',
}

/** Options for {@link audit}. */
export interface AuditOptions {
  /**
   * How hardening findings count.
   * @default PolicyMode.WARN
   */
  readonly policy?: PolicyMode;
  /**
   * The schemas to validate the documents against, compiled on first use and kept by the catalog. Pass
   * a catalog of your own to validate custom resources (`new SchemaCatalog({ extraCrdFiles: [...] })`), or
   * to reuse one across audits; what it loads stays in it.
   * @default - the shared, read-only {@link defaultSchemaCatalog}: the built-in schemas, compiled once per process
   */
  readonly schemas?: SchemaCatalog;
}

/** The result of {@link audit}. */
export interface AuditReport {
  /** Number of (non-empty) documents checked. */
  readonly documents: number;
  /** Findings sorted by file, document and path. */
  readonly findings: Finding[];
  /** Number of ERROR findings. */
  readonly errors: number;
  /** Number of POLICY findings. */
  readonly policy: number;
  /** Number of WARNING findings. */
  readonly warnings: number;
  /** The policy mode the audit ran with. */
  readonly policyMode: PolicyMode;
  /** True when there is no ERROR (and, with `PolicyMode.ERROR`, no POLICY) finding. */
  readonly ok: boolean;
}

/**
 * Audits manifests: schemas (unknown fields rejected), names and labels, duplicates, references between
 * objects, and the hardening policy.
 *
 * `input` is a file or folder path (every `*.yaml`/`*.yml` below it), a list of paths, or documents in
 * memory: plain objects (positions are their index, the file is `<memory>`) or {@link SourceDoc}s.
 *
 * Schemas come from `options.schemas`, or else from the shared {@link defaultSchemaCatalog}.
 *
 * @example
 * const report = audit('dist/', { policy: PolicyMode.ERROR });
 * for (const f of report.findings) console.log(formatFinding(f));
 * // custom resources too: a catalog that knows their CRDs
 * audit('dist/', { schemas: new SchemaCatalog({ extraCrdFiles: ['crds/widgets.yaml'] }) });
 */
export function audit(input: string | string[] | ReadonlyArray<unknown>, options: AuditOptions = {}): AuditReport {
  const policyMode = options.policy ?? PolicyMode.WARN;
  const schemas = options.schemas ?? defaultSchemaCatalog();
  const docs = toSourceDocs(input);
  const bundle = new Bundle(docs);
  const findings: Finding[] = [];
  const report: Report = (d, level, rule, path, message) => {
    const doc = isObj(d.doc) ? d.doc : {};
    findings.push({
      level, rule, file: d.file, doc: d.index, path, message,
      kind: typeof doc.kind === 'string' ? doc.kind : '?',
      name: typeof doc.metadata?.name === 'string' ? doc.metadata.name : '<unnamed>',
      namespace: Bundle.namespaceOf(doc),
    });
  };
  let documents = 0;
  for (const d of docs) {
    if (d.yamlError) {
      documents++;
      report(d, Level.ERROR, 'yaml', '/', `YAML: ${d.yamlError}`);
      continue;
    }
    if (d.doc === null || d.doc === undefined) continue;
    documents++;
    if (!isObj(d.doc)) {
      report(d, Level.ERROR, 'schema', '/', 'document is not a mapping (an object)');
      continue;
    }
    if (typeof d.doc.apiVersion !== 'string' || typeof d.doc.kind !== 'string') {
      report(d, Level.ERROR, 'schema', '/', 'apiVersion and kind are required strings');
      continue;
    }
    const { problems, schema } = schemas.validate(d.doc);
    if (!schema) report(d, Level.WARNING, 'no-schema', '/', `no schema for ${d.doc.apiVersion} ${d.doc.kind}; the document is not validated`);
    for (const p of problems) report(d, Level.ERROR, p.message === 'unknown field' ? 'unknown-field' : 'schema', p.path, p.message);
    checkNames(d, report);
    checkReferences(bundle, d, report);
    checkServicePortIntent(bundle, d, report);
    if (policyMode !== PolicyMode.OFF) checkHardening(bundle, d, report);
  }
  checkDuplicates(bundle, report);
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.doc - b.doc || a.path.localeCompare(b.path)));
  const count = (l: Level) => findings.filter((f) => f.level === l).length;
  const errors = count(Level.ERROR);
  const policy = count(Level.POLICY);
  return {
    documents, findings, errors, policy, warnings: count(Level.WARNING), policyMode,
    ok: errors === 0 && (policyMode !== PolicyMode.ERROR || policy === 0),
  };
}

function toSourceDocs(input: string | string[] | ReadonlyArray<unknown>): SourceDoc[] {
  if (typeof input === 'string') return loadManifests([input]);
  if (input.every((i) => typeof i === 'string')) return loadManifests(input as string[]);
  return input.map((d, index) => (isObj(d) && 'file' in d && 'index' in d && 'doc' in d ? d as unknown as SourceDoc : { file: '<memory>', index, doc: d }));
}
