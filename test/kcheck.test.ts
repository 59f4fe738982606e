// Cross-checks with kcheck, the independent offline auditor the maintainers keep beside the repository
// (../shared/tools/kcheck). It is a second opinion, not part of the package: where it is absent (a plain
// clone), these tests are skipped with one line, and nothing else depends on them.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { EXAMPLE_APPS } from '../apps';
import { FIXTURE_RULES } from './support/fixture-rules';

const FIXTURES = path.join(__dirname, 'fixtures/audit');
const { ensureKcheck, kcheckAvailable } = require('../scripts/kcheck.js') as { ensureKcheck: () => string; kcheckAvailable: () => boolean };

const available = kcheckAvailable();
if (!available) {
  process.stderr.write('kcheck cross-checks skipped: ../shared/tools/kcheck is not beside this clone (nothing else needs it)\n');
}
const describeIfKcheck = available ? describe : describe.skip;

let KCHECK = '';

/** Runs kcheck (the second opinion) on `target` and returns its JSON report. */
function kcheck(target: string): { ok: boolean; errors: number; policy: number; findings: Array<{ level: string; rule: string; message: string }> } {
  const run = spawnSync('node', [KCHECK, target, '--json', '--policy=error'], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`kcheck exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describeIfKcheck('kcheck (second opinion)', () => {
  // kcheck needs its own dependencies; on a fresh machine scripts/kcheck.js installs a private copy (npm ci).
  beforeAll(() => { KCHECK = ensureKcheck(); }, 300_000);

  describe('fixtures: kcheck flags each deliberately broken manifest as npm run check does', () => {
    test.each(Object.entries(FIXTURE_RULES))('%s: flagged (%s)', (name, rule) => {
      const theirs = kcheck(path.join(FIXTURES, `${name}.yaml`));
      expect(theirs.ok).toBe(false);
      expect(theirs.findings.map((f) => f.rule)).toContain(rule);
    });

    test('the control fixture is clean', () => {
      expect(kcheck(path.join(FIXTURES, 'good.yaml')).ok).toBe(true);
    });
  });

  describe('example apps', () => {
    let outdir: string;
    beforeAll(() => {
      outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-kcheck-'));
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
      for (const e of EXAMPLE_APPS) e.build(app);
      app.synth();
    });
    afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

    test('kcheck --policy=error: clean on every example app', () => {
      const theirs = kcheck(outdir);
      expect(theirs.findings.filter((f) => f.level !== 'WARN')).toEqual([]);
      expect(theirs.ok).toBe(true);
    });
  });
});
