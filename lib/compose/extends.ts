// Compose `extends`: a service starts from another service (of this file or another one) and
// overrides it, with Compose's merge rules: mappings merge key by key, `environment` and `labels`
// merge by name, `ports`, `expose`, `dns`, `tmpfs` and the like add up, `volumes` merge by target,
// anything else (`command`, `entrypoint`, scalars) is replaced.
// @see https://docs.docker.com/reference/compose-file/extends/
// @see https://github.com/compose-spec/compose-spec/blob/main/13-merge.md
import * as fs from 'fs';
import * as path from 'path';
import { Json } from '../k8s-object';
import { show } from '../core';
import { isInside, realOrSelf } from './files';
import { rebaseServicePaths } from './include';
import { ComposeSource } from './parse';

/** Sequences that add up (unique entries). */
const ADDED: ReadonlySet<string> = new Set(['ports', 'expose', 'external_links', 'dns', 'dns_search', 'dns_opt', 'tmpfs', 'cap_add', 'cap_drop', 'security_opt', 'profiles', 'env_file', 'configs', 'secrets', 'devices', 'links']);
/** Lists of `KEY=VALUE` that merge by key. */
const BY_NAME: ReadonlySet<string> = new Set(['environment', 'labels', 'annotations', 'extra_hosts', 'sysctls']);

/** What {@link resolveExtends} needs. */
export interface ExtendsContext {
  /** `ComposeApp '<id>'`. */
  readonly owner: string;
  /** The project directory. */
  readonly baseDir: string;
  /** Whether extended files may lie outside the project directory. */
  readonly allowOutside: boolean;
}

/** Replaces every service's `extends` with the merged service; fails on a missing service or file, or a cycle. */
export function resolveExtends(source: ComposeSource, ctx: ExtendsContext): void {
  const services: Record<string, Json> = source.data.services ?? {};
  const done = new Set<string>();
  const resolve = (name: string, chain: string[]): Json => {
    const s = services[name];
    if (!s || s.extends === undefined || done.has(name)) return s;
    const at = ['services', name, 'extends'];
    const fail = (problem: string, fix: string): never => {
      throw new Error(`${ctx.owner}: ${source.where(at)} ${problem}; ${fix}`);
    };
    const spec: Json = typeof s.extends === 'string' ? { service: s.extends } : s.extends;
    let base: Json;
    if (spec.file === undefined) {
      if (chain.includes(spec.service)) fail(`extends ${show(spec.service)}, which extends ${name} again (${[...chain, spec.service].join(' → ')})`, 'remove the cycle');
      if (!services[spec.service]) fail(`extends ${show(spec.service)}, which is not a service of this file`, `use one of ${Object.keys(services).join(', ')}`);
      base = resolve(spec.service, [...chain, spec.service]);
    } else {
      const abs = path.resolve(ctx.baseDir, spec.file);
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch {
        return fail(`extends a service of ${show(spec.file)}, which does not exist (looked at ${abs})`, 'fix the path (relative to the Compose file)');
      }
      if (!ctx.allowOutside && !isInside(realOrSelf(ctx.baseDir), real)) fail(`extends a service of ${show(spec.file)}, which is outside the project directory`, 'move it into the project, or set allowOutside (CLI: --allow-outside)');
      const other = ComposeSource.fromYaml(fs.readFileSync(real, 'utf8'), spec.file);
      if (!other.data.services?.[spec.service]) fail(`extends ${show(spec.service)}, which is not a service of ${spec.file}`, `use one of ${Object.keys(other.data.services ?? {}).join(', ')}`);
      if (other.data.services[spec.service].extends !== undefined) fail(`extends ${show(spec.service)} of ${spec.file}, which extends another service itself`, 'convert the output of docker compose config, which resolves every level');
      base = JSON.parse(JSON.stringify(other.data.services[spec.service]));
      rebaseServicePaths(base, path.dirname(real), ctx.baseDir);
    }
    const { extends: _e, ...own } = s;
    const merged = mergeService(base, own);
    services[name] = merged;
    done.add(name);
    return merged;
  };
  for (const name of Object.keys(services)) resolve(name, [name]);
}

/** `over` laid on `base` with Compose's merge rules. */
export function mergeService(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    if (b === undefined || v === null || typeof v !== 'object' || typeof b !== 'object' || b === null) out[k] = v;
    else if (BY_NAME.has(k)) out[k] = { ...asMap(b), ...asMap(v) };
    else if (k === 'volumes' && Array.isArray(b) && Array.isArray(v)) out[k] = mergeBy(b, v, volumeTarget);
    else if (ADDED.has(k) && Array.isArray(b) && Array.isArray(v)) out[k] = [...b, ...v.filter((x: unknown) => !b.some((y: unknown) => JSON.stringify(y) === JSON.stringify(x)))];
    else if (!Array.isArray(b) && !Array.isArray(v)) out[k] = k === 'healthcheck' || k === 'deploy' || k === 'build' ? mergeService(b, v) : { ...b, ...v };
    else out[k] = v;
  }
  return out;
}

function asMap(v: Json): Record<string, unknown> {
  if (!Array.isArray(v)) return v;
  return Object.fromEntries(v.map((e: string) => {
    const eq = String(e).indexOf('=');
    return eq < 0 ? [e, null] : [String(e).slice(0, eq), String(e).slice(eq + 1)];
  }));
}

function volumeTarget(v: string | Json): string {
  if (typeof v !== 'string') return String(v.target);
  const parts = v.split(':');
  return parts.length === 1 ? parts[0] : parts[1];
}

function mergeBy<T>(base: T[], over: T[], key: (x: T) => string): T[] {
  const keys = new Set(over.map(key));
  return [...base.filter((x) => !keys.has(key(x))), ...over];
}
