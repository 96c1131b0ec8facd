import { promises as fs } from 'node:fs';
import { errorMessage } from '../log';

/**
 * What went wrong under an index: `disk-full` waits for space and resumes, `damaged` means files
 * of the index cannot be read and it must be rebuilt, `other` is retried later.
 */
export type StorageFault = 'disk-full' | 'damaged' | 'other';

// LanceDB reports I/O failures as text from Rust, not as errno codes.
const DISK_FULL = /ENOSPC|No space left on device|os error 28|disk quota exceeded|EDQUOT/i;
const DAMAGED = /failed to fill whole buffer|unexpected end of file|LanceError\(Corrupt|corrupt|invalid (?:manifest|footer)|Not found: .*\.(?:lance|manifest|idx)|buffer too small|out of range for slice/i;

export function classifyStorageError(error: unknown): StorageFault {
  const text = `${(error as NodeJS.ErrnoException | undefined)?.code ?? ''} ${errorMessage(error)}`;
  if (DISK_FULL.test(text)) return 'disk-full';
  if (DAMAGED.test(text)) return 'damaged';
  return 'other';
}

/** What status says about a failure under the index in `indexDir`. */
export function storageFaultSentence(fault: StorageFault, error: unknown, indexDir: string): string {
  if (fault !== 'disk-full') return errorMessage(error);
  return `The disk holding the index (${indexDir}) is full: indexing is paused and resumes by itself when space is freed; search answers from what is stored.`;
}

/** Space an index needs before indexing is worth trying again: a commit plus its catalog. */
const RESUME_FREE_BYTES = 8 * 1024 * 1024;
const SPACE_POLL_MS = 1_000;

/** Free bytes available to this process on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await fs.statfs(dir);
  return stats.bavail * stats.bsize;
}

/**
 * Resolves once the file system of `dir` has room for indexing again, or when `signal` aborts.
 * Polling: no portable event says "space was freed".
 */
export async function waitForFreeSpace(dir: string, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const free = await freeBytes(dir).catch(() => 0);
    if (free >= RESUME_FREE_BYTES) return;
    await pause(SPACE_POLL_MS, signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts; never keeps the process alive. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
