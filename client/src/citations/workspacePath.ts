/**
 * Resolves a path from a model's answer to a file inside one of the workspace folders, or to
 * nothing. Both the lexical path and the real path (symlinks followed) must stay inside the
 * folder, so `../../etc/passwd` and a symlink pointing out of the workspace are both refused.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

function inside(folder: string, candidate: string): boolean {
  const rel = relative(folder, candidate);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The absolute path of an existing file inside a workspace folder, or undefined. */
export async function findInWorkspace(folders: readonly string[], path: string): Promise<string | undefined> {
  for (const folder of folders) {
    const candidate = isAbsolute(path) ? resolve(path) : resolve(folder, path);
    if (!inside(folder, candidate)) continue;
    try {
      const [realFolder, realFile] = await Promise.all([realpath(folder), realpath(candidate)]);
      if (inside(realFolder, realFile) && (await stat(realFile)).isFile()) return candidate;
    } catch {
      // Missing in this folder; a multi-root workspace may hold it in the next one.
    }
  }
  return undefined;
}
