// Small helpers shared by the benchmarks: a seeded random source, percentiles, a text table.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Deterministic PRNG (mulberry32): the same seed picks the same queries on every run. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct items of `items`, chosen by `random`, in the order drawn. */
export function sample(items, count, random) {
  const pool = [...items];
  const picked = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return picked;
}

/** Nearest-rank percentile of numbers (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
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
