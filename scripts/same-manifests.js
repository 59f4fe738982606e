// `node scripts/same-manifests.js <dirA> <dirB>`: checks that two synth outputs hold the same objects,
// ignoring key order (arrays keep their order). For a change meant to move keys only: it lists each file
// whose text differs, and fails on any difference in a file set, a document count or a value.
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

function load(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJS();
  });
}

/** The first difference between `a` and `b` (a path and both values), or undefined. Key order is ignored. */
function difference(a, b, at = '') {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return { at, a, b };
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      if (!(k in a) || !(k in b)) return { at: `${at}.${k}`, a: a[k], b: b[k] };
      const d = difference(a[k], b[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : { at, a, b };
}

const [dirA, dirB] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node scripts/same-manifests.js <dirA> <dirB>');
  process.exit(2);
}
const files = (dir) => fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const filesA = files(dirA);
const filesB = files(dirB);
let problems = 0;
if (JSON.stringify(filesA) !== JSON.stringify(filesB)) {
  console.log(`different files: ${filesA.join(' ')} vs ${filesB.join(' ')}`);
  problems++;
}
let documents = 0;
for (const f of filesA.filter((x) => filesB.includes(x))) {
  const fa = path.join(dirA, f);
  const fb = path.join(dirB, f);
  const sameText = fs.readFileSync(fa, 'utf8') === fs.readFileSync(fb, 'utf8');
  const da = load(fa);
  const db = load(fb);
  documents += da.length;
  if (da.length !== db.length) {
    console.log(`${f}: ${da.length} documents vs ${db.length}`);
    problems++;
    continue;
  }
  let moved = 0;
  da.forEach((doc, i) => {
    const d = difference(doc, db[i]);
    if (d) {
      console.log(`${f}: document ${i} (${doc?.kind} ${doc?.metadata?.name}) differs at ${d.at || '/'}: ${JSON.stringify(d.a)} vs ${JSON.stringify(d.b)}`);
      problems++;
    } else if (JSON.stringify(doc) !== JSON.stringify(db[i])) moved++;
  });
  if (!sameText) console.log(`${f}: text differs; ${moved} document(s) with keys in another order, the same objects`);
}
console.log(`${filesA.length} files, ${documents} documents: ${problems ? `${problems} difference(s)` : 'no difference ignoring key order'}`);
process.exit(problems ? 1 : 0);
