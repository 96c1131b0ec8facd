/**
 * Opens a link the user activated in an answer. The webview already dropped every link that is not
 * a workspace path or http(s); this checks again (the webview is not trusted), asks before leaving
 * VS Code for the web, and opens only files inside the workspace folders.
 */
import * as vscode from 'vscode';
import { classifyHref } from './linkPolicy';
import { findInWorkspace } from '../citations/workspacePath';

export async function openAnswerLink(href: string): Promise<void> {
  const target = classifyHref(href);
  if (!target) {
    void vscode.window.showWarningMessage('Ferret opens only workspace files and web addresses from answers; this link was ignored.');
    return;
  }
  if (target.kind === 'web') {
    const open = 'Open';
    const choice = await vscode.window.showWarningMessage(
      `Open ${target.url} in your browser?`,
      { modal: true, detail: 'The link comes from a model-written answer. Open it only if you trust the address.' },
      open,
    );
    if (choice === open) await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
    return;
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const file = await findInWorkspace(folders, target.path);
  if (!file) {
    void vscode.window.showWarningMessage(`"${target.path}" is not a file in this workspace, so Ferret did not open it.`);
    return;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const selection = target.startLine === undefined
    ? undefined
    : new vscode.Range(
        Math.max(0, target.startLine - 1), 0,
        Math.max(0, (target.endLine ?? target.startLine) - 1), Number.MAX_SAFE_INTEGER,
      );
  await vscode.window.showTextDocument(document, selection ? { selection, preview: true } : { preview: true });
}
