// Validators throw a `ValidationError` whose message follows one shape: what, the value received, the fix —
// `WebApp 'shop': port 70000 is outside 1-65535; use a port between 1 and 65535`. The parts are fields
// too, so that a caller (ComposeApp) can tell which prop was refused without reading the message.

/** Formats a value for an error message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  return JSON.stringify(value);
}

/** A refused input: the message is `<owner>: <problem>; <fix>`, and each part is a field. */
export class ValidationError extends Error {
  /** Who refuses it, e.g. `WebApp 'shop'`. */
  public readonly owner: string;
  /** What is wrong, with the value received, e.g. `port 70000 is outside 1-65535`. */
  public readonly problem: string;
  /** How to fix it, e.g. `use a port between 1 and 65535`. */
  public readonly fix: string;
  /**
   * The top-level prop of the construct the problem is about (`image`, `ports`, `env`...), when the
   * check concerns one prop; `undefined` when it concerns several, or a method's argument.
   */
  public readonly prop?: string;

  public constructor(owner: string, problem: string, fix: string, prop?: string) {
    super(`${owner}: ${problem}; ${fix}`);
    this.name = 'ValidationError';
    this.owner = owner;
    this.problem = problem;
    this.fix = fix;
    this.prop = prop;
  }

  /** The same error, about `prop` (this one when it already names a prop). */
  public about(prop: string): ValidationError {
    return this.prop === undefined ? new ValidationError(this.owner, this.problem, this.fix, prop) : this;
  }
}

/** Throws a {@link ValidationError}: `<owner>: <problem>; <fix>`, about the top-level prop `prop` if given. */
export function fail(owner: string, problem: string, fix: string, prop?: string): never {
  throw new ValidationError(owner, problem, fix, prop);
}
