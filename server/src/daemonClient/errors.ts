/**
 * The CLI's failure kinds. Each maps to an exit code; the message is the one sentence the
 * user sees, so it must say what went wrong and, where possible, what to do.
 */

/** Bad command line: unknown flag, missing value, bad number, missing workspace. Exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The daemon answered a request with a JSON-RPC error. Exit code 1. */
export class DaemonRequestError extends Error {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'DaemonRequestError';
  }
}

/** The daemon process could not start or ended before the CLI was done with it. Exit code 1. */
export class DaemonExitedError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'DaemonExitedError';
  }
}

/** Exit code for any error: its own when it carries one, 1 otherwise. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof DaemonRequestError || error instanceof DaemonExitedError) {
    return error.exitCode;
  }
  return 1;
}
