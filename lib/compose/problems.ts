// Every problem of a Compose file, reported at once: the conversion goes on after a problem so that a
// user fixes them all in one pass instead of one run per problem.
import { show } from '../core';

/**
 * The problems a {@link ComposeApp} found in one Compose document, each with its `file:line key`,
 * what is wrong and the fix (`problems` holds them as separate errors; the message lists them all).
 */
export class ComposeProblems extends Error {
  /** Each problem, in the order found: `<owner>: <file>:<line> <key> <problem>; <fix>`. */
  public readonly problems: readonly Error[];

  public constructor(owner: string, file: string, problems: readonly Error[]) {
    super(`${owner}: ${show(file)} has ${problems.length} problems; fix each one:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`);
    this.name = 'ComposeProblems';
    this.problems = problems;
  }
}
