// A scratch cdk8s app that installs the packed package as a user would, offline from the npm cache.
//
// `npm install --offline` cannot resolve version ranges (the cache holds tarballs, not the registry's
// package documents), so the scratch app gets a package-lock.json: its registry packages are copied from
// this repository's own lockfile (whose tarballs `npm ci` has put in the cache), and cdk8s, constructs and
// cdk8s-noops are local tarballs. cdk8s and constructs are the lowest versions the package supports
// (devDependencies `cdk8s-floor` and `constructs-floor`), not the repository's own.
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  inBundle?: boolean;
  [key: string]: unknown;
}

/** Runs npm in `cwd` and returns its stdout. */
export function npm(cwd: string, args: string[]): string {
  return execFileSync(NPM, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });
}

/** Packs `dir` (a package folder) into `dest` without running its scripts; returns the tarball's path. */
function pack(dir: string, dest: string, scripts = false): string {
  const out = npm(dir, ['pack', '--json', '--pack-destination', dest, ...(scripts ? [] : ['--ignore-scripts'])]);
  const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
  return path.join(dest, info.filename);
}

function integrity(file: string): string {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/** The lock entries (under `node_modules/...`) that `names` need, with everything they depend on. */
function closure(lock: Record<string, LockEntry>, names: string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const visit = (from: string, name: string) => {
    // Node's lookup: from/node_modules/name, then each parent's node_modules.
    for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
      const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
      if (lock[key]) {
        if (!out[key]) {
          out[key] = lock[key];
          // Nested packages bundled or installed under this one come along.
          for (const k of Object.keys(lock)) if (k.startsWith(`${key}/node_modules/`) && lock[k].inBundle) out[k] = lock[k];
          for (const dep of Object.keys({ ...lock[key].dependencies, ...lock[key].optionalDependencies })) visit(key, dep);
        }
        return;
      }
      if (!dir) throw new Error(`package-lock.json has no ${name} reachable from ${from || 'the root'}`);
    }
  };
  for (const n of names) visit('', n);
  return out;
}

/** What the scratch app is built from. */
export interface ScratchApp {
  readonly dir: string;
  readonly tarball: string;
  readonly cdk8sVersion: string;
  readonly constructsVersion: string;
}

/**
 * Packs this repository (`npm pack`, which builds it) and the floor versions of cdk8s and constructs,
 * writes a scratch app in `dir` (package.json, package-lock.json) and installs it with
 * `npm ci --offline`. Extra `files` (name → content) are written before the install.
 */
export function createScratchApp(dir: string, files: Record<string, string>): ScratchApp {
  fs.mkdirSync(dir, { recursive: true });
  const tarballs = path.join(dir, 'tarballs');
  fs.mkdirSync(tarballs, { recursive: true });
  const tarball = pack(ROOT, tarballs, true);
  const floor = (alias: string) => {
    const pkgDir = path.join(ROOT, 'node_modules', alias);
    const version = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
    return { file: pack(pkgDir, tarballs), version };
  };
  const cdk8s = floor('cdk8s-floor');
  const constructs = floor('constructs-floor');

  const repoLock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages as Record<string, LockEntry>;
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const optionalPeers = Object.keys(ours.peerDependenciesMeta ?? {});
  // @types/node: the scratch app is type-checked as a cdk8s project is (its template lists it).
  const registryDeps = [...Object.keys(ours.dependencies), ...optionalPeers, '@types/node'];
  const rel = (f: string) => `file:${path.relative(dir, f).split(path.sep).join('/')}`;

  const packages: Record<string, LockEntry> = {};
  const rootDeps: Record<string, string> = {
    'cdk8s': rel(cdk8s.file),
    'constructs': rel(constructs.file),
    'cdk8s-noops': rel(tarball),
  };
  for (const name of [...optionalPeers, '@types/node']) rootDeps[name] = repoLock[`node_modules/${name}`].version!;
  packages[''] = { name: 'scratch-app', version: '1.0.0', dependencies: rootDeps };
  Object.assign(packages, closure(repoLock, registryDeps));
  // The floor packages, with the packages they bundle (cdk8s bundles its own yaml and friends).
  for (const [alias, name, info] of [['cdk8s-floor', 'cdk8s', cdk8s], ['constructs-floor', 'constructs', constructs]] as const) {
    const { name: _alias, resolved: _r, integrity: _i, ...entry } = repoLock[`node_modules/${alias}`];
    packages[`node_modules/${name}`] = { ...entry, version: info.version, resolved: rel(info.file), integrity: integrity(info.file) };
    for (const [k, v] of Object.entries(repoLock)) {
      if (k.startsWith(`node_modules/${alias}/node_modules/`)) packages[k.replace(`node_modules/${alias}/`, `node_modules/${name}/`)] = v;
    }
    // What it depends on outside its bundle (cdk8s lists optional dependencies, too).
    const bundled = new Set((entry.bundleDependencies as string[] | undefined) ?? []);
    const deps = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }).filter((d) => !bundled.has(d));
    Object.assign(packages, closure(repoLock, deps));
  }
  packages['node_modules/cdk8s-noops'] = {
    version: ours.version,
    resolved: rel(tarball),
    integrity: integrity(tarball),
    license: ours.license,
    dependencies: ours.dependencies,
    bin: ours.bin,
    engines: ours.engines,
    peerDependencies: ours.peerDependencies,
    peerDependenciesMeta: ours.peerDependenciesMeta,
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, dependencies: rootDeps }, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'scratch-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  npm(dir, ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts']);
  return { dir, tarball, cdk8sVersion: cdk8s.version, constructsVersion: constructs.version };
}
