// Fast TypeScript loader for `npm run synth` / `cdk8s synth` / the benchmark: `node -r ./scripts/register.js app.ts`.
//
// ts-node in transpile-only mode (type-checking lives in `npm run compile` and `npm test`), with an
// on-disk cache in front: each .ts file's JavaScript is cached, keyed by a hash of the source, this
// loader, tsconfig.json and the TypeScript version. A warm run therefore loads neither ts-node nor the
// TypeScript compiler (≈0.3 s) and transpiles nothing (≈0.8 s for lib/): it reads the cached files.
// (Not swc: the npm registry reachable here serves @swc/core's linux binaries only, so no lockfile
// that lists it satisfies `npm ci`.) NOOPS_TS_CACHE=off disables the cache, NOOPS_TS_CACHE_DIR moves it.
'use strict';
// The compiled code carries inline source maps: let Node map stack traces back to .ts lines.
process.setSourceMapsEnabled(true);
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const CACHE_DIR = process.env.NOOPS_TS_CACHE === 'off'
  ? undefined
  : process.env.NOOPS_TS_CACHE_DIR || path.join(ROOT, 'node_modules', '.cache', 'cdk8s-noops-ts');

let service; // ts-node, loaded only on a cache miss

/** The salt of every cache key: what else, besides the source, decides the output. */
const SALT = (() => {
  const tsVersion = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
  let tsconfig = '';
  try { tsconfig = fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'); } catch { /* defaults */ }
  return `v1|${tsVersion}|${tsconfig}|${fs.readFileSync(__filename, 'utf8')}`;
})();

function transpile(source, filename) {
  if (!service) {
    // ts-node in transpile-only mode (TypeScript's transpileModule under the hood), with tsconfig.json.
    service = require('ts-node').create({
      transpileOnly: true,
      project: path.join(ROOT, 'tsconfig.json'),
      compilerOptions: { module: 'commonjs', declaration: false, isolatedModules: true },
    });
  }
  return service.compile(source, filename);
}

function compileCached(source, filename) {
  if (!CACHE_DIR) return transpile(source, filename);
  const key = crypto.createHash('sha1').update(SALT).update('\0').update(filename).update('\0').update(source).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const code = transpile(source, filename);
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file); // atomic: concurrent runs never read half a file
    } catch { /* a read-only tree still works, just slower */ }
    return code;
  }
}

require.extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compileCached(fs.readFileSync(filename, 'utf8'), filename), filename);
};
