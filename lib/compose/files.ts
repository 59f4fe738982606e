// Host files a conversion reads (env_file, configs, bind mounts): only inside the project directory,
// after resolving symbolic links, unless the caller allows more. A Compose file from an untrusted
// change must not copy `/etc/passwd` or `../../.ci/credentials` into the manifests.
import * as fs from 'fs';
import * as path from 'path';
import { show } from '../core';
import { ComposeConversion, KeyPath } from './context';

/**
 * The real path of `file` (relative to the conversion's base directory), or `undefined` when it does
 * not exist; fails (at `at`, about `what`) when it lies outside the base directory after resolving
 * symbolic links and the `allowOutside` option is not set.
 */
export function projectPath(ctx: ComposeConversion, at: KeyPath, file: string, what: string): string | undefined {
  const given = path.resolve(ctx.baseDir, file);
  let real: string;
  try {
    real = fs.realpathSync(given);
  } catch {
    return undefined;
  }
  if (ctx.props.allowOutside) return real;
  const base = realOrSelf(ctx.baseDir);
  if (isInside(base, real)) return real;
  return ctx.err(at, `${what} ${show(file)} is ${real === given ? '' : `a link to ${real}, `}outside the project directory ${base}: its content would be copied into the manifests`,
    `move the file into the project directory, or ${ctx.advise({ option: 'allowOutside' }, 'set allowOutside: true')} if you trust this Compose file`);
}

/** Reads `file` as {@link projectPath} allows it; `undefined` when it does not exist or cannot be read. */
export function readProjectFile(ctx: ComposeConversion, at: KeyPath, file: string, what: string): { readonly path: string; readonly text: string } | undefined {
  const real = projectPath(ctx, at, file, what);
  if (real === undefined) return undefined;
  try {
    return { path: real, text: fs.readFileSync(real, 'utf8') };
  } catch {
    return undefined;
  }
}

/** True when the path `real` is `base` or below it (both real paths). */
export function isInside(base: string, real: string): boolean {
  const rel = path.relative(base, real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The real path of directory `dir`, or `dir` resolved when it does not exist. */
export function realOrSelf(dir: string): string {
  try {
    return fs.realpathSync(path.resolve(dir));
  } catch {
    return path.resolve(dir);
  }
}
