// Small helpers shared by the benchmarks: a seeded random source, percentiles, a text table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export { percentile, seededRandom } from '../support/sampling.ts';

/** `count` distinct items of `items`, chosen by `random`, in the order drawn. */
export function sample(items, count, random) {
  const pool = [...items];
  const picked = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return picked;
}

/** Disk usage of a folder in bytes, as `du` counts it (allocated blocks, not apparent size). */
export function diskUsage(dir) {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

/** Peak resident set size of a live process, from /proc (Linux only), in bytes. */
export function peakRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

export const mib = (bytes) => bytes / (1024 * 1024);

/** Rows of [label, value] as an aligned two-column table. */
export function table(title, rows) {
  const width = Math.max(...rows.map(([label]) => label.length));
  const line = '─'.repeat(width + 2 + Math.max(...rows.map(([, value]) => String(value).length)));
  return [title, line, ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`), line].join('\n');
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
