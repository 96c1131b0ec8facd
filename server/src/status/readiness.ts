import { readJsonFile } from '../store/atomicFile';
import { catalogPath, readIndexMeta } from '../index/indexMeta';
import type { EmbedderStatus, FolderStatus } from '../shared/protocol';
import { formatCount } from '../shared/counts';
import { sentence } from '../text/wording';

export interface ReadinessInput {
  folders: readonly FolderStatus[];
  /** Folders (by path) whose live index holds a finished pass. */
  complete: ReadonlySet<string>;
  embedder: EmbedderStatus;
  /** Why the embedder's latest call failed; undefined while it answers. */
  embedderFailure?: string;
}

/** Ready, or why not as sentences a person can act on. */
export type Readiness = { ready: true } | { ready: false; notReadyReason: string };

/**
 * Ready means a search sent now is answered in full: every folder has a complete index (one pass
 * finished; a catch-up pass over it may run), none is in error, and queries get vectors (the
 * embedder answers and no vectors are being recomputed). Anything less degrades or empties results.
 */
export function describeReadiness(input: ReadinessInput): Readiness {
  const reasons: string[] = [];
  if (input.folders.length === 0) reasons.push('No workspace folder is open.');
  for (const folder of input.folders) {
    if (folder.state === 'error') {
      reasons.push(`Indexing ${folder.folder} failed: ${sentence(folder.error ?? 'no reason was given')}`);
    } else if (!input.complete.has(folder.folder)) {
      const progress = folder.progress ? ` (${folder.progress.done}/${folder.progress.total} files)` : '';
      reasons.push(
        folder.state === 'ready'
          ? `${folder.folder} has no complete index yet; index it (ferret index, or Ferret: Reindex).`
          : `The first index of ${folder.folder} is still being built${progress}.`,
      );
    }
  }
  const { embedder } = input;
  if (embedder.pendingVectors > 0) {
    reasons.push(`Vectors are being recomputed with ${embedder.id} (${formatCount(embedder.pendingVectors)} to go); searches use full text only until then.`);
  }
  if (input.embedderFailure !== undefined) {
    reasons.push(`The embedder ${embedder.id} failed its latest call (${input.embedderFailure.replace(/\.$/, '')}); searches use full text only until it answers again.`);
  }
  return reasons.length ? { ready: false, notReadyReason: reasons.join(' ') } : { ready: true };
}

/**
 * Whether the index in `indexDir` holds a finished pass of its live generation: its catalog was
 * written and closed. A never-indexed folder has no catalog; an interrupted pass leaves it marked
 * dirty. This is how a daemon that indexes nothing at start (the one-shot CLI) knows.
 */
export async function hasCompleteIndex(indexDir: string): Promise<boolean> {
  const meta = await readIndexMeta(indexDir);
  if (meta.kind !== 'ok') return false;
  // An unreadable catalog is no complete index; opening the folder has already said why in the log.
  const catalog = await readJsonFile(catalogPath(indexDir, meta.meta)).catch(() => undefined);
  return typeof catalog === 'object' && catalog !== null && (catalog as { dirty?: unknown }).dirty === false;
}
