/** A JSON object as it appears in a manifest. */
export type Json = { [key: string]: any };

/** Removes `undefined` values and empty arrays/objects from a shallow object (for tidy manifests). */
export function compact<T extends Json>(obj: T): T {
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/** `o` without its `undefined` fields (`null` stays), so that spreading it never erases what it is spread over. */
export function definedFields<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
