import * as vscode from 'vscode';
import type { FerretDaemon } from '../daemon/ferretDaemon';
import { statusView } from './statusView';

const LINKED_COMMANDS = ['ferret.openLogs', 'ferret.reindex', 'ferret.restartDaemon', 'ferret.showStatus'];

/** The one status-bar item: rendered from the daemon's state and its latest pushed report. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly daemon: FerretDaemon) {
    this.item.name = 'Ferret';
    this.item.command = 'ferret.showStatus';
    this.subscriptions = [daemon.onStatus(() => this.render()), daemon.onDidChangeState(() => this.render())];
    this.render();
    this.item.show();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }

  private render(): void {
    const view = statusView(this.daemon.state, this.daemon.lastStatus());
    this.item.text = view.text;
    this.item.backgroundColor =
      view.severity === 'none' ? undefined : new vscode.ThemeColor(`statusBarItem.${view.severity}Background`);
    const tooltip = new vscode.MarkdownString(view.details.map(escapeMarkdown).join('\n\n'), true);
    tooltip.appendMarkdown(
      '\n\n---\n\n[$(output) Open Logs](command:ferret.openLogs) · [$(refresh) Reindex](command:ferret.reindex) · [$(debug-restart) Restart](command:ferret.restartDaemon)',
    );
    tooltip.isTrusted = { enabledCommands: LINKED_COMMANDS };
    this.item.tooltip = tooltip;
  }
}

/** Report text comes from paths and error messages; only the ** emphasis we add is markup. */
function escapeMarkdown(line: string): string {
  return line.replace(/([\\`_[\]<>])/g, '\\$1');
}
