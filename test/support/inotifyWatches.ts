import { readdirSync, readFileSync } from 'node:fs';

/** inotify watches this process holds, as the kernel lists them in /proc/self/fdinfo (Linux). */
export function inotifyWatches(): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    try {
      count += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n').filter((line) => line.startsWith('inotify wd:')).length;
    } catch {
      // A descriptor closed while listing.
    }
  }
  return count;
}
