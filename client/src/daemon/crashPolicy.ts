import {
  CloseAction,
  ErrorAction,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type Message,
} from 'vscode-languageclient/node';

/** At most this many automatic restarts … */
export const MAX_RESTARTS = 4;
/** … within this window; one more crash inside it and the daemon stays down until the user restarts it. */
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

/**
 * Decides what happens when the daemon's connection closes unexpectedly. (A deliberate stop
 * never reaches here: the LanguageClient only consults the handler for closes it did not ask for.)
 */
export class CrashPolicy implements ErrorHandler {
  private readonly restarts: number[] = [];

  constructor(
    private readonly onRestart: () => void,
    private readonly onGiveUp: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A write error or a malformed message: keep the connection; the log has the detail. */
  error(_error: Error, _message: Message | undefined, _count: number | undefined): ErrorHandlerResult {
    return { action: ErrorAction.Continue, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = this.now();
    while (this.restarts.length > 0 && now - this.restarts[0] > RESTART_WINDOW_MS) this.restarts.shift();
    if (this.restarts.length >= MAX_RESTARTS) {
      this.onGiveUp();
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.restarts.push(now);
    this.onRestart();
    return { action: CloseAction.Restart, handled: true };
  }

  /** A restart the user asked for starts a fresh budget. */
  reset(): void {
    this.restarts.length = 0;
  }
}
