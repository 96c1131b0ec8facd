import { readFile } from 'node:fs/promises';

const SOURCES = ['/proc/sys/fs/inotify/max_user_watches', '/proc/sys/user/max_inotify_watches'];

export type InotifyLimits = ReadonlyArray<number | undefined>;

/**
 * The inotify watch budgets that bind this process: the machine's (`fs.inotify.max_user_watches`)
 * and its user namespace's (a container's). The smallest one binds. A budget that cannot be read
 * (not Linux) is undefined and never counts as raised, so a watcher past the limit keeps rescanning.
 */
export async function inotifyLimits(): Promise<InotifyLimits> {
  return Promise.all(SOURCES.map((path) => readFile(path, 'utf8').then((text) => Number.parseInt(text, 10), () => undefined)));
}

/** Whether any budget grew since `before`: only then can watching again get further than it did. */
export function limitsRaised(before: InotifyLimits, now: InotifyLimits): boolean {
  return now.some((limit, i) => limit !== undefined && before[i] !== undefined && limit > before[i]!);
}
