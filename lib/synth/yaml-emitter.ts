/**
 * A small, fast, deterministic YAML emitter for plain JSON trees (what `ApiObject.toJson()` returns).
 *
 * It writes the same layout as cdk8s's `Yaml.stringify` (the `yaml` package with `lineWidth: 0`,
 * YAML 1.1 schema): block mappings and sequences indented by two, sequences indented under their key,
 * multi-line strings as literal blocks (`|`, `|-`, `|+`). For the strings real manifests hold the bytes
 * are identical to cdk8s's. Elsewhere it quotes more than the `yaml` package, never less: every string
 * scalar, key or value, that the `yaml` package quotes when it writes YAML 1.1 or YAML 1.2 (core schema),
 * this emitter quotes too. On top of that it quotes what some YAML 1.1 reader (the `yaml` package with
 * `version: '1.1'`, PyYAML, go-yaml v2 in kubectl) would resolve to something other than a string:
 * - bools and nulls in any case (`'y'`, `'N'`, `'yes'`, `'oFF'`, `'True'`, `'~'`, `'null'`) and `''`;
 * - numbers: `'0755'`, `'0o17'`, `'0b101'`, `'0x1F'`, `'1_000'`, `'1e3'`, `'1.0'`, `'.5'`, `'1.'`, `'.'`,
 *   `'.inf'`, `'.NaN'`, sexagesimals (`'1:20'`, `'190:20:30.15'`), and letter-led exponents (`'E1'`,
 *   `'e5'`, `'e-3'`: YAML 1.1's float rule needs no digit before the `e`);
 * - what go-yaml v2 alone reads as a number (`'0X1F'`, `'0B101'`, `'1e_3'`: it drops `_` and uses Go's
 *   number parsing);
 * - timestamps, by the union of the `yaml` package's and PyYAML's rules (`'2024-1-1'`,
 *   `'2001-12-14 21:59:43.'`, `'2001-12-14 21:59:43 +35'`);
 * - YAML 1.1's merge key `'<<'` and value key `'='`, single-line strings with a tab (PyYAML rejects them
 *   plain), and strings starting with a document marker (`'---x'`, `'...'`).
 * Multi-line strings that a literal block cannot hold are double-quoted: those ending in a line of spaces
 * or tabs (as the `yaml` package does) and whitespace-only ones such as `" \n"` or `"\t\n"` (the `yaml`
 * package writes them as blocks that read back as `"\n"`, or that kubectl refuses). A literal block whose
 * first line starts with a tab gets an indentation indicator (`|2-`).
 *
 * The output holds only YAML's printable characters (#x9 | #xA | #x20-#x7E | #xA0-#xD7FF | #xE000-#xFFFD |
 * #x10000-#x10FFFF) and no line break but `\n`: strings with C0 and C1 controls (tab and newline aside),
 * DEL, CR, the YAML 1.1 line breaks NEL, LS and PS, a BOM, U+FFFE or U+FFFF are double-quoted with escapes
 * (`\0`, `\x85`, `\u2028`, `\ufffe`, ...). So are lone UTF-16 surrogates (`\ud800`): no UTF-8 exists for
 * them, so written raw they would turn into U+FFFD; escaped, the `yaml` package and PyYAML read back the
 * very same string, while kubectl (go-yaml v2) refuses the file ("invalid Unicode character escape code")
 * rather than read something else.
 *
 * Every output parses back, with the `yaml` package as YAML 1.1 and as YAML 1.2, to the value it was given
 * (strings stay strings, keys included; NaN, ±Infinity and -0 stay numbers). `test/yaml-emitter.test.ts`
 * holds the tables; `test/yaml-emitter-fuzz.test.ts` checks the round trip and "never quotes less than the
 * `yaml` package" on thousands of random documents, and PyYAML and kubectl where they are installed.
 *
 * It is six to eight times faster than the `yaml` package because it never builds a Document: it walks
 * the tree once and appends to a string.
 */

/** Strings that cannot be plain scalars (the `yaml` package's rule, kept identical for identical bytes). */
const PLAIN_FORBIDDEN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/**
 * Characters that force a double-quoted string with escapes: C0/C1 controls (except tab and newline), DEL,
 * the characters YAML 1.1 treats as line breaks (NEL, LS, PS), a BOM, the non-characters U+FFFE and U+FFFF
 * (outside YAML's printable set; PyYAML and kubectl refuse them raw), and lone surrogates.
 */
const FORCE_DOUBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Characters escaped inside double quotes beyond what `JSON.stringify` escapes. */
const EXTRA_ESCAPES = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** Bool and null words of YAML 1.1 (and go-yaml v2), matched case-insensitively to be safe. */
const WORDS = /^(?:~|null|y|yes|true|on|n|no|false|off)$/i;

/** Numbers, sexagesimals and timestamps of YAML 1.1 and 1.2; only tried on strings starting with [-+.0-9eE]. */
const NUMBER_LIKE: readonly RegExp[] = [
  /^[-+]?0b[0-1_]+$/, // binary int (1.1)
  /^[-+]?0[0-7_]+$/, // octal int (1.1)
  /^[-+]?0o[0-7]+$/, // octal int (1.2)
  /^[-+]?[0-9][0-9_]*$/, // decimal int
  /^[-+]?0x[0-9a-fA-F_]+$/, // hex int
  /^[-+]?\.(?:inf|nan)$/i, // .inf, -.inf, .nan
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/, // float with exponent (1e3, 1.5E-2)
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/, // float (1.0, .5, 1.)
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // sexagesimal (1.1): 12:30, 190:20:30.15
  // timestamp: the yaml package's rule widened to PyYAML's (`43.`, an empty fraction; `+35`, any two-digit zone)
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:t|T|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/,
];

/** `e` and `E` too: YAML 1.1's float rule (the `yaml` package's) takes `E1`, `e5`, `e-3` for floats. */
const STARTS_NUMBER_LIKE = /^[-+.0-9eE]/;

/**
 * What go-yaml v2 (kubectl) reads as a number: it drops every `_`, then Go's `ParseInt(s, 0)` takes
 * `0X1F`, `0B101`, `0O17`, `0_x1` and its float rule takes `1e_3`. Tried on the string with `_` removed,
 * lower-cased (Go's prefixes are case-insensitive).
 */
const GO_YAML_INT = /^[-+]?(?:0b[01]+|0o[0-7]+|0x[0-9a-f]+|[0-9]+)$/;
const GO_YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:e[-+]?[0-9]+)?$/;

/** Document markers at the start of a line end or start a document in a plain scalar. */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)/;

/** Whether a YAML 1.1 or 1.2 reader would resolve the plain scalar `s` to something other than a string. */
function resolvesToNonString(s: string): boolean {
  if (s.length <= 5 && WORDS.test(s)) return true;
  if (s === '<<') return true; // the YAML 1.1 merge key
  if (!STARTS_NUMBER_LIKE.test(s)) return false;
  for (const re of NUMBER_LIKE) if (re.test(s)) return true;
  const t = s.replace(/_/g, '').toLowerCase();
  return GO_YAML_INT.test(t) || GO_YAML_FLOAT.test(t);
}

/**
 * Single-line strings PyYAML cannot read back as plain scalars: `=` (YAML 1.1's value key, which
 * PyYAML's constructor rejects) and any string holding a tab.
 */
function pyYamlUnsafe(s: string): boolean {
  return s === '=' || s.includes('\t');
}

const SHORT_ESCAPES: Record<string, string> = { '00': '\\0', '07': '\\a', '0b': '\\v', '1b': '\\e' };

/** A double-quoted YAML string: JSON's escapes (a subset of YAML's) plus `\xNN` for the rest. */
function doubleQuoted(s: string): string {
  let json = JSON.stringify(s);
  // A space before an escaped newline is escaped too, as the yaml package does.
  if (json.includes(' \\n')) json = json.replace(/ (?=\\n)/g, '\\ ');
  if (json.includes('\\u00')) {
    json = json.replace(/\\(\\|u00[0-9a-f]{2})/g, (m, g: string) => (g === '\\' ? m : SHORT_ESCAPES[g.slice(3)] ?? `\\x${g.slice(3)}`));
  }
  return json.replace(EXTRA_ESCAPES, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16)}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A quoted string, in the style the `yaml` package picks: single quotes only when that avoids escapes. */
function quoted(s: string): string {
  if (s.includes('"') && !s.includes("'") && !s.includes('\n') && !FORCE_DOUBLE.test(s)) return `'${s}'`;
  return doubleQuoted(s);
}

/** Trailing newlines not followed by more newlines (for re-indenting the end of a literal block). */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A literal block scalar whose content lines are indented by `indent` (the `yaml` package's algorithm). */
function literalBlock(s: string, indent: string): string {
  let endStart = s.length;
  while (endStart > 0) {
    const ch = s[endStart - 1];
    if (ch !== '\n' && ch !== '\t' && ch !== ' ') break;
    endStart--;
  }
  let end = s.substring(endStart);
  const endNl = end.indexOf('\n');
  const chomp = endNl === -1 ? '-' : s === end || endNl !== end.length - 1 ? '+' : '';
  let value = s;
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === '\n') end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  // A first content line starting with a tab needs the indicator too: without it go-yaml v2 (kubectl)
  // fails with "found a tab character where an indentation space is expected".
  if (value[startEnd] === '\t') startWithSpace = true;
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/**
 * Strings that are plain scalars for sure unless they are a bool/null word: names, paths, images, labels.
 * Checked first because it settles most strings of a manifest with one scan. A letter-led exponent
 * (`e5`, `E-3`) is left out by the lookahead, which only runs on strings starting with `e` or `E`.
 */
const SURELY_PLAIN = /^(?:[A-DF-Za-df-z_/]|[eE](?![-+]?[0-9]+$))[A-Za-z0-9_./-]*$/;

/** A string value; `indent` is where a literal block's content lines would go. */
function stringValue(s: string, indent: string): string {
  if (SURELY_PLAIN.test(s) && (s.length > 5 || !WORDS.test(s))) return s;
  if (s === '') return '""';
  if (FORCE_DOUBLE.test(s)) return doubleQuoted(s);
  const multiLine = s.includes('\n');
  if (multiLine) {
    // Blocks cannot end in a whitespace-only line; such strings are quoted (as the yaml package does). Nor can
    // they hold a string of spaces, tabs and newlines only (" \n" would read back as "\n"): quoted too.
    return /\n[\t ]+$/.test(s) || (/[\t ]/.test(s) && !/[^\n\t ]/.test(s)) ? quoted(s) : literalBlock(s, indent);
  }
  if (PLAIN_FORBIDDEN.test(s) || DOCUMENT_MARKER.test(s) || resolvesToNonString(s) || pyYamlUnsafe(s)) return quoted(s);
  return s;
}

/** A mapping key (always an implicit key: single line, never a block). */
function keyString(k: string): string {
  if (SURELY_PLAIN.test(k) && (k.length > 5 || !WORDS.test(k))) return k;
  if (k === '') return '""';
  if (FORCE_DOUBLE.test(k) || k.includes('\n')) return doubleQuoted(k);
  if (PLAIN_FORBIDDEN.test(k) || DOCUMENT_MARKER.test(k) || resolvesToNonString(k) || pyYamlUnsafe(k)) return quoted(k);
  return k;
}

/** A number as the `yaml` package writes it (`JSON.stringify`, plus `.inf`/`.nan`/`-0`). */
function numberValue(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

/** A non-collection value; `indent` is where a literal block's lines would go. */
function scalar(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string': return stringValue(v, indent);
    case 'number': return numberValue(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'bigint': return v.toString();
    case 'undefined': return 'null';
    default:
      if (v === null) return 'null';
      throw new Error(`YAML emitter: cannot render a value of type ${typeof v}; pass plain JSON data (objects, arrays, strings, numbers, booleans, null)`);
  }
}

/** Implicit keys longer than this are invalid YAML; such keys are written as explicit `? key` entries. */
const MAX_IMPLICIT_KEY = 1000;

/** Accumulates the output of one stringify call. */
class Writer {
  public out = '';

  /** Writes `obj` (non-empty) as a block mapping at `indent`; the first line starts with `first`. */
  public map(obj: Record<string, unknown>, keys: string[], indent: string, first: string): void {
    let prefix = first;
    for (const k of keys) {
      const key = keyString(k);
      if (key.length > MAX_IMPLICIT_KEY) this.out += `${prefix}? ${key}\n${indent}:`;
      else this.out += `${prefix}${key}:`;
      prefix = indent;
      this.nested(obj[k], indent);
    }
  }

  /** Writes `arr` (non-empty) as a block sequence at `indent`; the first line starts with `first`. */
  public seq(arr: readonly unknown[], indent: string, first: string): void {
    let prefix = first;
    const inner = indent + '  ';
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      const dash = prefix + '- ';
      prefix = indent;
      if (item !== null && typeof item === 'object') {
        if (Array.isArray(item)) {
          if (item.length === 0) this.out += `${dash}[]\n`;
          else this.seq(item, inner, dash);
        } else {
          const keys = Object.keys(item);
          if (keys.length === 0) this.out += `${dash}{}\n`;
          else this.map(item as Record<string, unknown>, keys, inner, dash);
        }
      } else {
        this.out += `${dash}${scalar(item, inner)}\n`;
      }
    }
  }

  /** Writes the value of a mapping entry whose `key:` was just written at `indent`. */
  private nested(v: unknown, indent: string): void {
    const inner = indent + '  ';
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) {
        if (v.length === 0) this.out += ' []\n';
        else { this.out += '\n'; this.seq(v, inner, inner); }
      } else {
        const keys = Object.keys(v);
        if (keys.length === 0) this.out += ' {}\n';
        else { this.out += '\n'; this.map(v as Record<string, unknown>, keys, inner, inner); }
      }
    } else {
      this.out += ` ${scalar(v, inner)}\n`;
    }
  }
}

/**
 * Renders one document (a plain JSON value) as YAML, ending in a newline — the same text as
 * `YAML.stringify(doc, { lineWidth: 0, version: '1.1' })` for the strings manifests hold.
 */
export function emitYamlDocument(doc: unknown): string {
  const w = new Writer();
  if (doc !== null && typeof doc === 'object') {
    if (Array.isArray(doc)) {
      if (doc.length === 0) return '[]\n';
      w.seq(doc, '', '');
    } else {
      const keys = Object.keys(doc);
      if (keys.length === 0) return '{}\n';
      w.map(doc as Record<string, unknown>, keys, '', '');
    }
    return w.out;
  }
  // A top-level string is never written as a block (a block at indent 0 could hold `---`).
  return typeof doc === 'string' && doc.includes('\n') ? `${doubleQuoted(doc)}\n` : `${scalar(doc, '  ')}\n`;
}

/**
 * Renders documents as one multi-document YAML stream, exactly like cdk8s's `Yaml.stringify(...docs)`:
 * documents separated by `---`, an `undefined` document written as an empty line.
 *
 * @example
 * fs.writeFileSync('out.k8s.yaml', stringifyYaml(...chart.toJson()));
 */
export function stringifyYaml(...docs: unknown[]): string {
  let out = '';
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) out += '---\n';
    out += docs[i] === undefined ? '\n' : emitYamlDocument(docs[i]);
  }
  return out;
}
