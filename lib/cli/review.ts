// `cdk8s-noops review [paths...] [--out=FILE] [--against=DIR_OR_GIT_REF] [--policy=warn|error|off]`:
// writes a self-contained review page (default dist/review/index.html) for synthesized manifests
// (default dist/). --against a folder (or file) diffs with the manifests there; --against a git ref diffs
// with the same paths at that commit: as committed, or, for paths git does not track (dist/), as that
// commit's synth renders them (see manifestsAtRef). Exit 2 on a usage error or an --against that cannot
// be resolved, 1 when rendering fails.
import * as fs from 'fs';
import * as path from 'path';
import { PolicyMode } from '../audit/audit';
import { loadManifests, SourceDoc } from '../audit/bundle';
import { manifestsAtRef } from '../review/diff';
import { renderReview } from '../review/page';
import { CliIo, CONSOLE_IO } from './io';

/** Usage of `cdk8s-noops review`. */
export const REVIEW_USAGE = `usage: cdk8s-noops review [file or folder ...] [--out=FILE] [--against=<dir or git ref>] [--policy=warn|error|off]

Writes a self-contained HTML review page for synthesized manifests (default: dist/): every object, the
audit's findings, a picture of who talks to whom, and with --against what changed.

options:
  --out=FILE                where to write the page (default: dist/review/index.html)
  --against=DIR|REF         diff with the manifests in a folder, or with the same paths at a git ref
  --policy=warn|error|off   how hardening findings are shown (default: warn)
  -h, --help                this help
  --version                 the version of cdk8s-noops

exit codes: 0 written, 1 rendering failed, 2 usage error or an --against that cannot be resolved`;

/** The `review` sub-command. Resolves to the exit code. */
export async function reviewMain(argv: readonly string[], io: CliIo = CONSOLE_IO): Promise<number> {
  let out = 'dist/review/index.html';
  let against: string | undefined;
  let policy = PolicyMode.WARN;
  const targets: string[] = [];
  const usage = (problem: string) => {
    io.err(`review: ${problem}\n${REVIEW_USAGE}`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => (arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : argv[++i]);
    if (arg === '--out' || arg.startsWith('--out=') || arg === '--against' || arg.startsWith('--against=')) {
      const name = arg.startsWith('--out') ? '--out' : '--against';
      const v = value(name);
      // `--out --against main` must not write a file named '--against': a separate value is never an option.
      if (!v || (v.startsWith('-') && !arg.includes('='))) return usage(`${name} needs a value (${name}=<${name === '--out' ? 'file' : 'dir or git ref'}>)`);
      if (name === '--out') out = v; else against = v;
    } else if (arg.startsWith('--policy=')) policy = arg.slice(9) as PolicyMode;
    else if (arg === '--help' || arg === '-h') {
      io.out(REVIEW_USAGE);
      return 0;
    } else if (arg.startsWith('-')) return usage(`unknown option '${arg}'`);
    else targets.push(arg);
  }
  if (!Object.values(PolicyMode).includes(policy)) return usage(`unknown policy mode '${policy}'`);
  if (targets.length === 0) targets.push('dist');
  for (const t of targets) if (!fs.existsSync(t)) return usage(`'${t}' does not exist${t === 'dist' ? ' (run cdk8s synth first)' : ''}`);
  try {
    const docs = loadManifests(targets);
    let previous: SourceDoc[] | undefined;
    if (against !== undefined) {
      try {
        previous = fs.existsSync(against) ? loadManifests([against]) : manifestsAtRef(against, targets);
      } catch (e) {
        io.err(`review: ${e instanceof Error ? e.message : String(e)}`);
        return 2;
      }
    }
    const html = await renderReview(docs, { against: previous, againstLabel: against, policy });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, html);
    io.out(`review: wrote ${out} (${Math.round(html.length / 1024)} KiB)`);
    return 0;
  } catch (e) {
    io.err(`review: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
