import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { languageOf } from '../chunk/languages';
import type { AskSelection } from '../shared/protocol';
import { maskSecrets } from '../text/secretMasker';

/** A workspace folder as far as a selection is concerned: where it is, and which files it never reads. */
export interface SelectionFolder {
  readonly folder: string;
  isSecret(relPath: string): boolean;
}

/**
 * The text of a selection a question is about: the client's, or read from disk. A file the
 * index would skip as a secret is never read or sent, even when the user selected it.
 */
export async function selectionText(folders: readonly SelectionFolder[], selection: AskSelection): Promise<string | undefined> {
  for (const folder of folders) {
    const absolute = isAbsolute(selection.path) ? selection.path : join(folder.folder, selection.path);
    const rel = relative(folder.folder, absolute).split('\\').join('/');
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    if (folder.isSecret(rel)) return undefined;
    // Masked like indexed text; the whole file first, so a key block cut by the selection is still masked.
    if (selection.text !== undefined) return maskSecrets(selection.text, languageOf(rel));
    const lines = maskSecrets(await fs.readFile(absolute, 'utf8').catch(() => ''), languageOf(rel)).split('\n');
    return lines.slice(selection.startLine - 1, selection.endLine).join('\n');
  }
  return undefined;
}
