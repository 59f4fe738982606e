#!/usr/bin/env node
// Launcher of the `cdk8s-noops` command (`npx cdk8s-noops compose docker-compose.yml --out dist`).
// In a checkout (TypeScript sources and ts-node present) it loads the sources through ts-node
// (transpile-only), as `npm run synth` does; in an installed package it runs the compiled
// library in build/ (`npm run build`).
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'compose', 'cli.ts');
const compiled = path.join(root, 'build', 'lib', 'compose', 'cli.js');

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
  ts.register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  entry = source;
} else if (!fs.existsSync(compiled)) {
  console.error(`cdk8s-noops: neither ${compiled} (run npm run build) nor ts-node with ${source} is available`);
  process.exit(3);
}
process.exitCode = require(entry).main(process.argv.slice(2));
