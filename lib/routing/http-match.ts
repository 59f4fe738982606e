import { fail, show } from '../core';
import { HttpMatch, MatchCondition, StringMatchSpec, describeStringMatch } from './model';
import { checkRe2 } from './re2';

/**
 * Validation of match blocks, and the one question the model asks about two of them: does one match
 * every request the other matches (so that a later route is never reached)?
 */

/** Checks the conditions of one match block and returns it as model data. `where` names it in errors (e.g. `stage 'x' route 2`). */
export function validateHttpMatch(owner: string, where: string, conditions: readonly MatchCondition[]): HttpMatch {
  const headers = new Set<string>();
  const tested = new Set<string>();
  for (const c of conditions) {
    const at = c.type === 'header' ? `${where} header ${show(c.name)}` : `${where} ${c.type}`;
    checkStringMatch(owner, at, c.match);
    if (c.type === 'header') {
      if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(c.name)) {
        fail(owner, `${where} header name ${show(c.name)} is not a lowercase HTTP header name`, `Istio matches lowercase header names only; use ${show(c.name.toLowerCase())}`);
      }
      if (headers.has(c.name)) fail(owner, `${where} matches header ${show(c.name)} twice`, 'one match block can test a header once; combine the conditions into one regex or use two routes');
      headers.add(c.name);
    } else {
      if (tested.has(c.type)) fail(owner, `${where} matches the ${c.type} twice`, `one match block can test the ${c.type} once; use two routes or a list of matches (OR)`);
      if (c.type === 'uri' && c.match.kind !== 'regex' && !c.match.value.startsWith('/')) {
        fail(owner, `${where} uri ${describeStringMatch(c.match)} does not start with '/'`, `use '/${c.match.value}'`);
      }
      tested.add(c.type);
    }
  }
  return { conditions: [...conditions] };
}

function checkStringMatch(owner: string, where: string, match: StringMatchSpec): void {
  if (match.kind !== 'regex') {
    if (match.value === '') fail(owner, `${where} ${match.kind} value is empty`, `give a value, or use StringMatch.regex('.*') to match any value`);
    return;
  }
  checkRe2(owner, where, match.value);
}

/** A match block keyed by what it tests, keys in the order first tested: `{ headers?: { name: match }, uri?, authority? }`. */
type MatchKeys = { [key: string]: StringMatchSpec | Record<string, StringMatchSpec> };

function keysOf(m: HttpMatch): MatchKeys {
  const out: MatchKeys = {};
  for (const c of m.conditions) {
    if (c.type === 'header') out.headers = { ...(out.headers as Record<string, StringMatchSpec> | undefined), [c.name]: c.match };
    else out[c.type] = c.match;
  }
  return out;
}

const plain = (m: StringMatchSpec) => JSON.stringify({ kind: m.kind, value: m.value });

/** Whether `a` and `b` test the same things the same way, in the same order. */
export function sameMatch(a: HttpMatch, b: HttpMatch): boolean {
  const text = (m: HttpMatch) => JSON.stringify(Object.entries(keysOf(m)).map(([key, v]) => [key,
    key === 'headers' ? Object.entries(v as Record<string, StringMatchSpec>).map(([name, h]) => [name, plain(h)]) : plain(v as StringMatchSpec)]));
  return text(a) === text(b);
}

/** Whether string match `a` matches every value `b` matches (conservative: false when unsure). */
function stringMatchCovers(a: StringMatchSpec, b: StringMatchSpec): boolean {
  if (plain(a) === plain(b)) return true;
  if (a.kind === 'regex' && a.value === '.*') return true;
  if (a.kind === 'prefix' && typeof a.value === 'string') {
    return (b.kind === 'prefix' && typeof b.value === 'string' && b.value.startsWith(a.value))
      || (b.kind === 'exact' && typeof b.value === 'string' && b.value.startsWith(a.value));
  }
  return false;
}

/**
 * Whether match `a` matches every request `b` matches: each thing `a` tests, `b` tests too, at least as
 * narrowly (the uri, the authority, each header by name).
 */
export function matchCovers(a: HttpMatch, b: HttpMatch): boolean {
  const ak = keysOf(a);
  const bk = keysOf(b);
  for (const [key, av] of Object.entries(ak)) {
    const bv = bk[key];
    if (bv === undefined) return false;
    if (key === 'headers') {
      for (const [name, m] of Object.entries(av as Record<string, StringMatchSpec>)) {
        const other = (bv as Record<string, StringMatchSpec>)[name];
        if (other === undefined || !stringMatchCovers(m, other)) return false;
      }
    } else if (!stringMatchCovers(av as StringMatchSpec, bv as StringMatchSpec)) return false;
  }
  return true;
}
