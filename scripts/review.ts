// `npm run review [paths...] [--out=FILE] [--against=DIR_OR_GIT_REF] [--policy=warn|error|off]`:
// writes a self-contained review page (default dist/review/index.html) for synthesized manifests
// (default dist/). --against a folder diffs with the manifests there; --against a git ref renders that
// commit's example apps (git archive into a temp folder + its synth) and diffs with them.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PolicyMode } from '../lib/audit/audit';
import { loadManifests, SourceDoc } from '../lib/audit/bundle';
import { renderReview } from '../lib/review/page';

const ROOT = path.join(__dirname, '..');
const USAGE = 'usage: npm run review -- [file or folder ...] [--out=dist/review/index.html] [--against=<dir or git ref>] [--policy=warn|error|off]';

/** Renders the example apps of git ref `ref` into a temp folder and returns its manifests. */
function synthAtRef(ref: string): SourceDoc[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-review-'));
  try {
    const tar = execFileSync('git', ['archive', '--format=tar', ref], { cwd: ROOT, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', tmp], { input: tar });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    const synth = fs.existsSync(path.join(tmp, 'scripts/synth.js'))
      ? spawnSync('node', ['scripts/synth.js'], { cwd: tmp, encoding: 'utf8' })
      : spawnSync('npx', ['cdk8s', 'synth', '--no-check-upgrade'], { cwd: tmp, encoding: 'utf8' });
    if (synth.status !== 0) throw new Error(`synth of ${ref} failed:\n${synth.stderr}`);
    // Report files as they are named in dist/, so charts line up with the current synth.
    return loadManifests([path.join(tmp, 'dist')]).map((d) => ({ ...d, file: path.join('dist', path.relative(path.join(tmp, 'dist'), d.file)) }));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  let out = 'dist/review/index.html';
  let against: string | undefined;
  let policy = PolicyMode.WARN;
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => (arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : argv[++i]);
    if (arg === '--out' || arg.startsWith('--out=')) out = value('--out');
    else if (arg === '--against' || arg.startsWith('--against=')) against = value('--against');
    else if (arg.startsWith('--policy=')) policy = arg.slice(9) as PolicyMode;
    else if (arg === '--help' || arg === '-h') { console.log(USAGE); return 0; } else if (arg.startsWith('-')) { console.error(`review: unknown option '${arg}'\n${USAGE}`); return 2; } else targets.push(arg);
  }
  if (!Object.values(PolicyMode).includes(policy)) { console.error(`review: unknown policy mode '${policy}'\n${USAGE}`); return 2; }
  if (targets.length === 0) targets.push('dist');
  for (const t of targets) if (!fs.existsSync(t)) { console.error(`review: '${t}' does not exist${t === 'dist' ? ' (run npm run synth first)' : ''}`); return 2; }
  const docs = loadManifests(targets);
  let previous: SourceDoc[] | undefined;
  if (against !== undefined) previous = fs.existsSync(against) && fs.statSync(against).isDirectory() ? loadManifests([against]) : synthAtRef(against);
  const html = await renderReview(docs, { against: previous, againstLabel: against, policy });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, html);
  console.log(`review: wrote ${out} (${Math.round(html.length / 1024)} KiB)`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { console.error(`review: ${e.message}`); process.exitCode = 1; });
