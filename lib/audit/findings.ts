/** How bad a finding is. */
export enum Level {
  /** The manifests are wrong: the API server rejects them, or traffic goes nowhere. */
  ERROR = 'error',
  /** A hardening rule (Pod Security Standards "restricted", resources, probes, pinned images) is broken. */
  POLICY = 'policy',
  /** Suspicious, or not verifiable from the bundle alone. */
  WARNING = 'warning',
}

/** One thing the audit found, located by file, document and JSON path. */
export interface Finding {
  /** How bad it is. */
  readonly level: Level;
  /** The rule family, e.g. `schema`, `unknown-field`, `service-selector`, `vs-weights`, `hardening`. */
  readonly rule: string;
  /** The file of the document (`<memory>` for documents passed in). */
  readonly file: string;
  /** 0-based position of the document in its file's YAML stream. */
  readonly doc: number;
  /** The object's kind (`?` when it has none). */
  readonly kind: string;
  /** The object's name (`<unnamed>` when it has none). */
  readonly name: string;
  /** The object's namespace (`default` when unset). */
  readonly namespace: string;
  /** JSON pointer to the field at fault (`/spec/selector`); `/` for the whole document. */
  readonly path: string;
  /** What is wrong and, where it helps, the fix. */
  readonly message: string;
}

/** Formats a finding as one line: `ERROR dist/app.k8s.yaml#3 Deployment/web /spec/replicas: must be integer`. */
export function formatFinding(f: Finding): string {
  return `${f.level.toUpperCase()} ${f.file}#${f.doc} ${f.kind}/${f.name} ${f.path}: ${f.message}`;
}
