#!/usr/bin/env node
// Launcher of the `cdk8s-noops` command (compose, check, review; see lib/cli/index.ts).
// In an installed package it runs the compiled library in build/. In a checkout (TypeScript sources
// and ts-node present, nothing built) it loads the sources through ts-node (transpile-only), as
// `npm run synth` does (scripts/register.js).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'cli', 'index.ts');
const compiled = path.join(root, 'build', 'lib', 'cli', 'index.js');

function tsNode() {
  try {
    return require(require.resolve('ts-node', { paths: [root] }));
  } catch {
    return undefined;
  }
}

let entry = compiled;
const ts = fs.existsSync(source) ? tsNode() : undefined;
if (ts) {
  // The checkout's loader (transpile-only with an on-disk cache), as `npm run synth` uses.
  require(path.join(root, 'scripts', 'register.js'));
  entry = source;
} else if (!fs.existsSync(compiled)) {
  console.error(`cdk8s-noops: neither ${compiled} (run npm run build) nor ts-node with ${source} is available`);
  process.exit(3);
}
require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`cdk8s-noops: ${e && e.stack ? e.stack : e}`); process.exitCode = 1; },
);
