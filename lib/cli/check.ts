// `cdk8s-noops check [paths...] [--json] [--policy=warn|error|off]`: audits synthesized manifests (default dist/).
// Exit 0 clean (warnings allowed), 1 on any ERROR (or POLICY with --policy=error), 2 on a usage error, when
// the targets hold no document at all, or when the audit itself fails (it then judged nothing).
import * as fs from 'fs';
import { audit, formatFinding, PolicyMode } from '../audit';
import { CliIo, CONSOLE_IO } from './io';

/** Usage of `cdk8s-noops check`. */
export const CHECK_USAGE = `usage: cdk8s-noops check [file or folder ...] [--json] [--policy=warn|error|off]

Audits synthesized manifests (default: dist/): schemas (Kubernetes, Istio, Service Catalog), names and
labels, cross-references (Service selectors and ports, Ingress backends, HPA and PDB targets, Istio
routes and subsets, Secret and ConfigMap keys) and hardening (Pod Security "restricted").

options:
  --json                    print the report as JSON
  --policy=warn|error|off   how hardening findings count (default: warn; error makes them fail)
  -h, --help                this help
  --version                 the version of cdk8s-noops

exit codes: 0 clean (warnings allowed), 1 findings, 2 usage error or nothing to audit`;

/** The `check` sub-command. Returns the exit code. */
export function checkMain(argv: readonly string[], io: CliIo = CONSOLE_IO): number {
  let json = false;
  let policy = PolicyMode.WARN;
  const targets: string[] = [];
  const usage = (problem: string) => {
    io.err(`check: ${problem}\n${CHECK_USAGE}`);
    return 2;
  };
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg.startsWith('--policy=')) {
      const mode = arg.slice('--policy='.length) as PolicyMode;
      if (!Object.values(PolicyMode).includes(mode)) return usage(`unknown policy mode '${mode}'`);
      policy = mode;
    } else if (arg === '--help' || arg === '-h') {
      io.out(CHECK_USAGE);
      return 0;
    } else if (arg.startsWith('-')) return usage(`unknown option '${arg}'`);
    else targets.push(arg);
  }
  if (targets.length === 0) targets.push('dist');
  for (const t of targets) if (!fs.existsSync(t)) return usage(`'${t}' does not exist${t === 'dist' ? ' (run cdk8s synth first)' : ''}`);
  let report;
  try {
    report = audit(targets, { policy });
  } catch (e) {
    io.err(`check: could not audit ${targets.join(' ')}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (report.documents === 0) {
    return usage(`no manifests found in ${targets.join(' ')} (no .yaml/.yml file with a document); check the path, or run cdk8s synth first`);
  }
  if (json) {
    io.out(JSON.stringify(report, null, 2));
  } else {
    for (const f of report.findings) io.out(formatFinding(f));
    io.out(`check: ${report.documents} documents, ${report.errors} errors, ${report.policy} policy, ${report.warnings} warnings (policy ${policy})`);
  }
  return report.ok ? 0 : 1;
}
