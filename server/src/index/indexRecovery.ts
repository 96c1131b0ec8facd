import { pause, type StorageFault, waitForFreeSpace } from './storageFaults';

const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * Brings indexing back after a failed pass without anyone asking: when the disk is full it waits
 * until space is freed, otherwise it backs off exponentially; then it asks for one resync, which
 * compares the whole folder with the catalog and so picks up every change made meanwhile.
 */
export class IndexRecovery {
  private waiting: AbortController | undefined;
  private waitingFor: StorageFault | undefined;
  private failures = 0;

  constructor(
    private readonly indexDir: string,
    private readonly resync: () => void,
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
      this.resync();
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
