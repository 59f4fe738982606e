import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { stringifyYaml } from '../lib/synth/yaml-emitter';

// Property-based differential test of the YAML emitter against the `yaml` package.
//
// For every generated document (random JSON trees, plus every scalar of a table of tricky strings in every
// position) it checks:
//   (a) the output parses back — the `yaml` package, YAML 1.1 and YAML 1.2, strict, unique keys — to a
//       value deeply equal to the input (string keys stay strings, -0 stays -0, NaN stays NaN);
//   (b) it never quotes less than the `yaml` package: every string scalar (key or value) that
//       `YAML.stringify(doc, { lineWidth: 0, version })` writes quoted, for version 1.1 and 1.2, the emitter
//       writes quoted too, and no string it writes as a block or quoted is plain in ours (compared node by
//       node on the two outputs' CSTs, the parser's concrete syntax trees, which keep each scalar's style);
//   (c) the output holds only YAML's printable characters and no line break but `\n`.
// A failure is shrunk to a minimal document and printed with its seed.
//
// Deterministic by default; bounded by a document count and a time budget, whichever comes first.
// More: YAML_FUZZ_SEED=<n> (or `random`), YAML_FUZZ_DOCS=<n>, YAML_FUZZ_MS=<ms>; YAML_FUZZ_ONLY=<i> reruns one document.

const SEED = process.env.YAML_FUZZ_SEED === 'random' ? (Math.random() * 2 ** 32) >>> 0 : Number(process.env.YAML_FUZZ_SEED ?? 0x5eed);
const MAX_DOCS = Number(process.env.YAML_FUZZ_DOCS ?? 5000);
const BUDGET_MS = Number(process.env.YAML_FUZZ_MS ?? 2000);
const ONLY = process.env.YAML_FUZZ_ONLY === undefined ? undefined : Number(process.env.YAML_FUZZ_ONLY);

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of document `i`: each document can be regenerated on its own. */
const docSeed = (i: number) => (Math.imul(SEED ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;

/** Scalars that YAML readers are known to get wrong, or that sit on a quoting rule's edge. */
const TRICKY_SCALARS: readonly string[] = [
  // YAML 1.1 bools and nulls, in every case
  'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'nO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'oFF',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~', '',
  // letter-led exponents: floats (or NaN) for a YAML 1.1 reader
  'E1', 'e5', 'E10', 'e-3', 'E0', 'e+5', '-e5', '+E1', '.e1', '._e1', 'e', 'E', 'e1x', 'ex1', 'e_1', 'e1_0', 'E0_5',
  // numbers of YAML 1.1 and 1.2
  '0', '-0', '+0', '00', '0755', '0o755', '0o', '0x1F', '0x', '0x_', '0b101', '0b', '0b_', '0_', '1_000', '-1_0', '+1',
  '1e3', '1E-3', '1.5e+3', '1.e5', '.5', '1.', '.', '-.', '+.', '._', '1._', '.inf', '-.inf', '+.INF', '.Inf', '.NaN', '.nan', '.NAN',
  'inf', 'NaN', 'nan', 'Infinity', '-Infinity',
  '1:20', '-1:20', '190:20:30.15', '1:2:3', '1:60', '12:30:', '2024-01-01', '2024-1-1', '2024-01-01T10:00:00Z',
  '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43', '0X1F', '0B101', '0O17', '1e_3',
  // keys and values of YAML 1.1's other types
  '<<', '=', '!!str', '!!binary', '!', '!x', '&a', '*a', '? x', '?', '?x', '-', '--', '---', '---x', '--- x', '...', '....', '- x', '-x',
  // indicators, comments, structure
  ':', '::', ':x', 'x:', 'x::', 'a: b', 'a:b', 'a :b', 'a:\tb', '#', '#x', 'a #b', 'a#b', 'a\t#b', ',', 'a, b', '[', ']', '[x]', '{', '}', '{x}', '{}', '[]',
  '|', '|-', '>', '>+', "'", '"', "'x'", '"x"', 'a"b', "a'b", `a"b'c`, '%', '%YAML 1.1', '@x', '`x', '\\', 'a\\nb',
  // whitespace
  ' ', '  ', '\t', ' x', 'x ', '\tx', 'x\t', 'a\tb', ' \t ', 'a  b',
  // multi-line strings, including whitespace-only ones (a literal block cannot hold them)
  '\n', '\n\n', '\n\n\n', ' \n', '\t\n', '\n ', '\n\t', ' \n ', '  \n\n', '\t\n\t', ' \t\n', '\n \n', 'x\n', 'x\n\n', '\nx', '\n\nx',
  'a\nb', 'a\n b', ' a\nb', '  a\n b', '\ta\nb', 'a\n\tb', 'a \nb', 'a\t\nb', 'a\n \nb', 'a\n\t\nb', 'a\n  ', 'a\n\t', 'a\n \n', 'a\n\t\n',
  'x\n---\ny', 'x\n...\n', '---\n', '%x\ny', 'x\n%y', '#!/bin/sh\nset -e\necho "a: b"\n', 'a\r\nb', '\r', 'a\rb',
  // characters outside YAML's printable set, line breaks of YAML 1.1, BOM, NBSP
  '\u0000', 'a\u0001b', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', 'a\u0085b', '\u009f', '\u00a0', ' \u00a0',
  '\u2028', '\u2029', '\ufeff', 'x\ufeff', '\ufffe', '\uffff', 'x\ufffey', '\ufffd', '\ud800', '\udc00', 'a\ud800b', 'a\udfffb',
  '\ud83c\udf89', '\udf89\ud83c', '\ud800\ud800\udc00', 'héllo wörld', '日本語', '\u{10ffff}',
  // manifest-like strings
  'nginx:1.27', 'app.kubernetes.io/name', '256Mi', '100m', '0.5', '10.0.0.0/8', 'http://x.example.com:80/y?z=1#f', 'key=value', '*.example.com',
  '${VAR}', '{{ .Values.x }}', '@every 5m', '0 * * * *', 'IfNotPresent', 'RollingUpdate', 'v1', 'e2e', 'env', 'exec', 'E_VAR', 'e1-test',
];

const FRAGMENTS: readonly string[] = [
  'a', 'b', 'x', 'Z', 'e', 'E', 'y', 'n', 'o', '0', '1', '7', '9', '_', '.', '+', '-', ':', ' ', '  ', '\t', '\n', '\n\n', '\r',
  '#', '?', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '=', '<<', '~', '/', '\\',
  'yes', 'No', 'ON', 'off', 'null', 'true', '.inf', '.nan', '0x', '0b', '0o', 'e5', 'E-3', 'e+5', '---', '...', '2024-01-01', 'T10:00:00Z', '12:30',
  '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ud800', '\udc00', '\ud83c\udf89', 'é', '日',
];

const WHITESPACE_FRAGMENTS: readonly string[] = [' ', '  ', '\t', '\n', '\n', 'x', 'a b', '-', '#', ':'];

const NUMBERS: readonly number[] = [
  0, -0, 1, -1, 42, 0.5, -1.5e-7, 1e21, 1e-7, 5e-324, 1.7976931348623157e308, Number('1e400'), -Infinity, NaN,
  2 ** 53 + 2, -(2 ** 31), 0.1 + 0.2, 123456789012345680000,
];

type Rand = () => number;
const pick = <T>(r: Rand, a: readonly T[]): T => a[Math.floor(r() * a.length)];

function randomString(r: Rand): string {
  const p = r();
  if (p < 0.25) return pick(r, TRICKY_SCALARS);
  if (p < 0.35) {
    // a tricky scalar, changed a little
    const s = pick(r, TRICKY_SCALARS);
    const q = r();
    if (q < 0.25) return s.toUpperCase();
    if (q < 0.5) return pick(r, [' ', '\n', '\t', 'x', '-', '.', '0']) + s;
    if (q < 0.75) return s + pick(r, [' ', '\n', '\t', 'x', ':', '0', 'e1']);
    return s + pick(r, TRICKY_SCALARS);
  }
  if (p < 0.45) {
    // whitespace-heavy, often multi-line
    let s = '';
    for (let n = 1 + Math.floor(r() * 6); n > 0; n--) s += pick(r, WHITESPACE_FRAGMENTS);
    return s;
  }
  if (p < 0.995) {
    let s = '';
    for (let n = 1 + Math.floor(r() * 5); n > 0; n--) s += pick(r, FRAGMENTS);
    return s;
  }
  return 'k'.repeat(990 + Math.floor(r() * 40)) + pick(r, ['', ':', ' #', '\n', '"', "'"]); // near the implicit-key limit
}

function randomScalar(r: Rand): unknown {
  const p = r();
  if (p < 0.7) return randomString(r);
  if (p < 0.85) return r() < 0.5 ? pick(r, NUMBERS) : Math.floor((r() - 0.5) * 2 ** (r() * 60)) / (r() < 0.7 ? 1 : 1024);
  if (p < 0.95) return r() < 0.5;
  return null;
}

function randomTree(r: Rand, depth: number): unknown {
  const p = r();
  if (depth <= 0 || p < 0.45) return randomScalar(r);
  const size = Math.floor(r() * (r() < 0.1 ? 0 : 4));
  if (p < 0.65) return Array.from({ length: size }, () => randomTree(r, depth - 1));
  const obj: Record<string, unknown> = {};
  for (let k = 0; k < size; k++) obj[randomString(r)] = randomTree(r, depth - 1);
  return obj;
}

function randomDocument(i: number): unknown {
  const r = prng(docSeed(i));
  if (r() < 0.05) return randomScalar(r); // a top-level scalar
  const obj: Record<string, unknown> = {};
  for (let k = 1 + Math.floor(r() * 4); k > 0; k--) obj[randomString(r)] = randomTree(r, 3);
  return obj;
}

/** A JavaScript literal for `v`, keeping what JSON would lose (NaN, -0, Infinity) and escaping what is hard to see. */
function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[\x7f-\xa0\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length ? `{ ${entries.map(([k, x]) => `${show(k)}: ${show(x)}`).join(', ')} }` : '{}';
  }
  return String(v);
}

/** Why the value read back (`Map`s, from `toJS({ mapAsMap: true })`) differs from `want`, or undefined. */
function differs(got: unknown, want: unknown, at: string): string | undefined {
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return `${at}: read back ${show(got)}, want a sequence`;
    if (got.length !== want.length) return `${at}: read back ${got.length} items, want ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const d = differs(got[i], want[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (want !== null && typeof want === 'object') {
    if (!(got instanceof Map)) return `${at}: read back ${show(got)}, want a mapping`;
    const keys = Object.keys(want);
    const gotKeys = [...got.keys()];
    if (gotKeys.length !== keys.length) return `${at}: read back keys ${gotKeys.map(show).join(', ')}, want ${keys.map(show).join(', ')}`;
    for (let i = 0; i < keys.length; i++) {
      if (gotKeys[i] !== keys[i]) return `${at}: key ${show(keys[i])} read back as ${show(gotKeys[i])} (${typeof gotKeys[i]})`;
      const d = differs(got.get(keys[i]), (want as Record<string, unknown>)[keys[i]], `${at}[${JSON.stringify(keys[i])}]`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(got, want) ? undefined : `${at}: read back ${show(got)} (${typeof got}), want ${show(want)} (${typeof want})`;
}

type Version = '1.1' | '1.2';

/**
 * The `yaml` package's own output for `value`, as cdk8s writes it (`lineWidth: 0`). One Document per version,
 * reused: building its schema is most of the cost of a small `YAML.stringify`.
 */
const REFERENCE_DOCS = { '1.1': new YAML.Document(null, { version: '1.1' }), '1.2': new YAML.Document(null, { version: '1.2' }) };
function reference(value: unknown, version: Version): string {
  const doc = REFERENCE_DOCS[version];
  doc.contents = null;
  doc.contents = doc.createNode(value);
  return doc.toString({ lineWidth: 0 });
}

/** The documents of a YAML stream as CST nodes (the parser's concrete syntax tree: source styles, no schema). */
const cstDocuments = (text: string) => [...new YAML.Parser().parse(text)].filter((t): t is YAML.CST.Document => t.type === 'document');

const QUOTED = new Set(['single-quoted-scalar', 'double-quoted-scalar']);

/** How a CST node holds a scalar: `scalar` (plain), `single-quoted-scalar`, `double-quoted-scalar`, `block-scalar`. */
const styleOf = (t: YAML.CST.Token | undefined) => (t && /scalar$/.test(t.type) ? t.type : undefined);

/** The string a CST scalar holds (what a reader gets before the schema resolves it). */
const scalarValue = (t: YAML.CST.Token | undefined) =>
  YAML.CST.resolveAsScalar(t as YAML.CST.FlowScalar | YAML.CST.BlockScalar, false, () => undefined)?.value;

/** Compares how the `yaml` package (`ref`) and the emitter (`ours`) write the string `s`. */
function compareStyle(ref: YAML.CST.Token | undefined, ours: YAML.CST.Token | undefined, s: string, at: string, version: Version): string | undefined {
  const refStyle = styleOf(ref);
  const ourStyle = styleOf(ours);
  if (!ourStyle) return `${at}: the emitter wrote ${show(s)} as a ${ours?.type}`;
  // Where the yaml package's output does not read back (a BOM it writes raw at the start of a document
  // vanishes, and what follows may be read as an anchor), its CST can have the right shape but other
  // scalars in it: compare with the string written alone then.
  if (refStyle === undefined || scalarValue(ref) !== s) return compareAlone(s, at, version);
  if ((QUOTED.has(refStyle) && !QUOTED.has(ourStyle)) || (refStyle !== 'scalar' && ourStyle === 'scalar')) {
    return `${at}: the yaml package (${version}) writes ${show(s)} as a ${refStyle}, the emitter as a ${ourStyle}`;
  }
  return undefined;
}

/**
 * Compares one string written alone, as a value and as a key, for where the yaml package's output of the whole
 * document has no scalar in that place (a BOM it writes raw at the start of a document vanishes, for one).
 */
function compareAlone(s: string, at: string, version: Version): string | undefined {
  const pairs: [unknown, (d: YAML.CST.Document) => YAML.CST.Token | undefined][] = [
    [{ k: s }, (d) => (d.value as YAML.CST.BlockMap).items?.[0]?.value ?? undefined],
    [[{ [s]: 0 }], (d) => ((d.value as YAML.CST.BlockSequence).items?.[0]?.value as YAML.CST.BlockMap | undefined)?.items?.[0]?.key ?? undefined],
  ];
  for (const [doc, find] of pairs) {
    const [ref] = cstDocuments(reference(doc, version));
    const [ours] = cstDocuments(stringifyYaml(doc));
    const refToken = ref && find(ref);
    const refStyle = styleOf(refToken);
    const ourStyle = ours && styleOf(find(ours));
    // Nothing to compare with where the yaml package's output does not hold the string there.
    if (!refStyle || scalarValue(refToken) !== s) continue;
    if ((QUOTED.has(refStyle) && !QUOTED.has(ourStyle ?? '')) || (refStyle !== 'scalar' && (ourStyle ?? 'scalar') === 'scalar')) {
      return `${at}: the yaml package (${version}) writes ${show(s)} alone as a ${refStyle}, the emitter as a ${ourStyle}`;
    }
  }
  return undefined;
}

/** Walks the two CSTs in step with the input value; where the reference's shape differs, compares each string alone. */
function compareStyles(ref: YAML.CST.Token | undefined, ours: YAML.CST.Token | undefined, value: unknown, at: string, version: Version): string | undefined {
  if (typeof value === 'string') return compareStyle(ref, ours, value, at, version);
  // The entries of a block collection of `n` entries (an empty one is written `[]` or `{}`), or undefined.
  const items = (t: YAML.CST.Token | undefined, type: 'block-seq' | 'block-map', n: number): YAML.CST.BlockMap['items'] | undefined => {
    if (t?.type === type && t.items.length === n) return (t as YAML.CST.BlockMap).items;
    return n === 0 && t?.type === 'flow-collection' ? [] : undefined;
  };
  if (Array.isArray(value)) {
    const r = items(ref, 'block-seq', value.length);
    const o = items(ours, 'block-seq', value.length);
    if (!o) return `${at}: the emitter wrote a sequence as a ${ours?.type}`;
    for (let i = 0; i < value.length; i++) {
      const d = r ? compareStyles(r[i].value ?? undefined, o[i].value ?? undefined, value[i], `${at}[${i}]`, version) : compareEach(value[i], `${at}[${i}]`, version);
      if (d) return d;
    }
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const r = items(ref, 'block-map', keys.length);
    const o = items(ours, 'block-map', keys.length);
    if (!o) return `${at}: the emitter wrote a mapping as a ${ours?.type}`;
    for (let i = 0; i < keys.length; i++) {
      const x = (value as Record<string, unknown>)[keys[i]];
      const d = r
        ? compareStyle(r[i].key ?? undefined, o[i].key ?? undefined, keys[i], `${at} key ${show(keys[i])}`, version)
          ?? compareStyles(r[i].value ?? undefined, o[i].value ?? undefined, x, `${at}[${show(keys[i])}]`, version)
        : compareAlone(keys[i], `${at} key ${show(keys[i])}`, version) ?? compareEach(x, `${at}[${show(keys[i])}]`, version);
      if (d) return d;
    }
  }
  return undefined;
}

/** Every string of `value` (keys too) compared alone. */
function compareEach(value: unknown, at: string, version: Version): string | undefined {
  if (typeof value === 'string') return compareAlone(value, at, version);
  for (const [k, x] of Array.isArray(value) ? value.entries() : value !== null && typeof value === 'object' ? Object.entries(value) : []) {
    const d = (typeof k === 'string' ? compareAlone(k, `${at} key ${show(k)}`, version) : undefined) ?? compareEach(x, `${at}[${show(k)}]`, version);
    if (d) return d;
  }
  return undefined;
}

/** YAML's printable set, without the line breaks (CR, NEL, LS, PS) and BOM the emitter always escapes. */
const PRINTABLE_OUTPUT = /^[\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

/** The first violated property for the stream `docs`, or undefined. */
function violation(docs: readonly unknown[]): string | undefined {
  let text: string;
  try {
    text = stringifyYaml(...docs);
  } catch (e) {
    return `stringifyYaml threw ${(e as Error).message}`;
  }
  if (!PRINTABLE_OUTPUT.test(text)) {
    const bad = [...text].find((c) => !PRINTABLE_OUTPUT.test(c))!;
    return `(c) the output holds U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} unescaped`;
  }
  // (a): what YAML.parseAllDocuments does, with the lexer's and parser's work (the CST) shared by both versions.
  const cst = [...new YAML.Parser().parse(text)];
  for (const version of ['1.1', '1.2'] as const) {
    const parsed = [...new YAML.Composer({ version, strict: true, uniqueKeys: true }).compose(cst)];
    if (parsed.length !== docs.length) return `(a) YAML ${version}: read back ${parsed.length} documents, want ${docs.length}`;
    for (let j = 0; j < docs.length; j++) {
      const d = parsed[j];
      const problem = d.errors[0] ?? d.warnings[0];
      if (problem) return `(a) YAML ${version}: ${problem.code}: ${problem.message.split('\n')[0]}`;
      let back: unknown;
      try {
        back = d.toJS({ mapAsMap: true });
      } catch (e) {
        return `(a) YAML ${version}: document ${j}: toJS threw ${(e as Error).message}`;
      }
      const diff = differs(back, docs[j], `(a) YAML ${version}: document ${j}`);
      if (diff) return diff;
    }
  }
  // (b): source styles, from the CSTs of ours and of the yaml package's output (one CST when both versions agree).
  const ours = cst.filter((t): t is YAML.CST.Document => t.type === 'document');
  for (let j = 0; j < docs.length; j++) {
    const ref11 = reference(docs[j], '1.1');
    const ref12 = reference(docs[j], '1.2');
    for (const [version, ref] of (ref11 === ref12 ? [['1.1', ref11]] : [['1.1', ref11], ['1.2', ref12]]) as [Version, string][]) {
      const [refDoc] = cstDocuments(ref);
      const styles = compareStyles(refDoc?.value ?? undefined, ours[j].value ?? undefined, docs[j], `(b) document ${j}`, version);
      if (styles) return styles;
    }
  }
  return undefined;
}

/** Smaller variants of `v`: fewer entries, a subtree in place of its parent, shorter strings. */
function* smaller(v: unknown): Generator<unknown> {
  if (typeof v === 'string') {
    if (v.length > 1) {
      const half = v.length >> 1;
      yield v.slice(0, half);
      yield v.slice(half);
      const cps = [...v];
      for (let i = 0; i < cps.length; i++) yield cps.slice(0, i).join('') + cps.slice(i + 1).join('');
    }
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (const item of v) if (item !== null && typeof item === 'object') yield item;
    for (let i = 0; i < v.length; i++) for (const s of smaller(v[i])) yield [...v.slice(0, i), s, ...v.slice(i + 1)];
    return;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    for (let i = 0; i < entries.length; i++) yield Object.fromEntries([...entries.slice(0, i), ...entries.slice(i + 1)]);
    for (const [, x] of entries) if (x !== null && typeof x === 'object') yield x;
    for (let i = 0; i < entries.length; i++) {
      const [k, x] = entries[i];
      for (const s of smaller(x)) yield Object.fromEntries(entries.map(([kk, xx], j) => [kk, j === i ? s : xx]));
      for (const s of smaller(k) as Generator<string>) {
        if (!(s in v)) yield Object.fromEntries(entries.map(([kk, xx], j) => [j === i ? s : kk, xx]));
      }
    }
  }
}

/** Greedily shrinks a failing document to one whose every smaller variant passes. */
function shrink(doc: unknown): unknown {
  let current = doc;
  let budget = 5000;
  for (let progress = true; progress && budget > 0;) {
    progress = false;
    for (const candidate of smaller(current)) {
      if (--budget <= 0) break;
      if (violation([candidate])) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return current;
}

function report(doc: unknown, what: string): string {
  const minimal = shrink(doc);
  const out = (f: () => string) => { try { return f(); } catch (e) { return `(threw ${(e as Error).message})`; } };
  return [
    `${what}: ${violation([doc])}`,
    `minimal document: ${show(minimal)}`,
    `  ${violation([minimal])}`,
    `emitter:\n${out(() => stringifyYaml(minimal))}`,
    `yaml package, 1.1:\n${out(() => reference(minimal, '1.1'))}`,
    `yaml package, 1.2:\n${out(() => reference(minimal, '1.2'))}`,
  ].join('\n');
}

describe('the emitter against the yaml package', () => {
  test('every tricky scalar as a value, key, list item, nested, and a whole document', () => {
    // Ten scalars to a document (the yaml package slows down on large documents and long streams); each
    // scalar in documents of its own only to report a failure.
    const inPlace = (s: string) => ({ [s]: [s, [s], { [s]: s }] });
    const docs: unknown[] = [...TRICKY_SCALARS];
    for (let i = 0; i < TRICKY_SCALARS.length; i += 10) {
      const some = TRICKY_SCALARS.slice(i, i + 10);
      docs.push({ values: some, keys: Object.fromEntries(some.map((s) => [s, s])), nested: some.map(inPlace) });
    }
    const v = docs.map((doc) => violation([doc])).find((x) => x !== undefined);
    if (v) {
      const failures: string[] = [];
      for (const s of TRICKY_SCALARS) {
        for (const doc of [{ v: s }, { [s]: 'v' }, inPlace(s), { a: inPlace(s) }, s, [s]]) {
          if (violation([doc])) failures.push(report(doc, `tricky scalar ${show(s)}`));
        }
      }
      expect(failures.slice(0, 5).join('\n\n')).toEqual('');
      expect(v).toBeUndefined(); // fails only in context
    }
  });

  test('the style comparison (b) is not vacuous: it flags a plain scalar where the yaml package quotes', () => {
    const [ref] = cstDocuments('k: "yes"\n"E1":\n  - x\n');
    const [plain] = cstDocuments('k: yes\nE1:\n  - x\n');
    const [keyPlain] = cstDocuments('k: \'yes\'\nE1:\n  - x\n');
    const doc = { k: 'yes', E1: ['x'] };
    expect(compareStyles(ref.value ?? undefined, plain.value ?? undefined, doc, 'doc', '1.1')).toMatch(/doc\["k"\]: the yaml package \(1.1\) writes "yes" as a double-quoted-scalar, the emitter as a scalar/);
    expect(compareStyles(ref.value ?? undefined, keyPlain.value ?? undefined, doc, 'doc', '1.1')).toMatch(/doc key "E1": .* as a double-quoted-scalar, the emitter as a scalar/);
    expect(compareStyles(ref.value ?? undefined, ref.value ?? undefined, doc, 'doc', '1.1')).toBeUndefined();
    // A block where the yaml package quotes is flagged too; quoting where it writes plain or a block is not.
    expect(compareStyle(cstDocuments('"a\\n "')[0].value ?? undefined, cstDocuments('|-\n  a\n')[0].value ?? undefined, 'a\n ', 'v', '1.2')).toMatch(/block-scalar/);
    expect(compareStyle(cstDocuments('a')[0].value ?? undefined, cstDocuments('"a"')[0].value ?? undefined, 'a', 'v', '1.2')).toBeUndefined();
  });

  test('numbers JSON cannot hold (NaN, ±Infinity, -0) and extreme ones read back unchanged', () => {
    expect(violation([{ n: NUMBERS, m: Object.fromEntries(NUMBERS.map((n, i) => [`k${i}`, n])) }])).toBeUndefined();
  });

  test('multi-document streams read back document by document', () => {
    expect(violation([{ a: 'yes' }, ['E1', ' \n'], 'x\n---\ny', { '---': '...' }, null, 3])).toBeUndefined();
  });

  test(`random documents (seed ${SEED}, up to ${MAX_DOCS} documents or ${BUDGET_MS} ms)`, () => {
    const start = Date.now();
    const cpu = process.cpuUsage();
    let count = 0;
    const range = ONLY === undefined ? { from: 0, to: MAX_DOCS } : { from: ONLY, to: ONLY + 1 };
    for (let i = range.from; i < range.to && Date.now() - start < BUDGET_MS; i++, count++) {
      const doc = randomDocument(i);
      if (violation([doc])) {
        throw new Error(report(doc, `seed ${SEED}, document ${i} (rerun: YAML_FUZZ_SEED=${SEED} YAML_FUZZ_ONLY=${i})`));
      }
    }
    // Pairs of documents as one stream, fewer of them.
    for (let i = range.from; i < range.from + 50 && Date.now() - start < BUDGET_MS; i += 2) {
      const docs = [randomDocument(i), randomDocument(i + 1)];
      const v = violation(docs);
      if (v) throw new Error(`seed ${SEED}, documents ${i} and ${i + 1} as one stream: ${v}\n${show(docs)}`);
    }
    expect(count).toBeGreaterThan(ONLY === undefined ? 100 : 0);
    // eslint-disable-next-line no-console
    if (process.env.YAML_FUZZ_VERBOSE) console.log(`${count} random documents in ${Date.now() - start} ms, ${Math.round(process.cpuUsage(cpu).user / 1000)} ms CPU (seed ${SEED})`);
  });

  // Optional: the other readers the fuzzing used. Each runs only where it is installed; CI does not depend on them.
  // Looked up on PATH, not run: starting python3 and kubectl just to see whether they are there costs a second.
  const onPath = (cmd: string) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, cmd)));
  const PYTHON = onPath('python3');
  const KUBECTL = onPath('kubectl');
  const withFile = <T>(text: string, read: (file: string) => T): T => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yaml-emitter-fuzz-'));
    try {
      const file = path.join(dir, 'doc.yaml');
      fs.writeFileSync(file, text);
      return read(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const asConfig = (strings: readonly string[]) => Object.fromEntries(strings.flatMap((s, i) => [[`k${i}`, s], [s, `v${i}`]]));

  (PYTHON ? test : test.skip)('optional (skipped without python3; passes without PyYAML): PyYAML reads every tricky scalar back unchanged', () => {
    const doc = { values: TRICKY_SCALARS, config: asConfig(TRICKY_SCALARS.filter((s) => s !== '')) };
    const script = [
      'import sys, json',
      'try:\n    import yaml\nexcept ImportError:\n    print(json.dumps("no PyYAML")); sys.exit(0)',
      'print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))))',
    ].join('\n');
    const back = withFile(stringifyYaml(doc), (file) => JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })));
    if (back !== 'no PyYAML') expect(back).toEqual(doc);
  });

  (KUBECTL ? test : test.skip)('optional (skipped without kubectl): kubectl (go-yaml v2) reads every tricky scalar back unchanged', () => {
    // Lone surrogates left out: there is no UTF-8 for them, and go-yaml refuses their escapes (see yaml-emitter.test.ts).
    const config = asConfig(TRICKY_SCALARS.filter((s) => s !== '' && !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))));
    const kubeconfig = {
      'apiVersion': 'v1', 'kind': 'Config', 'current-context': 'E1', 'preferences': {},
      'users': [{ name: 'u', user: { 'auth-provider': { name: 'x', config } } }],
    };
    const json = withFile(stringifyYaml(kubeconfig), (file) => JSON.parse(execFileSync('kubectl', ['config', 'view', `--kubeconfig=${file}`, '-o', 'json'], { encoding: 'utf8' })));
    expect(json['current-context']).toEqual('E1');
    expect(json.users[0].user['auth-provider'].config).toEqual(config);
  });
});
