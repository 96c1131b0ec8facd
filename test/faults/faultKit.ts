// Tools the fault suites share: a real small file system to fill, a daemon's memory from /proc,
// seeded randomness so a failing trial can be replayed, and the figures docs/reliability.md quotes.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export { percentile, seededRandom } from '../support/sampling';

/**
 * Mounts a fresh tmpfs of `megabytes` (needs root, as CI and this machine have) and returns its
 * path; unmounted and removed when the test file ends. A disk that really fills up, not a
 * simulated error.
 */
export function mountTmpfs(megabytes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferret-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`The disk-full trial needs to mount a tmpfs (run as root): ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
  after(() => {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    rmdirSync(dir);
  });
  return dir;
}

/** Writes a file into `dir` until the file system refuses with ENOSPC; returns its path. */
export function fillDisk(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(256 * 1024, 7);
  try {
    for (;;) {
      try {
        writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        break;
      }
    }
    // The last partial block: take every byte that is left.
    for (let size = block.length / 2; size >= 512; size /= 2) {
      try {
        writeSync(fd, block.subarray(0, size));
      } catch {
        // ENOSPC at this size; a smaller one may still fit.
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Current and peak resident memory of a live process, in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
}

export function seedFromEnv(): number {
  const given = Number(process.env.FERRET_FAULT_SEED);
  return Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
}

/**
 * Prints a suite's figures and keeps them in test/artifacts/faults/<name>.json, where
 * docs/reliability.md's numbers come from. Figures are reported, never asserted on time.
 */
export function reportFigures(name: string, figures: Record<string, unknown>): void {
  const dir = join(__dirname, '..', 'artifacts', 'faults');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`# figures ${name} ${JSON.stringify(figures)}\n`);
}
