// The one command line, `cdk8s-noops` (lib/cli): sub-commands, --help and --version on each, exit codes.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { main } from '../lib/cli';

const ROOT = path.resolve(__dirname, '..');
const VERSION = require('../package.json').version as string;

/** Runs main() in-process and collects its output. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cdk8s-noops', () => {
  test('--version prints the package version, at the top and on each sub-command', async () => {
    for (const argv of [['--version'], ['compose', '--version'], ['check', '--version'], ['review', '--version']]) {
      const r = await run(...argv);
      expect(r).toEqual({ code: 0, out: VERSION, err: '' });
    }
  });

  test('--help prints the usage with exit 0, at the top and on each sub-command', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: cdk8s-noops <command>[\s\S]*compose[\s\S]*check[\s\S]*review/) });
    expect(await run('compose', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: cdk8s-noops compose/) });
    expect(await run('check', '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: cdk8s-noops check/) });
    expect(await run('review', '-h')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: cdk8s-noops review/) });
  });

  test('fails if no command or an unknown one is given: exit 2 with the usage', async () => {
    expect(await run()).toMatchObject({ code: 2, err: expect.stringMatching(/^usage: cdk8s-noops/) });
    expect(await run('lint')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown command 'lint'; use one of compose, check, review/) });
  });

  test('fails if a sub-command gets an unknown option: exit 2', async () => {
    expect(await run('check', '--strict')).toMatchObject({ code: 2, err: expect.stringMatching(/^check: unknown option '--strict'/) });
    expect(await run('review', '--nope')).toMatchObject({ code: 2, err: expect.stringMatching(/^review: unknown option '--nope'/) });
    expect(await run('compose', '--nope', 'x.yml')).toMatchObject({ code: 2, err: expect.stringMatching(/unknown option --nope/) });
  });

  test('check: exit 1 on findings, 0 when clean (through the bin launcher)', () => {
    const bin = (...args: string[]) => spawnSync('node', [path.join(ROOT, 'bin/cdk8s-noops.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(bin('check', 'test/fixtures/audit/good.yaml').status).toBe(0);
    expect(bin('check', 'test/fixtures/audit/vs-weights.yaml').status).toBe(1);
    expect(bin('--version').stdout.trim()).toBe(VERSION);
  });
});
