import * as path from 'node:path';
import * as vscode from 'vscode';

/** A cited or found range as the daemon reports it: a folder, a relative path, 1-based inclusive lines. */
export interface FileRange {
  folder: string;
  path: string;
  startLine: number;
  endLine: number;
}

/** The editor location of a daemon range: whole lines, 0-based. */
export function hitLocation(range: FileRange): { uri: vscode.Uri; range: vscode.Range } {
  const uri = vscode.Uri.file(path.join(range.folder, range.path));
  const start = Math.max(0, range.startLine - 1);
  const end = Math.max(start, range.endLine - 1);
  return { uri, range: new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER) };
}

/**
 * True when the range names a file inside one of the open workspace folders. Citations come
 * from model output mapped by the daemon; a path that escapes the workspace is never opened.
 */
export function isInsideWorkspace(range: FileRange): boolean {
  const target = path.resolve(range.folder, range.path);
  return (vscode.workspace.workspaceFolders ?? []).some((folder) => {
    const root = folder.uri.fsPath;
    const relative = path.relative(root, target);
    return path.resolve(range.folder) === path.resolve(root) && relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  });
}
