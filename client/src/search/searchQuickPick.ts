import * as vscode from 'vscode';
import type { Hit } from '../../../server/src/shared/protocol';
import type { DaemonApi } from '../daemon/daemonApi';
import { signatureLine } from '../../../server/src/shared/rangeText';
import { hitLocation } from '../citations/locations';

interface HitItem extends vscode.QuickPickItem {
  hit: Hit;
}

/** Waits this long after the last keystroke before asking the daemon, so typing does not queue searches. */
const TYPING_PAUSE_MS = 200;

/** "Ferret: Search Workspace": hits as the user types, previewed as the active item changes, opened on accept. */
export function searchWorkspace(daemon: DaemonApi): Promise<void> {
  const pick = vscode.window.createQuickPick<HitItem>();
  pick.title = 'Ferret: Search Workspace';
  pick.placeholder = 'Describe the code, or type a symbol or words from it';
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  let timer: NodeJS.Timeout | undefined;
  let pending: vscode.CancellationTokenSource | undefined;

  const run = async (query: string) => {
    pending?.cancel();
    const cancel = (pending = new vscode.CancellationTokenSource());
    pick.busy = true;
    try {
      const result = await daemon.search({ query, k: 20 }, cancel.token);
      if (cancel.token.isCancellationRequested) return;
      pick.items = result.results.map(toItem);
      pick.placeholder = result.mode === 'fulltext' && result.modeReason ? `Full-text only: ${result.modeReason}` : pick.placeholder;
      if (result.results.length === 0) pick.title = `Ferret: no hits for "${query}"`;
      else pick.title = 'Ferret: Search Workspace';
    } catch (error) {
      if (!cancel.token.isCancellationRequested) void vscode.window.showErrorMessage(`Ferret search failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (pending === cancel) pick.busy = false;
    }
  };

  pick.onDidChangeValue((value) => {
    clearTimeout(timer);
    // VS Code would filter stale items by label against the new text; keep them until fresh hits arrive.
    if (value.trim()) timer = setTimeout(() => void run(value.trim()), TYPING_PAUSE_MS);
    else pick.items = [];
  });
  pick.onDidChangeActive(([item]) => {
    if (item) void open(item.hit, { preview: true, preserveFocus: true });
  });

  return new Promise((resolve) => {
    pick.onDidAccept(() => {
      const [item] = pick.selectedItems;
      pick.hide();
      if (item) void open(item.hit, { preview: false, preserveFocus: false });
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      pending?.cancel();
      pick.dispose();
      resolve();
    });
    pick.show();
  });
}

/** Labelled by the unit that matched, previewed by its signature line rather than the doc comment above it. */
export function toItem(hit: Hit): HitItem {
  return {
    label: hit.symbol || hit.path.split('/').pop() || hit.path,
    description: `${hit.path}:${hit.startLine}`,
    detail: signatureLine(hit.text),
    alwaysShow: true,
    hit,
  };
}

async function open(hit: Hit, options: { preview: boolean; preserveFocus: boolean }): Promise<void> {
  const { uri, range } = hitLocation(hit);
  await vscode.window.showTextDocument(uri, { ...options, selection: range });
}
