// Validates and renders a container's `resources`.
import { Json, compact, definedFields, fail, show, validateQuantity } from '../core';

/**
 * Request and limit of one resource. Quantities follow Kubernetes' grammar (`250m`, `1`, `512Mi`); a
 * finite number from a JavaScript caller (`0.5`) is accepted and rendered as its string (`'0.5'`). A field
 * given as `undefined` counts as not given: the chart's or library's default still applies.
 */
export interface ResourceRange {
  /** What the scheduler reserves. @default - the chart's or library's default */
  readonly request?: string;
  /** The hard cap; `null` removes the limit (e.g. no CPU limit, to avoid CFS throttling). @default - the chart's or library's default */
  readonly limit?: string | null;
}

/** Container resources. */
export interface Resources {
  /** CPU. @default { request: '100m', limit: '1' } */
  readonly cpu?: ResourceRange;
  /** Memory. @default { request: '128Mi', limit: '256Mi' } */
  readonly memory?: ResourceRange;
  /** Ephemeral storage (the writable layer and logs; emptyDirs count too unless in memory). @default { request: '128Mi', limit: '1Gi' } */
  readonly ephemeralStorage?: ResourceRange;
}

/** Validates and renders a `resources` block (request <= limit, quantities well-formed). */
export function renderResources(owner: string, prop: string, resources: Resources): Json {
  const requests: Json = {};
  const limits: Json = {};
  const entries: Array<[string, ResourceRange | undefined, 'cpu' | 'memory' | 'storage']> = [
    ['cpu', resources.cpu, 'cpu'], ['memory', resources.memory, 'memory'], ['ephemeral-storage', resources.ephemeralStorage, 'storage'],
  ];
  for (const [key, given, kind] of entries) {
    if (!given) continue;
    const name = key === 'ephemeral-storage' ? 'ephemeralStorage' : key;
    // JavaScript callers may pass numbers (`cpu: { request: 0.5 }`): a finite number's decimal string is a quantity.
    const text = (v: unknown, field: string): string => {
      if (typeof v === 'string') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      return fail(owner, `${prop}.${name}.${field} ${typeof v === 'number' ? String(v) : show(v)} is not a Kubernetes quantity`,
        `use a string such as ${kind === 'cpu' ? '\'250m\' or \'1\'' : '\'512Mi\' or \'1Gi\''}`);
    };
    const range = { request: given.request === undefined ? undefined : text(given.request, 'request'), limit: given.limit == null ? given.limit : text(given.limit, 'limit') };
    const req = range.request !== undefined ? validateQuantity(owner, `${prop}.${name}.request`, range.request, kind) : undefined;
    const lim = range.limit != null ? validateQuantity(owner, `${prop}.${name}.limit`, range.limit, kind) : undefined;
    if (req !== undefined && lim !== undefined && req > lim) {
      fail(owner, `${prop}.${name}.request ${show(range.request)} is greater than its limit ${show(range.limit)}`,
        `lower the request or raise the limit (or set limit: null for no ${name} limit)`);
    }
    if (range.request !== undefined) requests[key] = range.request;
    if (range.limit != null) limits[key] = range.limit;
  }
  return compact({ limits: Object.keys(limits).length ? limits : undefined, requests: Object.keys(requests).length ? requests : undefined });
}

/** `over` merged into `base` field by field: a request or limit `over` leaves `undefined` keeps the base's; `limit: null` removes it. */
export function mergeResourceRange(base: ResourceRange | undefined, over: ResourceRange | undefined): ResourceRange | undefined {
  return base || over ? { ...definedFields(base), ...definedFields(over) } : undefined;
}

/** `over` merged into `base` field by field, per resource and per request and limit (see {@link mergeResourceRange}). */
export function mergeResources(base: Resources, over: Resources): Resources {
  return compact({
    cpu: mergeResourceRange(base.cpu, over.cpu),
    memory: mergeResourceRange(base.memory, over.memory),
    ephemeralStorage: mergeResourceRange(base.ephemeralStorage, over.ephemeralStorage),
  });
}
