/**
 * The only module that reads cdk8s's private fields (`ApiObject`'s `props` and `patches`, the metadata's
 * `_additionalAttributes`, `labels`, `annotations`, `finalizers`, `ownerReferences`), to render an object in
 * one pass where cdk8s takes two. Guarded twice: only for a cdk8s version in {@link CDK8S_TESTED} (the
 * parity tests in test/noops-app.test.ts run on the repository's cdk8s, and the consumer test on the
 * lowest supported one), and per object only when the fields have the shape it expects; anything else
 * takes cdk8s's own `toJson()`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, ApiObjectMetadataDefinition, JsonPatch, Lazy } from 'cdk8s';

/** The cdk8s versions the fast path was tested against: from the lowest supported (2.68.0) to the 2.70 line. */
export const CDK8S_TESTED = { from: [2, 68, 0], below: [2, 71, 0] } as const;

/** The installed cdk8s's version (from its package.json next to its entry point), or undefined. */
export function installedCdk8sVersion(): string | undefined {
  try {
    let dir = path.dirname(require.resolve('cdk8s'));
    for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s') return pkg.version;
    }
  } catch { /* not resolvable: no fast path */ }
  return undefined;
}

/** Whether `version` (x.y.z) lies in {@link CDK8S_TESTED}. */
export function cdk8sFastPathTested(version: string | undefined): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
  if (!m) return false;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  const cmp = (a: readonly number[], b: readonly number[]) => (a[0] - b[0]) || (a[1] - b[1]) || (a[2] - b[2]);
  return cmp(v, CDK8S_TESTED.from) >= 0 && cmp(v, CDK8S_TESTED.below) < 0;
}

/** Thrown by {@link resolveAndSanitize} for anything it does not handle; the object then takes `toJson()`. */
const NOT_PLAIN = Symbol('not plain');

/**
 * `ApiObject.toJson()` for an object that does not override it, in an app with the built-in resolvers:
 * the same steps (resolve Lazy values, implicit tokens and number/string unions; drop null and undefined;
 * sort keys; apply JSON patches; `apiVersion`, `kind`, `metadata` first) in one pass instead of two,
 * without cdk8s's per-value bookkeeping (a context object, a key path and an `App.of()` walk up the tree
 * for every value) and with as few throwaway objects as possible: rendering allocates, and in a large app
 * allocation is what costs (see the README's performance section). Anything unusual (a class instance in
 * the props, an own `__proto__` key, an error, CDK8S_DISABLE_SORT) falls back to `toJson()`, so errors keep
 * cdk8s's wording. One difference that only a `Lazy` with side effects can see: values are produced in
 * sorted key order, where cdk8s produces them in insertion order (and an object that falls back produces
 * its values again).
 */
export function fastToJson(o: ApiObject): any {
  const props = (o as any).props;
  if (o.toJson !== ApiObject.prototype.toJson || props === null || typeof props !== 'object' || props.constructor !== Object
    || typeof props.resolve === 'function' || process.env.CDK8S_DISABLE_SORT) return o.toJson();
  const patches: JsonPatch[] = (o as any).patches ?? [];
  try {
    const metadata = metadataJson(o);
    if (patches.length > 0) {
      // Patches address the sorted document, so build it as cdk8s does, patch it, then put the three keys first.
      const patched = JsonPatch.apply(resolveAndSanitize({ ...props, metadata }, false), ...patches);
      const result: any = {};
      for (const k of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
        if (k in patched) result[k] = patched[k];
      }
      return result;
    }
    // Without patches the result is built in its final key order directly.
    const result: any = {};
    const apiVersion = resolveAndSanitize(props.apiVersion, false);
    if (apiVersion != null) result.apiVersion = apiVersion;
    const kind = resolveAndSanitize(props.kind, false);
    if (kind != null) result.kind = kind;
    if (metadata != null) result.metadata = metadata;
    for (const k of sortedKeys(props)) {
      if (k === '__proto__') throw NOT_PLAIN;
      if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
      const v = resolveAndSanitize(props[k], false);
      if (v != null) result[k] = v;
    }
    return result;
  } catch {
    return o.toJson(); // let cdk8s throw its own error (or succeed, if the failure was ours)
  }
}

/**
 * `o.metadata.toJson()`: cdk8s resolves the metadata's fields and sanitizes them dropping empty arrays and
 * objects. Read from the fields cdk8s keeps them in (checked: a cdk8s that stores them differently, or a
 * subclass, takes `toJson()`).
 */
function metadataJson(o: ApiObject): any {
  const m = o.metadata as any;
  const extra = m._additionalAttributes;
  if (m.toJson !== ApiObjectMetadataDefinition.prototype.toJson || extra === null || typeof extra !== 'object'
    || typeof m.labels !== 'object' || typeof m.annotations !== 'object' || !Array.isArray(m.finalizers) || !Array.isArray(m.ownerReferences)) {
    return resolveAndSanitize(o.metadata.toJson(), false);
  }
  return resolveAndSanitize({
    ...extra,
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }, true);
}

/**
 * cdk8s's `sanitizeValue(resolve([], value, obj), { sortKeys: true })` for the built-in resolvers;
 * `dropEmpty` adds `filterEmptyArrays` and `filterEmptyObjects` (what metadata gets).
 */
function resolveAndSanitize(value: any, dropEmpty: boolean): any {
  for (;;) {
    if (value == null) return undefined;
    if (value instanceof Lazy) { value = value.produce(); continue; }
    if (typeof value.resolve === 'function') { value = value.resolve(); continue; }
    if (value.constructor !== Object) {
      const t = typeof value.value;
      if (t === 'number' || t === 'string') { value = { value: value.value }; continue; }
    }
    break;
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (dropEmpty && value.length === 0) return undefined;
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = resolveAndSanitize(value[i], dropEmpty);
    return out;
  }
  if (value.constructor !== Object) throw NOT_PLAIN;
  const out: any = {};
  let empty = true;
  for (const k of sortedKeys(value)) {
    if (k === '__proto__') throw NOT_PLAIN; // an own "__proto__" key: assigning it would set the prototype
    const v = resolveAndSanitize(value[k], dropEmpty);
    if (v != null) { out[k] = v; empty = false; }
  }
  return dropEmpty && empty ? undefined : out;
}

/**
 * `Object.keys(obj).sort()`. A manifest's objects have a handful of keys each, and an insertion sort in
 * place allocates nothing, where `Array.prototype.sort` allocates work arrays on every call (the largest
 * share of what rendering allocated). Same order: both compare UTF-16 code units.
 */
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    if (keys[j] < k) continue;
    while (j >= 0 && keys[j] > k) { keys[j + 1] = keys[j]; j--; }
    keys[j + 1] = k;
  }
  return keys;
}
