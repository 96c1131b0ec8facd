import { readFile } from 'node:fs/promises';

/**
 * The inotify watch budgets that bind this process: the machine's (`fs.inotify.max_user_watches`)
 * and its user namespace's, when it runs in one (a container). The smallest one binds. Empty where
 * neither can be read (not Linux): a watcher that fell back to rescanning then stays with it.
 */
const SOURCES = ['/proc/sys/fs/inotify/max_user_watches', '/proc/sys/user/max_inotify_watches'];

export type InotifyLimits = ReadonlyArray<number | undefined>;

export async function inotifyLimits(): Promise<InotifyLimits> {
  return Promise.all(SOURCES.map((path) => readFile(path, 'utf8').then((text) => Number.parseInt(text, 10), () => undefined)));
}

/** Whether any budget grew since `before`: only then can watching again get further than it did. */
export function limitsRaised(before: InotifyLimits, now: InotifyLimits): boolean {
  return now.some((limit, i) => limit !== undefined && before[i] !== undefined && limit > before[i]!);
}
