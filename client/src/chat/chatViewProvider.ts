/**
 * The sidebar chat view: owns the webview (HTML, options, messages) and renders the
 * {@link ChatSession} into it as whole state snapshots plus streamed deltas. Every message from the
 * webview is validated before it is acted on; the webview is treated as untrusted.
 */
import * as vscode from 'vscode';
import type { AskSelection } from '../../../server/src/shared/protocol';
import type { CitationSink } from '../citations/citationSink';
import type { DaemonApi } from '../daemon/daemonApi';
import { computeBanners } from './banner';
import { codeBlocks } from './codeBlocks';
import { copyCode, insertCode } from './codeActions';
import { chatHtml } from './chatHtml';
import { describeRejected, parseToExtension, type BannerCommand, type ToExtension, type ToWebview } from './chatMessages';
import { ChatSession, type ChatLog } from './chatSession';
import { workspaceExamples } from './exampleSources';
import { deriveExamples } from './examples';
import { computeHeader } from './header';
import { openAnswerLink } from './linkOpener';

/** The only commands the webview can trigger, by name; ids live here, not in the webview. */
const commandIds: Record<BannerCommand, string> = {
  restartDaemon: 'ferret.restartDaemon',
  openLogs: 'ferret.openLogs',
  showStatus: 'ferret.showStatus',
};

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'ferret.chat';

  private view: vscode.WebviewView | undefined;
  /** True once the current webview's script asked for state; messages posted before would be lost. */
  private ready = false;
  private readonly session: ChatSession;
  private readonly subscriptions: vscode.Disposable[] = [];
  private examples = deriveExamples({ symbols: [], folders: [], headings: [] });
  /** Whether the examples were derived with a ready index; until then they are refreshed when it becomes ready. */
  private examplesFromIndex = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    state: vscode.Memento,
    private readonly daemon: DaemonApi,
    private readonly citations: CitationSink,
    private readonly log: ChatLog = console,
  ) {
    this.session = new ChatSession(state, daemon, citations, {
      changed: () => this.pushState(),
      delta: (turnId, text) => this.post({ type: 'delta', turnId, text }),
    }, log, () => new vscode.CancellationTokenSource());
    this.subscriptions.push(daemon.onStatus((status) => {
      if (status.ready && !this.examplesFromIndex) this.refreshExamples();
      this.pushState();
    }));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    const viewSubscriptions = [
      view.webview.onDidReceiveMessage((data: unknown) => this.receive(data)),
      // The daemon's state has no change event of its own; re-derive the banners whenever the view is shown.
      view.onDidChangeVisibility(() => {
        if (view.visible) this.pushState();
      }),
    ];
    view.onDidDispose(() => {
      viewSubscriptions.forEach((d) => d.dispose());
      if (this.view === view) {
        this.view = undefined;
        this.ready = false;
      }
    });
  }

  /** Asks a question in the view (used by the Ask commands after they focus it). Never rejects. */
  ask(question: string, selection?: AskSelection): Promise<void> {
    return this.session.ask(question, selection && { ...selection, label: vscode.workspace.asRelativePath(selection.path) });
  }

  dispose(): void {
    this.session.stop();
    this.subscriptions.forEach((d) => d.dispose());
  }

  private receive(data: unknown): void {
    const message = parseToExtension(data);
    if (!message) {
      this.log.warn(`chat: ${describeRejected(data)}`);
      return;
    }
    this.handle(message).catch((err: unknown) =>
      this.log.error(`chat: handling "${message.type}" failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
  }

  private async handle(message: ToExtension): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.pushState();
        this.refreshExamples();
        return;
      case 'ask':
        return this.session.ask(message.question.trim());
      case 'stop':
        return this.session.stop();
      case 'retry':
        return this.session.retry(message.turnId);
      case 'clear':
        return this.session.clear();
      case 'revealCitation': {
        // The webview names the citation; the range comes from our own state, never from the webview.
        const citation = this.session.citation(message.turnId, message.n);
        if (citation) await this.citations.reveal(citation);
        else this.log.warn(`chat: no citation [${message.n}] in turn ${message.turnId}`);
        return;
      }
      case 'openLink':
        return openAnswerLink(message.href);
      case 'runCommand':
        await vscode.commands.executeCommand(commandIds[message.command]);
        return;
      case 'copyCode':
      case 'insertCode': {
        const turn = this.session.snapshot().find((t) => t.id === message.turnId);
        const block = turn && codeBlocks(turn.answer)[message.block];
        if (block === undefined) {
          this.log.warn(`chat: no code block ${message.block} in turn ${message.turnId}`);
          return;
        }
        return message.type === 'copyCode' ? copyCode(block) : insertCode(block);
      }
    }
  }

  /** Re-derives the example questions; with a ready index they include symbols and stay as they are. */
  private refreshExamples(): void {
    this.examplesFromIndex = this.daemon.lastStatus()?.ready === true;
    workspaceExamples(this.daemon).then((examples) => {
      this.examples = examples;
      this.pushState();
    }, (err: unknown) => this.log.warn(`chat: could not derive example questions: ${String(err)}`));
  }

  private pushState(): void {
    const turns = this.session.snapshot();
    const status = this.daemon.lastStatus();
    this.post({
      type: 'state',
      state: {
        turns,
        banners: computeBanners(this.daemon.state, status),
        busy: this.session.busy,
        header: computeHeader(this.daemon.state, status, turns),
        examples: this.examples,
      },
    });
  }

  private post(message: ToWebview): void {
    if (!this.view || !this.ready) return;
    this.view.webview.postMessage(message).then(undefined, (err: unknown) =>
      this.log.warn(`chat: could not post "${message.type}" to the webview: ${String(err)}`),
    );
  }
}
