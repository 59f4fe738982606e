// Amounts: integers in bounds, whole seconds, and Kubernetes resource quantities.
import type { Duration } from 'cdk8s';
import { fail, show } from './errors';

/** Checks an integer within bounds. */
export function validateInt(owner: string, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}-${max}`;
  if (typeof value !== 'number') notANumber(owner, prop, value, range);
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(owner, `${prop} ${show(value)} is not ${range}`, `set ${prop} to ${range}`);
  }
}

/**
 * Refuses a non-number where a number is expected (JavaScript callers, YAML-fed values): a numeric
 * string is told to drop its quotes, anything else to pass `expected`.
 */
export function notANumber(owner: string, prop: string, value: unknown, expected: string): never {
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    fail(owner, `${prop} ${show(value)} is a string, not a number`, `write it without quotes: ${prop.replace(/^.*\./, '')}: ${value.trim()}`);
  }
  fail(owner, `${prop} ${show(value)} is not a number`, `pass ${expected}`);
}

/**
 * A Duration as a whole number of seconds >= `min`. cdk8s's `Duration.toSeconds()` throws its own
 * message (no construct, prop or fix) for a fraction such as `Duration.millis(1500)`; this reports it.
 */
export function wholeSeconds(owner: string, prop: string, d: Duration, min = 0, example?: string): number {
  const s = d.toSeconds({ integral: false });
  if (!Number.isInteger(s) || s < min) {
    fail(owner, `${prop} ${d.toHumanString()} (${s}s) is not a whole number of seconds >= ${min}`,
      `use whole seconds, e.g. ${example ?? `Duration.seconds(${Math.max(min, Math.ceil(s))})`}`);
  }
  return s;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = {
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
  'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
};

/**
 * Parses a Kubernetes resource quantity (`100m`, `0.5`, `512Mi`, `1e3`, `1.5Gi`) into a number of base
 * units, following the grammar of k8s.io/apimachinery `resource.Quantity`, or returns `undefined` when
 * the text is not a quantity (`512mb`, `100h`, `1 Gi`).
 */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const suffix = m[3] ?? '';
  const number = parseFloat(text.slice(0, text.length - suffix.length));
  if (/^[eE]/.test(suffix)) return number * 10 ** parseInt(suffix.slice(1), 10);
  return number * SUFFIX[suffix];
}

/** Checks a quantity and returns its value in base units. */
export function validateQuantity(owner: string, prop: string, text: string, kind: 'cpu' | 'memory' | 'storage'): number {
  const value = parseQuantity(text);
  const example = kind === 'cpu' ? '\'250m\' or \'1\'' : '\'512Mi\' or \'1Gi\'';
  if (value === undefined) {
    fail(owner, `${prop} ${show(text)} is not a Kubernetes quantity`,
      `use a number with an optional suffix m, k, M, G, Ki, Mi, Gi, ... (e.g. ${example})`);
  }
  if (value < 0) fail(owner, `${prop} ${show(text)} is negative`, `use a positive quantity (e.g. ${example})`);
  return value;
}
