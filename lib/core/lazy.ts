/**
 * Returns a function that computes `make()` on its first call and returns that same value on every call
 * after: a memo with no argument, for values that are costly to build and that nothing needs at import time.
 *
 * It is the one way lib/ may hold a value at module level that is not a constant, and only for a pure cache
 * of immutable inputs: `make` must read nothing but files and packages that ship with the library (a
 * vendored CRD, a JSON schema), must have no other effect, and its value must be immutable by contract
 * (nothing writes to it, or changes how it answers, after it is made), so every caller sees the same value
 * whichever called first. Compiled schemas qualify; anything about an app (its objects, names, options, what
 * was synthesized) does not, and goes in an instance that the caller creates and passes down.
 *
 * `make` runs once, on the first call that needs it; when it throws, nothing is kept and the next call runs it again.
 *
 * @example
 * const sharedCatalog = lazy(() => new SchemaCatalog({ readOnly: true }));
 * sharedCatalog() === sharedCatalog(); // true, and the schemas were compiled on the first call only
 */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
