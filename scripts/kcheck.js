#!/usr/bin/env node
/**
 * Runs kcheck, the independent offline auditor in ../shared/tools/kcheck, with its own locked dependencies.
 * kcheck is a second opinion that the project's maintainers have beside the repository; it is not part of
 * the package, and nothing in the build needs it. Where it is absent, `npm run kcheck` says so and exits 3,
 * and the cross-check tests (test/kcheck.test.ts) are skipped with one line.
 *
 *   npm run kcheck -- dist/ --policy=error
 *
 * kcheck refuses to start until `npm ci --prefix ../shared/tools/kcheck` has been run. On a fresh machine
 * (or where ../shared is read-only) nobody has, so this script installs a private copy instead:
 * kcheck's own .js files, its package.json and package-lock.json and the CRD files it reads are copied under
 * node_modules/.cache/kcheck/<lockfile hash>/ and `npm ci` runs there, from kcheck's own lockfile
 * (npm registry only). ../shared is never written to. A copy whose dependencies are installed is reused;
 * kcheck.js and the CRDs are replaced (by rename) whenever they differ from ../shared, so the copy never
 * lags behind. The install happens in a temporary folder renamed into place, so concurrent runs are safe.
 */
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(ROOT, '../shared');
const UPSTREAM = path.join(SHARED, 'tools/kcheck');

/** True when kcheck is beside the repository (`../shared/tools/kcheck`). */
function kcheckAvailable() {
  return fs.existsSync(path.join(UPSTREAM, 'kcheck.js'));
}

/** Every file below `dir` (relative paths), for copying a folder tree file by file. */
function walk(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory()
    ? walk(path.join(dir, e.name), path.join(prefix, e.name))
    : [path.join(prefix, e.name)]));
}

/** kcheck's own JavaScript files (kcheck.js and the modules it requires, such as cel.js). */
function kcheckSources() {
  return fs.readdirSync(UPSTREAM).filter((f) => f.endsWith('.js') && f !== 'test.js');
}

/** True when every dependency kcheck's package.json names is installed under `dir/node_modules`. */
function installed(dir) {
  const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies || {});
  return deps.every((d) => fs.existsSync(path.join(dir, 'node_modules', d, 'package.json')));
}

/** Returns the path of a kcheck.js whose dependencies are installed, installing a private copy if needed. */
function ensureKcheck() {
  if (!kcheckAvailable()) {
    throw new Error(`kcheck not found at ${UPSTREAM}: clone the project with ../shared beside it`);
  }
  if (installed(UPSTREAM)) return path.join(UPSTREAM, 'kcheck.js');

  const lock = fs.readFileSync(path.join(UPSTREAM, 'package-lock.json'));
  const hash = crypto.createHash('sha256').update(lock).digest('hex').slice(0, 12);
  const cache = path.join(ROOT, 'node_modules/.cache/kcheck');
  const base = path.join(cache, hash);
  // kcheck reads the Istio CRDs from ../../crds relative to itself: keep that shape.
  const dir = path.join(base, 'tools/kcheck');
  if (!fs.existsSync(dir) || !installed(dir)) {
    // Install into a private folder, then rename it into place: two runs at once never share a
    // half-installed node_modules (the loser of the rename drops its copy).
    fs.mkdirSync(cache, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(cache, `${hash}-`));
    try {
      const tmpDir = path.join(tmp, 'tools/kcheck');
      fs.mkdirSync(tmpDir, { recursive: true });
      for (const f of [...kcheckSources(), 'package.json', 'package-lock.json']) fs.copyFileSync(path.join(UPSTREAM, f), path.join(tmpDir, f));
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const run = spawnSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: tmpDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (run.status !== 0 || !installed(tmpDir)) {
        throw new Error(`could not install kcheck's dependencies in ${tmpDir} (npm ci exited ${run.status}):\n${run.stderr}`);
      }
      fs.rmSync(base, { recursive: true, force: true });
      try {
        fs.renameSync(tmp, base);
      } catch (e) {
        if (!fs.existsSync(dir) || !installed(dir)) throw e; // another run installed it first: use theirs
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  // Keep kcheck's sources and the CRDs it reads identical to ../shared; replace a file only when it
  // differs, by rename, so a kcheck already running never reads a half-written file.
  const sync = (from, to) => {
    const want = fs.readFileSync(from);
    if (fs.existsSync(to) && want.equals(fs.readFileSync(to))) return;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const part = `${to}.${process.pid}.tmp`;
    fs.writeFileSync(part, want);
    fs.renameSync(part, to);
  };
  for (const f of kcheckSources()) sync(path.join(UPSTREAM, f), path.join(dir, f));
  for (const f of walk(path.join(SHARED, 'crds')).filter((n) => /\.ya?ml$/.test(n))) {
    sync(path.join(SHARED, 'crds', f), path.join(base, 'crds', f));
  }
  return path.join(dir, 'kcheck.js');
}

module.exports = { ensureKcheck, kcheckAvailable };

if (require.main === module) {
  let kcheck;
  try {
    kcheck = ensureKcheck();
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(3);
  }
  const run = spawnSync(process.execPath, [kcheck, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status === null ? 3 : run.status);
}
