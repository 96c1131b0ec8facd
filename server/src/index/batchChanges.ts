/**
 * What a batch of watch events asks of a pass: the files to look at, with their stat, and the
 * paths to drop (deleted, now ignored, no longer files, or under a folder removed or moved away).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { FileStat } from '../watch/folderScanner';
import type { WatchBatch } from '../watch/folderWatcher';
import type { IgnoreRules } from '../watch/ignoreRules';
import { pathsUnder } from '../watch/removedFolders';

export interface BatchChanges {
  candidates: Map<string, FileStat>;
  removed: Set<string>;
}

/** `indexed`: the paths the index holds, against which a removed folder is expanded. */
export async function batchChanges(batch: WatchBatch, folder: string, rules: IgnoreRules, indexed: Iterable<string>): Promise<BatchChanges> {
  const candidates = new Map<string, FileStat>();
  const removed = new Set(batch.removed);
  for (const path of batch.changed) {
    if (rules.check(path, false)) {
      removed.add(path);
      continue;
    }
    const stat = await fs.stat(join(folder, path)).catch(() => undefined);
    if (stat?.isFile()) candidates.set(path, { size: stat.size, mtimeMs: stat.mtimeMs });
    else removed.add(path);
  }
  // A folder removed or moved away comes as the folder alone; a file written there since is a candidate.
  for (const path of pathsUnder(batch.removed, indexed)) if (!candidates.has(path)) removed.add(path);
  return { candidates, removed };
}
