// What a service gets when its file sets no resources: the WebApp defaults (noted), or, for a
// JVM's heap: a service that sets `-Xmx` (in JAVA_OPTS, ES_JAVA_OPTS, JAVA_TOOL_OPTIONS... or its
// command) needs more memory than the library's default limit, or it is OOM-killed at start.
import { mergeResourceRange } from '../k8s';
import { DEFAULT_RESOURCES, Resources, WebAppDefaults } from '../web-app';
import { ComposeConversion } from './context';
import { EnvEntry } from './env';

const MI = 1024 ** 2;
/** Memory a JVM uses beyond its heap (metaspace, threads, code cache, direct buffers): half the heap, at least this. */
const MIN_NON_HEAP = 256 * MI;

/** The largest `-Xmx` in `texts`, in bytes, with the text it was read from; `undefined` when none. */
export function maxHeap(texts: ReadonlyArray<readonly [where: string, text: string]>): { bytes: number; where: string; flag: string } | undefined {
  let best: { bytes: number; where: string; flag: string } | undefined;
  for (const [where, text] of texts) {
    for (const m of text.matchAll(/-Xmx(\d+)([kKmMgGtT]?)(?![\w])/g)) {
      const factor = { '': 1, k: 1024, m: MI, g: 1024 * MI, t: 1024 * 1024 * MI }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
      const bytes = Number(m[1]) * factor;
      if (!best || bytes > best.bytes) best = { bytes, where, flag: m[0] };
    }
  }
  return best;
}

/**
 * The memory of service `n` when its file sets none but a JVM heap flag: request the heap, limit the
 * heap plus half of it (at least 256Mi more), so that the JVM is not OOM-killed at start; noted.
 * `undefined` when it sets no `-Xmx` (the WebApp defaults apply).
 */
export function jvmResources(ctx: ComposeConversion, n: string, env: readonly EnvEntry[], command: readonly string[]): Resources | undefined {
  const heap = maxHeap([...env.filter((e) => e.value !== null).map((e) => [e.label, e.value!] as const), ...command.map((c) => ['command', c] as const)]);
  if (!heap) return undefined;
  const mi = (bytes: number) => `${Math.ceil(bytes / MI)}Mi`;
  const limit = heap.bytes + Math.max(heap.bytes / 2, MIN_NON_HEAP);
  ctx.note(`${n}: ${heap.flag} in ${heap.where} and no memory in the file: memory request ${mi(heap.bytes)} (the heap), limit ${mi(limit)} (heap + max(50%, 256Mi)); set deploy.resources to size it yourself`);
  return { memory: { request: mi(heap.bytes), limit: mi(limit) } };
}

/** Notes, once, that services `names` set no resources and get the WebApp defaults (the chart's, over the library's) but no CPU limit. */
export function noteDefaultResources(ctx: ComposeConversion, names: readonly string[]): void {
  const chart = WebAppDefaults.of(ctx.scope).resources ?? {};
  const cpu = mergeResourceRange(DEFAULT_RESOURCES.cpu, chart.cpu) ?? {};
  const memory = mergeResourceRange(DEFAULT_RESOURCES.memory, chart.memory) ?? {};
  ctx.note(`${names.join(', ')}: the file sets no resources, so the WebApp defaults apply: cpu request ${cpu.request} (no limit: none is invented), `
    + `memory request ${memory.request} and limit ${memory.limit}; set deploy.resources (limits, reservations) or mem_limit/cpus to size ${names.length === 1 ? 'it' : 'them'}`);
}
