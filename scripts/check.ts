// `npm run check [paths...] [--json] [--policy=warn|error|off]`: audits synthesized manifests (default dist/).
// Exit 0 clean (warnings allowed), 1 on any ERROR (or POLICY with --policy=error), 2 on a usage error, when
// the targets hold no document at all, or when the audit itself fails (it then judged nothing).
import * as fs from 'fs';
import { audit, formatFinding, PolicyMode } from '../lib/audit';

const USAGE = 'usage: npm run check -- [file or folder ...] [--json] [--policy=warn|error|off]   (default: dist/)';

function main(argv: string[]): number {
  let json = false;
  let policy = PolicyMode.WARN;
  const targets: string[] = [];
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg.startsWith('--policy=')) {
      const mode = arg.slice('--policy='.length) as PolicyMode;
      if (!Object.values(PolicyMode).includes(mode)) return usage(`unknown policy mode '${mode}'`);
      policy = mode;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    } else if (arg.startsWith('-')) return usage(`unknown option '${arg}'`);
    else targets.push(arg);
  }
  if (targets.length === 0) targets.push('dist');
  for (const t of targets) if (!fs.existsSync(t)) return usage(`'${t}' does not exist${t === 'dist' ? ' (run npm run synth first)' : ''}`);
  let report;
  try {
    report = audit(targets, { policy });
  } catch (e) {
    console.error(`check: could not audit ${targets.join(' ')}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (report.documents === 0) {
    return usage(`no manifests found in ${targets.join(' ')} (no .yaml/.yml file with a document); check the path, or run npm run synth first`);
  }
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const f of report.findings) console.log(formatFinding(f));
    console.log(`check: ${report.documents} documents, ${report.errors} errors, ${report.policy} policy, ${report.warnings} warnings (policy ${policy})`);
  }
  return report.ok ? 0 : 1;
}

function usage(problem: string): number {
  console.error(`check: ${problem}\n${USAGE}`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
