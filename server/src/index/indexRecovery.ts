import { errorMessage } from '../log';
import { pause, type StorageFault, waitForFreeSpace } from './storageFaults';

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Brings indexing back after a failed pass without anyone asking: when the disk is full it waits
 * until space is freed, otherwise it backs off exponentially; then it asks for one resync, which
 * compares the whole folder with the catalog and so picks up every change made meanwhile. An index
 * found damaged is reopened from nothing first.
 */
export class IndexRecovery {
  private waiting: AbortController | undefined;
  private waitingFor: StorageFault | undefined;
  private failures = 0;
  private rebuilding = false;

  /** `resync` has reported its own failure when it rejects; `reopen` discards the index, saying why. */
  constructor(
    private readonly indexDir: string,
    private readonly resync: () => Promise<unknown>,
    private readonly reopen: (reason: string) => Promise<void>,
    private readonly warn: (message: string) => void,
  ) {}

  /** True while indexing is paused for lack of disk space; new changes wait for the resync. */
  get waitingForSpace(): boolean {
    return this.waitingFor === 'disk-full';
  }

  /** Plans one resync after a failure; a plan already waiting is kept. */
  after(fault: StorageFault): void {
    if (this.waiting) return;
    const controller = new AbortController();
    this.waiting = controller;
    this.waitingFor = fault;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures++);
    const ready = fault === 'disk-full' ? waitForFreeSpace(this.indexDir, controller.signal) : pause(delay, controller.signal);
    void ready.then(() => {
      if (controller.signal.aborted) return;
      this.waiting = undefined;
      this.waitingFor = undefined;
      void this.resync().catch(() => undefined);
    });
  }

  /** Throws away an index found damaged in use (`cause` says how) and builds it again; reported once per rebuild. */
  rebuild(cause: unknown): void {
    if (this.rebuilding) return;
    this.rebuilding = true;
    const reason = `files of the index could not be read (${errorMessage(cause)})`;
    this.warn(reason);
    void this.reopen(reason)
      .then(() => this.resync())
      .catch(() => undefined)
      .finally(() => {
        this.rebuilding = false;
      });
  }

  succeeded(): void {
    this.failures = 0;
  }

  dispose(): void {
    this.waiting?.abort();
    this.waiting = undefined;
    this.waitingFor = undefined;
  }
}
