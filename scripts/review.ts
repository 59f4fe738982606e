// `npm run review [paths...] [--out=FILE] [--against=DIR_OR_GIT_REF] [--policy=warn|error|off]`:
// writes a self-contained review page (default dist/review/index.html) for synthesized manifests
// (default dist/). --against a folder (or file) diffs with the manifests there; --against a git ref diffs
// with the same paths at that commit: as committed, or, for paths git does not track (dist/), as that
// commit's synth renders them (see manifestsAtRef). Exit 2 on a usage error or an --against that cannot
// be resolved, 1 when rendering fails.
import * as fs from 'fs';
import * as path from 'path';
import { PolicyMode } from '../lib/audit/audit';
import { loadManifests, SourceDoc } from '../lib/audit/bundle';
import { manifestsAtRef } from '../lib/review/diff';
import { renderReview } from '../lib/review/page';

const USAGE = 'usage: npm run review -- [file or folder ...] [--out=dist/review/index.html] [--against=<dir or git ref>] [--policy=warn|error|off]';

async function main(argv: string[]): Promise<number> {
  let out = 'dist/review/index.html';
  let against: string | undefined;
  let policy = PolicyMode.WARN;
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => (arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : argv[++i]);
    if (arg === '--out' || arg.startsWith('--out=') || arg === '--against' || arg.startsWith('--against=')) {
      const name = arg.startsWith('--out') ? '--out' : '--against';
      const v = value(name);
      // `--out --against main` must not write a file named '--against': a separate value is never an option.
      if (!v || (v.startsWith('-') && !arg.includes('='))) { console.error(`review: ${name} needs a value (${name}=<${name === '--out' ? 'file' : 'dir or git ref'}>)\n${USAGE}`); return 2; }
      if (name === '--out') out = v; else against = v;
    } else if (arg.startsWith('--policy=')) policy = arg.slice(9) as PolicyMode;
    else if (arg === '--help' || arg === '-h') { console.log(USAGE); return 0; } else if (arg.startsWith('-')) { console.error(`review: unknown option '${arg}'\n${USAGE}`); return 2; } else targets.push(arg);
  }
  if (!Object.values(PolicyMode).includes(policy)) { console.error(`review: unknown policy mode '${policy}'\n${USAGE}`); return 2; }
  if (targets.length === 0) targets.push('dist');
  for (const t of targets) if (!fs.existsSync(t)) { console.error(`review: '${t}' does not exist${t === 'dist' ? ' (run npm run synth first)' : ''}`); return 2; }
  const docs = loadManifests(targets);
  let previous: SourceDoc[] | undefined;
  if (against !== undefined) {
    try {
      previous = fs.existsSync(against) ? loadManifests([against]) : manifestsAtRef(against, targets);
    } catch (e) {
      console.error(`review: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
  }
  const html = await renderReview(docs, { against: previous, againstLabel: against, policy });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, html);
  console.log(`review: wrote ${out} (${Math.round(html.length / 1024)} KiB)`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error(`review: ${e.message}`); process.exitCode = 1; });
