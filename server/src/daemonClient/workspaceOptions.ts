import { statSync } from 'node:fs';
import type { EmbedderChoice } from '../shared/protocol';
import { UsageError } from './errors';

/** Options every daemon-backed command shares. */
export interface CommonOptions {
  /** Absolute path of the workspace folder. */
  workspace: string;
  /** Absolute path of the index root, when given. */
  indexDir?: string;
  embedder?: EmbedderChoice;
  /** `--shared-index`: seed an empty index from this location. */
  sharedIndex?: string;
  verbose: boolean;
  json: boolean;
}

/** Throws {@link UsageError} unless `dir` is an existing directory. */
export function checkWorkspace(dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`The workspace folder ${dir} does not exist.`);
  }
  if (!isDirectory) throw new UsageError(`The workspace ${dir} is not a folder.`);
}
