import { RE2 } from 're2-wasm';
import { fail, show } from '../core';

/**
 * RE2 checks for the regexes a route matches with. Envoy (Istio) compiles them with Google's RE2, and
 * so do most Gateway API implementations for `RegularExpression` matches.
 */

/** Largest regex Istio accepts in a StringMatch. */
export const MAX_REGEX_LENGTH = 1024;

/**
 * Checks that `pattern` is a regex Istio accepts: at most 1,024 characters and compiled by Google's
 * RE2 (through `re2-wasm`). JavaScript's `RegExp` accepts lookaround and backreferences; RE2, and so
 * Envoy, rejects them.
 */
export function checkRe2(owner: string, where: string, pattern: string): void {
  if (pattern.length > MAX_REGEX_LENGTH) {
    fail(owner, `${where} regex is ${pattern.length} characters long (${show(pattern.slice(0, 40))}...), over Istio's limit of ${MAX_REGEX_LENGTH}`, `shorten it to at most ${MAX_REGEX_LENGTH} characters (e.g. match a prefix, or split it over several routes)`);
  }
  if (pattern === '') fail(owner, `${where} regex is empty`, `use '.*' to match any value`);
  const named = nonRe2Construct(pattern);
  if (named) {
    fail(owner, `${where} regex ${show(pattern)} uses ${named}, which RE2 (Istio/Envoy) rejects although JavaScript accepts it`,
      named.includes('escape') ? 'write the character with an RE2 escape (https://github.com/google/re2/wiki/Syntax)'
        : 'rewrite it without lookaround or backreferences (e.g. list the alternatives, or use a second route)');
  }
  let re: RE2 | undefined;
  try {
    re = new RE2(pattern, 'u');
  } catch (e) {
    const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, '');
    fail(owner, `${where} regex ${show(pattern)} is rejected by RE2: ${why}`, 'fix the pattern; Istio compiles match regexes with RE2 (https://github.com/google/re2/wiki/Syntax)');
  } finally {
    (re as unknown as { wrapper?: { delete?: () => void } } | undefined)?.wrapper?.delete?.(); // free the WASM-side object
  }
}

function nonRe2Construct(src: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      const next = src[i + 1] ?? '';
      // re2-wasm rewrites these JavaScript escapes before compiling; RE2 itself (Envoy) rejects them.
      if (next === 'u') return `the JavaScript escape \\u (use \\x{00e9} for a code point)`;
      if (next === 'c') return `the control escape \\c${src[i + 2] ?? ''} (use \\x01 ... \\x1f)`;
      if (!inClass && /[1-9]/.test(next)) return `the backreference \\${next}`;
      if (!inClass && next === 'k' && src[i + 2] === '<') return 'a named backreference \\k<...>';
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(' && src[i + 1] === '?') {
      const t = src.slice(i + 2, i + 4);
      if (t[0] === '=' || t[0] === '!') return `a lookahead '(?${t[0]}'`;
      if (t === '<=' || t === '<!') return `a lookbehind '(?${t}'`;
    }
  }
  return undefined;
}
