import * as fs from 'fs';
import * as path from 'path';

/** Output streams of the command line (injectable for tests). */
export interface CliIo {
  /** Normal output. */
  readonly out: (line: string) => void;
  /** Warnings, notes and errors. */
  readonly err: (line: string) => void;
  /** The shell environment (Compose variables). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The process' own stdout and stderr. */
export const CONSOLE_IO: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };

/** The package's version, from the package.json above this file (lib/cli or build/lib/cli). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk8s-noops' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
