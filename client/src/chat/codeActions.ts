/**
 * Copy and Insert at Cursor for a code block of an answer. The webview only names the block; the
 * code comes from the session's copy of the answer (see codeBlocks.ts).
 */
import * as vscode from 'vscode';

export async function copyCode(code: string): Promise<void> {
  await vscode.env.clipboard.writeText(code);
  vscode.window.setStatusBarMessage('Ferret: code copied', 3000);
}

/** Replaces each selection of the active editor with the code (an empty selection is the cursor). */
export async function insertCode(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Open a file in the editor first; Ferret inserts the code at its cursor.');
    return;
  }
  const done = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
  if (!done) {
    void vscode.window.showWarningMessage('The code could not be inserted: the editor is read-only or changed meanwhile.');
    return;
  }
  await vscode.window.showTextDocument(editor.document, editor.viewColumn);
}
