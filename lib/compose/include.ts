// Compose `include`: the services, volumes, networks, configs and secrets of other Compose files,
// merged into the document before anything else (as Docker Compose does), each keeping its own file
// and lines for messages. Relative paths in an included file are relative to its own directory.
// @see https://docs.docker.com/reference/compose-file/include/
import * as fs from 'fs';
import * as path from 'path';
import { Json } from '../k8s-object';
import { show } from '../core';
import { isInside, realOrSelf } from './files';
import { ComposeSource } from './parse';

const KINDS = ['services', 'volumes', 'networks', 'configs', 'secrets'] as const;
/** How deep includes may nest (a cycle is refused before). */
const MAX_DEPTH = 10;

/** What {@link resolveIncludes} needs. */
export interface IncludeContext {
  /** `ComposeApp '<id>'`. */
  readonly owner: string;
  /** The project directory (the main file's). */
  readonly baseDir: string;
  /** Whether included files may lie outside the project directory. */
  readonly allowOutside: boolean;
}

/**
 * Merges the files `source`'s `include` names (recursively) into it, then removes `include`; returns
 * notes. Fails on a missing file, one outside the project directory, a cycle, or an entry defined twice.
 */
export function resolveIncludes(source: ComposeSource, ctx: IncludeContext): string[] {
  const notes: string[] = [];
  include(source, ctx.baseDir, ctx, [source.file ? path.resolve(source.file) : '(document)'], notes);
  return notes;
}

function include(source: ComposeSource, dir: string, ctx: IncludeContext, chain: string[], notes: string[]): void {
  const list = source.data.include;
  if (list === undefined) return;
  delete source.data.include;
  const fail = (at: Array<string | number>, problem: string, fix: string): never => {
    throw new Error(`${ctx.owner}: ${source.where(at)} ${problem}; ${fix}`);
  };
  (list as Array<string | Json>).forEach((entry, i) => {
    const spec: Json = typeof entry === 'string' ? { path: entry } : entry;
    if (spec.project_directory !== undefined || spec.env_file !== undefined) {
      fail(['include', i], `sets ${spec.project_directory !== undefined ? 'project_directory' : 'env_file'}, which ComposeApp does not support`,
        'remove it (paths in an included file are relative to that file, and variables come from the main project), or convert the output of docker compose config');
    }
    for (const p of [spec.path].flat() as string[]) {
      const abs = path.resolve(dir, p);
      let real: string;
      try {
        real = fs.realpathSync(abs);
      } catch {
        return fail(['include', i], `includes ${show(p)}, which does not exist (looked at ${abs})`, 'fix the path (relative to the including file)');
      }
      if (!ctx.allowOutside && !isInside(realOrSelf(ctx.baseDir), real)) {
        fail(['include', i], `includes ${show(p)}, which is outside the project directory ${realOrSelf(ctx.baseDir)}`, 'move it into the project directory, or set allowOutside (CLI: --allow-outside) if you trust it');
      }
      if (chain.includes(real)) fail(['include', i], `includes ${show(p)}, which includes this file again (${[...chain, real].map((f) => path.basename(f)).join(' → ')})`, 'remove the cycle');
      if (chain.length > MAX_DEPTH) fail(['include', i], `nests includes more than ${MAX_DEPTH} deep`, 'include fewer levels');
      const display = source.file ? path.join(path.dirname(source.file), p) : p;
      const inc = ComposeSource.fromYaml(fs.readFileSync(real, 'utf8'), display);
      const incDir = path.dirname(real);
      include(inc, incDir, ctx, [...chain, real], notes);
      rebasePaths(inc.data, incDir, ctx.baseDir);
      for (const kind of KINDS) {
        for (const name of Object.keys(inc.data[kind] ?? {})) {
          if (source.data[kind]?.[name] !== undefined) {
            fail([kind, name], `${kind.slice(0, -1)} ${show(name)} is defined here and in the included ${display}`, 'define it once (Compose refuses the conflict too)');
          }
          source.adopt(kind, name, inc);
        }
      }
      notes.push(`included ${display}: ${KINDS.flatMap((k) => Object.keys(inc.data[k] ?? {}).map((n) => `${k}.${n}`)).join(', ') || 'nothing'}`);
    }
  });
}

/** Rewrites the relative host paths of an included document (written relative to `from`) to be relative to `to`. */
function rebasePaths(doc: Json, from: string, to: string): void {
  if (path.resolve(from) === path.resolve(to)) return;
  for (const s of Object.values((doc.services ?? {}) as Record<string, Json>)) if (s) rebaseServicePaths(s, from, to);
  const rebase = (p: string) => (path.isAbsolute(p) || p.startsWith('~') ? p : path.relative(to, path.resolve(from, p)) || '.');
  for (const kind of ['configs', 'secrets']) {
    for (const def of Object.values((doc[kind] ?? {}) as Record<string, Json>)) if (def && typeof def.file === 'string') def.file = rebase(def.file);
  }
}

/** Rewrites the relative host paths (env_file, bind mounts) of service `s`, written relative to `from`, to be relative to `to`. */
export function rebaseServicePaths(s: Json, from: string, to: string): void {
  if (path.resolve(from) === path.resolve(to)) return;
  const rebase = (p: string) => (path.isAbsolute(p) || p.startsWith('~') ? p : path.relative(to, path.resolve(from, p)) || '.');
  const hostPath = (p: string) => p.startsWith('.') || p.startsWith('/') || p.startsWith('~');
  if (typeof s.env_file === 'string') s.env_file = rebase(s.env_file);
  else if (Array.isArray(s.env_file)) s.env_file = s.env_file.map((e: string | Json) => (typeof e === 'string' ? rebase(e) : { ...e, path: rebase(e.path) }));
  if (Array.isArray(s.volumes)) {
    s.volumes = s.volumes.map((v: string | Json) => {
      if (typeof v === 'string') {
        const [src, ...rest] = v.split(':');
        return rest.length && hostPath(src) ? [rebase(src), ...rest].join(':') : v;
      }
      return v.type === 'bind' && typeof v.source === 'string' ? { ...v, source: rebase(v.source) } : v;
    });
  }
}
