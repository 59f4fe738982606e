// Validators throw an `Error` whose message follows one shape: what, the value received, the fix —
// `WebApp 'shop': port 70000 is outside 1-65535; use a port between 1 and 65535`.

/** Formats a value for an error message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** Throws `<owner>: <problem>; <fix>`. */
export function fail(owner: string, problem: string, fix: string): never {
  throw new Error(`${owner}: ${problem}; ${fix}`);
}
