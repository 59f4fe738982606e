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

/**
 * Parses an env file (`KEY=VALUE` lines, `#` comments, blank lines, optional `export `, single or
 * double quotes around the value). Returns the entries, or the 1-based number of the first bad line.
 * @see https://docs.docker.com/reference/compose-file/services/#env_file-format
 */
export function parseEnvFile(text: string): Array<[string, string | null]> | number {
  const out: Array<[string, string | null]> = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=(.*))?$/.exec(line);
    if (!m) return i + 1;
    if (m[2] === undefined) {
      out.push([m[1], null]);
      continue;
    }
    let v = m[2].trim();
    const q = /^(["'])(.*)\1$/.exec(v);
    if (q) v = q[1] === '"' ? q[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : q[2];
    else v = v.replace(/\s+#.*$/, '');
    out.push([m[1], v]);
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
