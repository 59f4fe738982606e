/** Per-object diff of two synths: objects are matched by API group, kind, namespace and name. */
import * as YAML from 'yaml';
import { Bundle, groupOf, isObj, SourceDoc } from '../audit/bundle';

/** How one object differs. */
export enum Change {
  CHANGED = 'changed',
  ADDED = 'added',
  REMOVED = 'removed',
  UNCHANGED = 'unchanged',
}

/** One object in the diff. */
export interface ObjectDiff {
  /** What happened to it. */
  readonly change: Change;
  /** `Kind namespace/name`. */
  readonly title: string;
  /** The file it is in now (or was in, if removed). */
  readonly file: string;
  /** Unified-style lines: `' '` same, `'-'` removed, `'+'` added (empty when unchanged). */
  readonly lines: Array<{ op: ' ' | '-' | '+'; text: string }>;
}

function keyOf(doc: any): string {
  return `${groupOf(String(doc.apiVersion))}/${doc.kind}/${Bundle.namespaceOf(doc)}/${doc.metadata?.name}`;
}

/** Line diff (LCS), with unchanged runs longer than 2 × `context` folded. */
export function diffLines(before: string[], after: string[], context = 3): Array<{ op: ' ' | '-' | '+'; text: string }> {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ op: ' ', text: before[i] });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: '-', text: before[i] });
      i++;
    } else {
      out.push({ op: '+', text: after[j] });
      j++;
    }
  }
  const folded: Array<{ op: ' ' | '-' | '+'; text: string }> = [];
  const near = (k: number) => out.slice(Math.max(0, k - context), k + context + 1).some((l) => l.op !== ' ');
  let skipped = 0;
  out.forEach((l, k) => {
    if (l.op !== ' ' || near(k)) {
      if (skipped) folded.push({ op: ' ', text: `⋯ ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
      skipped = 0;
      folded.push(l);
    } else skipped++;
  });
  if (skipped) folded.push({ op: ' ', text: `⋯ ${skipped} unchanged line${skipped === 1 ? '' : 's'}` });
  return folded;
}

/** Diffs two synths; changed objects first, then added, removed, unchanged (each sorted by title). */
export function diffSynths(before: SourceDoc[], after: SourceDoc[]): ObjectDiff[] {
  const index = (docs: SourceDoc[]) => {
    const map = new Map<string, SourceDoc>();
    for (const d of docs) if (isObj(d.doc) && typeof d.doc.kind === 'string' && !map.has(keyOf(d.doc))) map.set(keyOf(d.doc), d);
    return map;
  };
  const a = index(before);
  const b = index(after);
  const title = (doc: any) => `${doc.kind} ${Bundle.namespaceOf(doc)}/${doc.metadata?.name}`;
  const yaml = (doc: any) => YAML.stringify(doc, { sortMapEntries: true }).trimEnd().split('\n');
  const out: ObjectDiff[] = [];
  for (const [k, d] of b) {
    const old = a.get(k);
    if (!old) out.push({ change: Change.ADDED, title: title(d.doc), file: d.file, lines: yaml(d.doc).map((text) => ({ op: '+', text })) });
    else {
      const x = yaml(old.doc);
      const y = yaml(d.doc);
      const same = x.join('\n') === y.join('\n');
      out.push({ change: same ? Change.UNCHANGED : Change.CHANGED, title: title(d.doc), file: d.file, lines: same ? [] : diffLines(x, y) });
    }
  }
  for (const [k, d] of a) if (!b.has(k)) out.push({ change: Change.REMOVED, title: title(d.doc), file: d.file, lines: yaml(d.doc).map((text) => ({ op: '-', text })) });
  const order = [Change.CHANGED, Change.ADDED, Change.REMOVED, Change.UNCHANGED];
  return out.sort((p, q) => order.indexOf(p.change) - order.indexOf(q.change) || p.title.localeCompare(q.title));
}
