/** Where the daemon's diagnostics go: the client's log (extension output channel, CLI --verbose). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The message of anything thrown, without a stack: what a person reads. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
