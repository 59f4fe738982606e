import { show } from '../core';

/**
 * Parses a Compose duration (`10s`, `1m30s`, `1h`, `500ms`, `2us`; a bare number is seconds) into
 * seconds, or `undefined` when the text is not a duration.
 * @see https://docs.docker.com/reference/compose-file/extension/#specifying-durations
 */
export function parseComposeDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return text >= 0 ? text : undefined;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  if (!/^((\d+(\.\d+)?)(h|m|s|ms|us|µs|ns))+$/.test(s)) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, 'µs': 1e-6, ns: 1e-9 };
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

/**
 * Converts a Compose byte size (`512m`, `1g`, `1gb`, `64M`, `100k`, `1024b`, or a number of bytes;
 * Compose units are binary: 1m = 1 MiB) into a Kubernetes quantity (`512Mi`, `1Gi`), or `undefined`.
 * @see https://docs.docker.com/reference/compose-file/extension/#specifying-byte-values
 */
export function composeBytesToQuantity(value: string | number): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? String(value) : undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(value.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (Number.isInteger(n)) return unit === '' || unit === 'b' ? String(n) : `${n}${unit.toUpperCase()}i`;
  const factor: Record<string, number> = { '': 1, 'b': 1, 'k': 1024, 'm': 1024 ** 2, 'g': 1024 ** 3 };
  return String(Math.round(n * factor[unit]));
}

/** Converts a Compose CPU count (`0.5`, `'1.5'`, `2`) into a Kubernetes CPU quantity (`500m`, `1500m`, `2`), or `undefined`. */
export function composeCpusToQuantity(value: string | number): string | undefined {
  const n = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return Number.isInteger(n) ? String(n) : `${Math.round(n * 1000)}m`;
}

/**
 * Splits a Compose `command`/`entrypoint` string the way Compose does (POSIX shell word splitting
 * without running a shell): single quotes keep everything literal, double quotes honour backslash
 * escapes of `$`, `` ` ``, `"`, `\\` and newline, a backslash outside quotes escapes the next
 * character, and unquoted whitespace separates words. Nothing is expanded: `$VAR`, `${VAR}`, `$(cmd)`,
 * `&&`, `|`, `;` and globs stay literal text. Returns the words, or a reason when a quote is not
 * closed.
 */
export function splitWords(value: string): string[] | string {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      if (i + 1 >= value.length) {
        word += c;
        inWord = true;
        continue;
      }
      const next = value[++i];
      // backslash-newline continues the line
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
    } else if (c === '\'') {
      const end = value.indexOf('\'', i + 1);
      if (end < 0) return `has an unclosed single quote at character ${i + 1}`;
      word += value.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < value.length && value[j] !== '"'; j++) {
        if (value[j] === '\\' && j + 1 < value.length && '$`"\\\n'.includes(value[j + 1])) {
          if (value[j + 1] !== '\n') word += value[j + 1];
          j++;
        } else word += value[j];
      }
      if (j >= value.length) return `has an unclosed double quote at character ${i + 1}`;
      i = j;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * Escapes text for a container's `command`, `args` or `env` value, where Kubernetes expands `$(VAR)`:
 * a literal `$(` becomes `$$(` so the text reaches the process unchanged.
 */
export function escapeKubernetesExpansion(text: string): string {
  return text.replace(/\$\(/g, '$$$$(');
}

/** One variable of an env file, as {@link parseEnvFile} reads it. */
export interface EnvFileEntry {
  /** The variable name. */
  readonly key: string;
  /**
   * The value (quotes removed, escapes of double-quoted values applied, not yet interpolated), or
   * `null` for a line holding only the name, which Compose takes from the environment.
   */
  readonly value: string | null;
  /** The 1-based line the variable starts on. */
  readonly line: number;
  /**
   * Whether Compose interpolates `$VAR`/`${VAR}` in the value: true for unquoted and double-quoted
   * values, false for single-quoted ones and for the `raw` format.
   */
  readonly interpolate: boolean;
}

/** Why an env file cannot be read: the 1-based line and the problem. */
export interface EnvFileProblem {
  /** The 1-based line at fault. */
  readonly line: number;
  /** What is wrong, e.g. `has an unterminated double-quoted value`. */
  readonly problem: string;
}

const ENV_SPACE = ' \t\v\f\r\u0085\u00a0';
const isEnvSpace = (c: string | undefined) => c !== undefined && ENV_SPACE.includes(c);
const ENV_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * Parses an env file the way Docker Compose does (compose-go's `dotenv` parser), so a service gets the
 * same environment under Kubernetes:
 * - blank lines and lines whose first non-blank character is `#` are skipped; a UTF-8 BOM is ignored;
 * - `export ` before the name is dropped; names are letters, digits, `_`, `.`, `-`, `[` and `]`,
 *   followed by `=` (or `:`, YAML style), with blanks allowed around it;
 * - `KEY` alone gives `null` (Compose takes it from the environment); `KEY=` gives the empty string;
 * - unquoted values end at the line end, at the first ` #` (a `#` not preceded by a space is part of
 *   the value, so `KEY= # x` gives `# x`, as in Compose), and are trimmed;
 * - single-quoted values are literal: no escapes except `\'`, no interpolation, may span lines;
 * - double-quoted values may span lines and honour `\"`, `\\`, `\n`, `\r`, `\t`, `\a`, `\b`, `\f`,
 *   `\v`, octal `\0NNN` and `\$` (a literal `$`); other backslashes stay as written;
 * - after a closing quote only blanks and a `#` comment may follow. This is stricter than compose-go,
 *   which reads the rest of the line as the next statement (`A="x" B=y` sets both there): such a line
 *   is an error here rather than a silent second variable.
 *
 * With `format: 'raw'` (Compose's `env_file.format: raw`, the `docker run --env-file` syntax) every
 * `KEY=VALUE` line is taken as is: no quotes removed, no escapes, no interpolation, no inline comments.
 *
 * Values are returned uninterpolated, with {@link EnvFileEntry.interpolate} telling whether Compose
 * interpolates them (a `\$` in a double-quoted value is returned as `$$`, which interpolation turns
 * into `$`).
 * @see https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax
 * @see https://github.com/compose-spec/compose-go/blob/main/dotenv/parser.go
 */
export function parseEnvFile(text: string, format?: 'raw'): EnvFileEntry[] | EnvFileProblem {
  const src = text.replace(/^\uFEFF/, '');
  return format === 'raw' ? parseRawEnvFile(src) : parseComposeEnvFile(src);
}

function parseComposeEnvFile(src: string): EnvFileEntry[] | EnvFileProblem {
  const out: EnvFileEntry[] = [];
  let i = 0;
  let line = 1;
  const lineEnd = (from: number) => {
    const e = src.indexOf('\n', from);
    return e < 0 ? src.length : e;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (isEnvSpace(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      i = lineEnd(i);
      continue;
    }
    const start = line;
    const exp = /^export[ \t]+/.exec(src.slice(i, lineEnd(i)));
    if (exp) i += exp[0].length;
    // the name, up to '=', ':' or the line end
    let j = i;
    while (j < src.length && !'=:\n'.includes(src[j])) j++;
    const key = src.slice(i, j).replace(new RegExp(`[${ENV_SPACE}]+$`), '');
    const sep = src[j];
    if (key === '') return { line: start, problem: `has no variable name${sep === '=' || sep === ':' ? ` before ${show(sep)}` : ''}` };
    if (new RegExp(`[${ENV_SPACE}]`).test(key)) return { line: start, problem: `has a space in the variable name ${show(key)}` };
    const bad = /[^\p{L}\p{N}_.\-[\]]/u.exec(key);
    if (bad) return { line: start, problem: `has the character ${show(bad[0])} in the variable name ${show(key)}` };
    if (sep === undefined || sep === '\n') {
      out.push({ key, value: null, line: start, interpolate: false });
      i = j;
      continue;
    }
    i = j + 1;
    while (isEnvSpace(src[i])) i++;
    const quote = src[i];
    if (quote !== '\'' && quote !== '"') {
      // unquoted: to the line end; ' #' starts a comment; trailing blanks are dropped
      const end = lineEnd(i);
      let value = src.slice(i, end);
      const hash = value.indexOf(' #');
      if (hash >= 0) value = value.slice(0, hash);
      out.push({ key, value: value.replace(/\s+$/, ''), line: start, interpolate: true });
      i = end;
      continue;
    }
    // quoted: to the next quote not preceded by a backslash; may span lines
    let chars = '';
    let escaped = false;
    let k = i + 1;
    for (; k < src.length; k++) {
      const ch = src[k];
      if (ch === '\n') line++;
      if (ch !== quote) {
        if (!escaped && ch === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) chars += '\\';
        escaped = false;
        chars += ch;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += ch;
        continue;
      }
      break;
    }
    if (k >= src.length) {
      return { line: start, problem: `has an unterminated ${quote === '"' ? 'double' : 'single'}-quoted value (no closing ${quote})` };
    }
    const after = src.slice(k + 1, lineEnd(k + 1));
    if (!new RegExp(`^[${ENV_SPACE}]*(#.*)?$`).test(after)) {
      return { line, problem: `has ${show(after.trim())} after the closing quote of ${key}` };
    }
    const value = quote === '"' ? expandEnvEscapes(chars) : chars;
    out.push({ key, value, line: start, interpolate: quote === '"' });
    i = k + 1 + after.length;
  }
  return out;
}

/** Backslash escapes of double-quoted env file values (POSIX `echo` style, as compose-go expands them). */
function expandEnvEscapes(value: string): string {
  return value.replace(/\\(?:0(\d{0,3})|([abfnrtv\\$]))/g, (m: string, octal: string | undefined, c: string | undefined) => {
    // compose-go turns `\0NNN` into `\NNN` for Go's UnquoteChar: exactly three octal digits, at most
    // 0377; anything else (`\012`, `\0400`, `\09`) is left as written.
    if (octal !== undefined) return /^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 0o377 ? String.fromCharCode(parseInt(octal, 8)) : m;
    // `\$` is a literal `$`: `$$` survives interpolation as one `$`
    return c === '$' ? '$$' : ENV_ESCAPES[c!];
  });
}

/** `docker run --env-file` syntax: `KEY=VALUE` taken as is, `KEY` alone from the environment. */
function parseRawEnvFile(src: string): EnvFileEntry[] | EnvFileProblem {
  const out: EnvFileEntry[] = [];
  const lines = src.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const text = lines[n].replace(/\r$/, '').replace(/^\s+/, '');
    if (text === '' || text.startsWith('#')) continue;
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    if (key === '') return { line: n + 1, problem: 'has no variable name before \'=\'' };
    if (/\s/.test(key)) return { line: n + 1, problem: `has a space in the variable name ${show(key)}` };
    out.push({ key, value: eq < 0 ? null : text.slice(eq + 1), line: n + 1, interpolate: false });
  }
  return out;
}

/** Turns `environment` (map or `KEY=VALUE` list) into entries; `null` means "take it from the shell". */
export function environmentEntries(env: unknown): Array<[string, string | null]> {
  if (Array.isArray(env)) {
    return env.map((e: string) => {
      const i = e.indexOf('=');
      return i < 0 ? [e, null] : [e.slice(0, i), e.slice(i + 1)];
    });
  }
  return Object.entries((env ?? {}) as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]);
}

/** Parses Compose `user` (`uid`, `uid:gid`); names cannot be resolved outside the image. */
export function parseUser(user: string): { readonly uid: number; readonly gid?: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(user.trim());
  if (!m) return undefined;
  return { uid: Number(m[1]), gid: m[2] === undefined ? undefined : Number(m[2]) };
}
