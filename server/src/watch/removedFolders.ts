/**
 * Known paths that lie below one of `removed`. The watcher reports a folder deleted or moved away
 * as the folder alone (it watches folders, not files), so the consumer expands it against what it
 * has indexed. A path is matched on whole segments: removing `src/a` leaves `src/ab.ts`.
 */
export function pathsUnder(removed: Iterable<string>, known: Iterable<string>): string[] {
  const folders = new Set(removed);
  if (folders.size === 0) return [];
  const found: string[] = [];
  for (const path of known) {
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      if (folders.has(path.slice(0, slash))) {
        found.push(path);
        break;
      }
    }
  }
  return found;
}
