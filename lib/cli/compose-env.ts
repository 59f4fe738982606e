// The variables `cdk8s-noops compose` interpolates with, from the same places as Docker Compose:
// the `.env` file beside the Compose file (or the --env-file files instead), then the shell
// environment over them, then --var over everything.
// @see https://docs.docker.com/compose/how-tos/environment-variables/envvars-precedence/
import * as fs from 'fs';
import * as path from 'path';
import { interpolateString } from '../compose/parse';
import { parseEnvFile } from '../compose';

/** Where the variables come from. */
export interface VariableSources {
  /** The Compose file (its directory holds the default `.env`). */
  readonly composeFile: string;
  /** `--env-file` files; when given, `.env` is not read (as Docker Compose does). */
  readonly envFiles: readonly string[];
  /** The shell environment. */
  readonly shell: Readonly<Record<string, string | undefined>>;
  /** `--var` values. */
  readonly explicit: Readonly<Record<string, string>>;
}

/** The variables and the files they were read from. Throws `<file>:<line>: <problem>; <fix>` on a bad env file. */
export function composeVariables(src: VariableSources): { readonly variables: Record<string, string>; readonly read: string[] } {
  const shell: Record<string, string> = {};
  for (const [k, v] of Object.entries(src.shell)) if (v !== undefined) shell[k] = v;
  const dotEnv = path.join(path.dirname(path.resolve(src.composeFile)), '.env');
  const files = src.envFiles.length ? src.envFiles : fs.existsSync(dotEnv) ? [dotEnv] : [];
  const fromFiles: Record<string, string> = {};
  const read: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`--env-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`);
    }
    read.push(file);
    const entries = parseEnvFile(text);
    if (!Array.isArray(entries)) throw new Error(`${file}:${entries.line}: ${entries.problem}; fix that line (KEY=VALUE, # comments)`);
    for (const e of entries) {
      if (e.value === null) {
        if (shell[e.key] !== undefined) fromFiles[e.key] = shell[e.key];
        continue;
      }
      // Values in an env file may use the shell's variables and the file's earlier ones.
      fromFiles[e.key] = e.interpolate
        ? interpolateString(e.value, { ...fromFiles, ...shell }, (problem, fix) => {
          throw new Error(`${file}:${e.line}: ${e.key}: ${problem}; ${fix}`);
        })
        : e.value;
    }
  }
  return { variables: { ...fromFiles, ...shell, ...src.explicit }, read };
}
