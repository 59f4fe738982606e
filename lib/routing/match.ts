import { fail, show } from '../core';
import { MatchCondition, StringMatchSpec, describeConditions } from './model';

/**
 * The match vocabulary of routes (CanaryRelease's stages): how users write the conditions the
 * routing model holds as {@link MatchCondition}s.
 */

/** How a header, URI or authority value is matched. @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#StringMatch */
export class StringMatch implements StringMatchSpec {
  /** The whole value equals `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /** The value starts with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }

  /**
   * The whole value matches the RE2 regular expression `pattern` (Envoy anchors it: `yoichi` matches
   * only `yoichi`). Checked with RE2 at synth time: no lookaround, no backreferences, at most 1,024
   * characters. @see https://github.com/google/re2/wiki/Syntax
   */
  public static regex(pattern: string): StringMatch {
    return new StringMatch('regex', pattern);
  }

  private constructor(
    /** `exact`, `prefix` or `regex`. */
    public readonly kind: 'exact' | 'prefix' | 'regex',
    /** The value or pattern. */
    public readonly value: string,
  ) {}

  /** E.g. `regex 'yoichi'`. */
  public toString(): string {
    return `${this.kind} ${show(this.value)}`;
  }
}

/** One `match` block of an HTTP route: every condition must hold (AND). Build with the static factories, combine with {@link and}. */
export class RouteMatch {
  /** A request header (lowercase name) matching `match`; a plain string means exact. */
  public static header(name: string, match: StringMatch | string): RouteMatch {
    return new RouteMatch([{ type: 'header', name, match: typeof match === 'string' ? StringMatch.exact(match) : match }]);
  }

  /**
   * A cookie `name` with exactly `value` (rendered as an RE2 regex on the `cookie` header, which is how
   * Istio matches cookies).
   */
  public static cookie(name: string, value: string): RouteMatch {
    checkCookie(name, value);
    return new RouteMatch([{ type: 'header', name: 'cookie', match: StringMatch.regex(cookieRegex(name, value)) }]);
  }

  /** The URI path starts with `prefix` (which starts with '/'). */
  public static uriPrefix(prefix: string): RouteMatch {
    return new RouteMatch([{ type: 'uri', match: StringMatch.prefix(prefix) }]);
  }

  /** The URI path matches `match`. */
  public static uri(match: StringMatch): RouteMatch {
    return new RouteMatch([{ type: 'uri', match }]);
  }

  /** The request's host (`:authority`) matches `match`. */
  public static authority(match: StringMatch): RouteMatch {
    return new RouteMatch([{ type: 'authority', match }]);
  }

  private constructor(
    /** The conditions, in the order they were combined (not yet validated: see lib/routing/http-match.ts). */
    public readonly conditions: readonly MatchCondition[],
  ) {}

  /** This match AND `other` (one Istio `match` block with both conditions). */
  public and(other: RouteMatch): RouteMatch {
    return new RouteMatch([...this.conditions, ...other.conditions]);
  }

  /**
   * True when the match selects (practically) every request: each condition is a URI prefix '/', a URI
   * regex '.*', '.+', '/.*' or '/.+', or an authority regex '.*' or '.+' (optionally anchored with '^'
   * and '$', e.g. '^/.*$').
   */
  public get isCatchAll(): boolean {
    return this.conditions.length > 0 && this.conditions.every(isCatchAllCondition);
  }

  /** E.g. `header user regex 'yoichi' and uri prefix '/api'`. */
  public toString(): string {
    return describeConditions(this.conditions);
  }
}

function isCatchAllCondition(c: MatchCondition): boolean {
  if (c.type === 'header') return false;
  if (c.type === 'uri' && c.match.kind === 'prefix') return c.match.value === '/';
  if (c.match.kind !== 'regex') return false;
  // Envoy anchors the regex anyway: '^/.*$' is '/.*'. Strip one leading '^' and one unescaped trailing '$'.
  let re = c.match.value.startsWith('^') ? c.match.value.slice(1) : c.match.value;
  if (re.endsWith('$') && !re.endsWith('\\$')) re = re.slice(0, -1);
  return (c.type === 'uri' ? ['.*', '.+', '/.*', '/.+'] : ['.*', '.+']).includes(re);
}

/** An RFC 6265 cookie name token. */
export const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/;

function checkCookie(name: string, value: string): void {
  if (!COOKIE_NAME.test(name)) fail('RouteMatch', `cookie name ${show(name)} is not a cookie name token`, 'use letters, digits and !#$%&\'*+.^_`|~-');
  if (!COOKIE_VALUE.test(value)) fail('RouteMatch', `cookie ${name} value ${show(value)} is not a cookie value`, 'use printable ASCII without spaces, \'"\', \',\', \';\' or \'\\\'');
}

/** `s` with every RE2 metacharacter escaped. */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** An RE2 regex matching a `cookie` header that carries `name=value` (anywhere in the list). */
export function cookieRegex(name: string, value: string): string {
  return `^(.*?;\\s*)?${escapeRegex(name)}=${escapeRegex(value)}(;.*)?$`;
}
