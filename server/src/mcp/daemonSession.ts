import { DaemonClient, type DaemonClientOptions } from '../daemonClient/daemonClient';
import { DaemonExitedError } from '../daemonClient/errors';
import type { StatusReport } from '../shared/protocol';

/**
 * How long a search or question waits for indexing to catch up before it answers from what is
 * indexed so far (and says so). Below the 60 s most MCP clients allow a tool call.
 */
export const INDEX_WAIT_MS = 30_000;

export interface SessionOptions {
  daemon: DaemonClientOptions;
  /** Told once when a daemon that was in use is found gone. */
  onLost?: (message: string) => void;
}

/**
 * The daemon behind a long-running MCP server: started on first need, started again after it
 * died (the call that finds it dead fails with the reason; the next one gets a fresh daemon).
 */
export class DaemonSession {
  private starting: Promise<DaemonClient> | undefined;

  constructor(
    private readonly options: SessionOptions,
    private readonly waitMs = INDEX_WAIT_MS,
  ) {}

  /** Starts the daemon now, so indexing begins before the first tool call. */
  warmUp(): void {
    this.running().catch(() => undefined);
  }

  /** Runs `work` against the daemon; a daemon found dead is forgotten so the next call starts anew. */
  async use<T>(work: (client: DaemonClient) => Promise<T>): Promise<T> {
    const starting = this.running();
    let client: DaemonClient;
    try {
      client = await starting;
    } catch (error) {
      this.forget(starting);
      throw error;
    }
    try {
      return await work(client);
    } catch (error) {
      if (error instanceof DaemonExitedError && this.forget(starting)) {
        this.options.onLost?.(error.message);
        throw new DaemonExitedError(`${error.message} It will be started again on the next call.`);
      }
      throw error;
    }
  }

  /**
   * Waits until the index has caught up with the folder (the first pass, or files the watcher
   * just queued), at most `waitMs`. Resolves to a sentence when results may be incomplete or
   * stale, undefined when they are current. `onStatus` sees every report while it waits.
   */
  async caughtUp(client: DaemonClient, signal: AbortSignal, onStatus: (report: StatusReport) => void): Promise<string | undefined> {
    let settle: (report: StatusReport | undefined) => void = () => undefined;
    const settled = new Promise<StatusReport | undefined>((resolve) => (settle = resolve));
    // Listen before asking, so a pass that ends in between is not missed.
    const off = client.onStatus((report) => {
      onStatus(report);
      if (report.quiescent) settle(report);
    });
    const timer = setTimeout(() => settle(undefined), this.waitMs);
    const abort = () => settle(undefined);
    signal.addEventListener('abort', abort, { once: true });
    try {
      const now = await client.status();
      if (!now.quiescent) onStatus(now);
      const done = now.quiescent ? now : await settled;
      signal.throwIfAborted();
      if (done) return done.health === 'error' ? `Indexing reported a problem, so results may be stale: ${done.message}` : undefined;
      const latest = await client.status();
      return latest.quiescent ? undefined : `Indexing is still running (${latest.message}); these results cover only what was indexed so far. Call again later for complete results.`;
    } finally {
      off();
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
    }
  }

  /** Shuts the daemon down, if one runs. */
  async close(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    const client = await starting?.catch(() => undefined);
    await client?.shutdown();
  }

  private running(): Promise<DaemonClient> {
    this.starting ??= DaemonClient.start(this.options.daemon);
    return this.starting;
  }

  /** Drops `starting` if it is still the current daemon; true when it was. */
  private forget(starting: Promise<DaemonClient>): boolean {
    if (this.starting !== starting) return false;
    this.starting = undefined;
    // The process is gone or never came up; shutting down only releases the connection.
    void starting.then((client) => client.shutdown()).catch(() => undefined);
    return true;
  }
}
