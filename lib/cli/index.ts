// The `cdk8s-noops` command line: one binary with the sub-commands compose, check and review.
// A tool beside the constructs: no construct imports it, and apps that only synthesize never load it.
import { main as composeMain } from './compose';
import { checkMain } from './check';
import { CliIo, CONSOLE_IO, packageVersion } from './io';
import { reviewMain } from './review';

/** Usage of `cdk8s-noops`. */
export const USAGE = `usage: cdk8s-noops <command> [options]

commands:
  compose <docker-compose.yml>   convert a docker-compose application into Kubernetes manifests
  check [paths...]               audit synthesized manifests (schemas, references, hardening)
  review [paths...]              write an HTML review page for synthesized manifests

Run 'cdk8s-noops <command> --help' for a command's options.

options:
  -h, --help     this help
  --version      the version of cdk8s-noops

exit codes: 0 success, 1 findings or a conversion error, 2 usage error`;

/** The sub-commands and what runs them. */
const COMMANDS: Record<string, (rest: string[], io: CliIo) => number | Promise<number>> = {
  compose: (rest, io) => composeMain(['compose', ...rest], io),
  check: checkMain,
  review: reviewMain,
};

/**
 * Runs `cdk8s-noops <argv...>` and resolves to its exit code: 0 success, 1 findings or a conversion
 * error, 2 a usage error.
 */
export async function main(argv: readonly string[], io: CliIo = CONSOLE_IO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    io.out(packageVersion());
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`cdk8s-noops: unknown command '${command}'; use one of ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--version')) {
    io.out(packageVersion());
    return 0;
  }
  return run(rest, io);
}
