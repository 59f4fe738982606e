/** Per-object diff of two synths: objects are matched by API group, kind, namespace and name. */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { groupOf } from '../core/identity';
import { Bundle, isObj, loadManifests, SourceDoc } from '../audit/bundle';

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

/** Options for {@link manifestsAtRef}. */
export interface ManifestsAtRefOptions {
  /**
   * A folder inside the git work tree: the repository is found from it and relative targets resolve
   * against it.
   * @default process.cwd()
   */
  readonly cwd?: string;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 }).trim();
}

const gitError = (e: unknown) => String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim().split('\n')[0];

/**
 * The manifests `targets` held at git ref `ref` (a commit, branch or tag), for `--against <ref>`:
 * each target (file or folder) that is committed at `ref` is read as committed; a target that is not,
 * such as the git-ignored `dist/`, is the output of `ref`'s own synth (its `scripts/synth.js`, else
 * `cdk8s synth`, in a temporary checkout that borrows the work tree's `node_modules`), restricted to
 * the target when it lies inside the synth's output folder. Files are named as the targets are, so
 * charts line up with the current manifests.
 *
 * Running that synth runs code from `ref` (as `npm run synth` on a checkout of it would): pass only
 * refs you trust. Targets that are symbolic links out of the commit's tree are refused.
 *
 * @example
 * const diffs = diffSynths(manifestsAtRef('main', ['dist']), loadManifests(['dist']));
 */
export function manifestsAtRef(ref: string, targets: string[], options: ManifestsAtRefOptions = {}): SourceDoc[] {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd);
  } catch (e) {
    throw new Error(`--against '${ref}' is not a folder, and ${cwd} is not in a git work tree to look it up as a git ref (${gitError(e)}); pass a folder of manifests or run inside the repository`);
  }
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`], top);
  } catch {
    throw new Error(`--against '${ref}' is neither a folder nor a commit, branch or tag of the git repository ${top}; pass a folder of manifests or a git ref such as main or HEAD~1`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-'));
  try {
    const tar = execFileSync('git', ['archive', '--format=tar', commit], { cwd: top, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', tmp], { input: tar });
    let synthOut: string | undefined;
    const synth = (target: string): string => {
      if (synthOut !== undefined) return synthOut;
      const config = path.join(tmp, 'cdk8s.yaml');
      const hasScript = fs.existsSync(path.join(tmp, 'scripts/synth.js'));
      if (!hasScript && !fs.existsSync(config)) {
        throw new Error(`--against '${ref}': '${target}' is not committed at ${ref}, and ${ref} has no cdk8s.yaml to synthesize it; commit the manifests, or pass --against a folder of manifests`);
      }
      if (!fs.existsSync(path.join(tmp, 'node_modules')) && fs.existsSync(path.join(top, 'node_modules'))) {
        fs.symlinkSync(path.join(top, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
      }
      const run = hasScript
        ? spawnSync('node', ['scripts/synth.js'], { cwd: tmp, encoding: 'utf8' })
        : spawnSync('npx', ['cdk8s', 'synth', '--no-check-upgrade'], { cwd: tmp, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`--against '${ref}': the synth of ${ref} failed (exit ${run.status ?? run.signal}):\n${(run.stderr || run.stdout || '').trim()}`);
      const output = fs.existsSync(config) ? YAML.parse(fs.readFileSync(config, 'utf8'))?.output : undefined;
      synthOut = typeof output === 'string' ? output : 'dist';
      return synthOut;
    };
    const inside = (rel: string) => rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    const realTmp = fs.realpathSync(tmp);
    // A committed symlink (e.g. `dist -> /etc`) must not pull files from outside the checkout into the page.
    const load = (p: string): SourceDoc[] => {
      if (!inside(path.relative(realTmp, fs.realpathSync(p)))) {
        throw new Error(`--against '${ref}': '${path.relative(tmp, p)}' is a symbolic link out of the commit's tree at ${ref}; compare with a folder of manifests instead`);
      }
      return loadManifests([p]);
    };
    const rename = (docs: SourceDoc[], root: string, target: string) => docs.map((d) => ({ ...d, file: path.join(target, path.relative(root, d.file)) }));
    return targets.flatMap((target) => {
      const rel = path.relative(top, path.resolve(cwd, target));
      const committed = path.join(tmp, rel);
      if (inside(rel) && rel !== '' && fs.existsSync(committed)) return rename(load(committed), committed, target);
      const out = synth(target);
      const outRel = path.relative(out, rel);
      if (inside(rel) && inside(outRel)) {
        const part = path.join(tmp, rel);
        return fs.existsSync(part) ? rename(load(part), part, target) : []; // the chart is new since ref
      }
      return rename(load(path.join(tmp, out)), path.join(tmp, out), target);
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
