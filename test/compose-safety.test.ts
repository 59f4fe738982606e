// Safe by default (issue 16): host files are read only inside the project directory (symbolic links
// resolved), and credentials never appear as literals outside a Secret.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ComposeApp, ComposeAppOptions } from '../lib';
import { main } from '../lib/cli/compose';

/** A project directory `<tmp>/project` holding `files`, beside `<tmp>/outside.env`. */
function project(files: Record<string, string>): { dir: string; root: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'noops-compose-safety-'));
  const dir = path.join(root, 'project');
  fs.mkdirSync(path.join(dir, 'conf'), { recursive: true });
  fs.writeFileSync(path.join(root, 'outside.env'), 'CI_TOKEN=from-outside\n');
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return { dir, root };
}

function convert(dir: string, yaml: string, options: ComposeAppOptions = {}) {
  fs.writeFileSync(path.join(dir, 'compose.yaml'), yaml);
  const chart = new Chart(Testing.app(), 'test');
  const app = ComposeApp.fromFile(chart, 'shop', path.join(dir, 'compose.yaml'), { onWarning: () => undefined, ...options });
  return { app, docs: Testing.synth(chart) };
}

const SERVICE = 'services:\n  a:\n    image: \'x/a:1\'\n    expose: ["80"]\n';

describe('host files stay inside the project directory', () => {
  let dirs: string[] = [];
  const make = (files: Record<string, string> = {}) => {
    const p = project(files);
    dirs.push(p.root);
    return p;
  };
  afterEach(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs = [];
  });

  test('fails if env_file is an absolute path or ../ outside the project', () => {
    const { dir } = make();
    expect(() => convert(dir, `${SERVICE}    env_file: /etc/hostname\n`))
      .toThrow(/compose.yaml:5 services.a.env_file env_file '\/etc\/hostname' is outside the project directory .*project: its content would be copied into the manifests; move the file into the project directory, or set allowOutside: true if you trust this Compose file/);
    expect(() => convert(dir, `${SERVICE}    env_file: ../outside.env\n`)).toThrow(/env_file '..\/outside.env' is outside the project directory/);
  });

  test('fails if a file in the project is a symbolic link to a file outside', () => {
    const { dir, root } = make();
    fs.symlinkSync(path.join(root, 'outside.env'), path.join(dir, 'app.env'));
    expect(() => convert(dir, `${SERVICE}    env_file: app.env\n`)).toThrow(new RegExp(`env_file 'app.env' is a link to ${path.join(root, 'outside.env').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, outside the project directory`));
  });

  test('fails if a config file or a bind-mounted file (also one inside a mounted directory) is outside', () => {
    const { dir, root } = make({ 'conf/ok.conf': 'ok' });
    expect(() => convert(dir, `${SERVICE}    configs: [c]\nconfigs:\n  c:\n    file: ../outside.env\n`)).toThrow(/compose.yaml:\d+ configs.c.file config file '..\/outside.env' is outside the project directory/);
    expect(() => convert(dir, `${SERVICE}    volumes: ['../outside.env:/etc/app.env:ro']\n`, { defaults: { bindMounts: 'configMap' as any } }))
      .toThrow(/services.a.volumes\[0\] bind mount source '..\/outside.env' is outside the project directory/);
    fs.symlinkSync(path.join(root, 'outside.env'), path.join(dir, 'conf', 'leak.conf'));
    expect(() => convert(dir, `${SERVICE}    volumes: ['./conf:/etc/app:ro']\n`, { defaults: { bindMounts: 'configMap' as any } }))
      .toThrow(/bind-mounted file 'conf\/leak.conf' is a link to .*outside.env, outside the project directory/);
  });

  test('allowOutside reads them (a trusted file); files inside the project read as before', () => {
    const { dir } = make({ 'app.env': 'GREETING=hi\n' });
    const inside = convert(dir, `${SERVICE}    env_file: app.env\n`);
    expect(JSON.stringify(inside.docs)).toContain('"value":"hi"');
    const outside = convert(dir, `${SERVICE}    env_file: ../outside.env\n`, { allowOutside: true, existingSecretName: 'creds' });
    expect(outside.app.requiredSecretKeys).toEqual({ creds: ['CI_TOKEN'] });
  });

  test('the CLI names --allow-outside', () => {
    const { dir } = make();
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `${SERVICE}    env_file: ../outside.env\n`);
    const err: string[] = [];
    const code = main(['compose', path.join(dir, 'compose.yaml'), '-o', '-'], { out: () => undefined, err: (l) => err.push(l), env: {} });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/outside the project directory .*; move the file into the project directory, or pass --allow-outside if you trust this Compose file/);
    expect(main(['compose', path.join(dir, 'compose.yaml'), '-o', '-', '-q', '--allow-outside', '--existing-secret', 'creds'], { out: () => undefined, err: () => undefined, env: {} })).toBe(0);
  });
});
