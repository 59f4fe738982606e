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
