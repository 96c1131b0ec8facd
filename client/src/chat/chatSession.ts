/**
 * The conversation of one workspace and the answer in flight: asks the daemon, streams the text,
 * hands citations to the editor, keeps the turns in workspace state. Knows nothing about the
 * webview; the provider renders what this reports through {@link SessionEvents}.
 */
import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import type { AskResult, AskSelection, Citation } from '../../../server/src/shared/protocol';
import type { CitationSink } from '../citations/citationSink';
import type { DaemonApi } from '../daemon/daemonApi';
import type { ChatTurn, TurnSelection } from './chatMessages';
import { buildHistory, conversationKey, maxStoredTurns, restoreTurns, storeTurns } from './conversation';

/** Where the session reports; a LogOutputChannel satisfies {@link ChatLog}. */
export interface ChatLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface SessionEvents {
  /** Turns or busy state changed; push a new snapshot. */
  changed(): void;
  /** Text was appended to the answer of `turnId`. */
  delta(turnId: string, text: string): void;
}

/** `() => new vscode.CancellationTokenSource()` in the extension; injected so tests run without VS Code. */
export type TokenSourceFactory = () => vscode.CancellationTokenSource;

interface Running {
  turnId: string;
  source: vscode.CancellationTokenSource;
  finished: Promise<void>;
}

export class ChatSession {
  private turns: ChatTurn[];
  private running: Running | undefined;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly daemon: DaemonApi,
    private readonly citations: CitationSink,
    private readonly events: SessionEvents,
    private readonly log: ChatLog,
    private readonly newTokenSource: TokenSourceFactory,
  ) {
    const { turns, dropped } = restoreTurns(memento.get<unknown>(conversationKey));
    if (dropped > 0) log.warn(`chat: dropped ${dropped} stored turn(s) that were not valid`);
    this.turns = turns;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  snapshot(): ChatTurn[] {
    return this.turns.map((t) => ({ ...t }));
  }

  citation(turnId: string, n: number): Citation | undefined {
    return this.turns.find((t) => t.id === turnId)?.citations.find((c) => c.n === n);
  }

  /**
   * Asks a question; a question already streaming is stopped first. Never rejects: failures become
   * an error turn. `selection.label` is how the view shows the selection's path.
   */
  async ask(question: string, selection?: AskSelection & Pick<TurnSelection, 'label'>): Promise<void> {
    if (this.running) {
      this.running.source.cancel();
      await this.running.finished;
    }
    this.citations.clear();
    const turn: ChatTurn = { id: randomUUID(), question, answer: '', citations: [], status: 'streaming' };
    let asked: AskSelection | undefined;
    if (selection) {
      const { label, ...rest } = selection;
      asked = rest;
      turn.selection = { path: rest.path, startLine: rest.startLine, endLine: rest.endLine, ...(label ? { label } : {}) };
    }
    const history = buildHistory(this.turns);
    this.turns = [...this.turns, turn].slice(-maxStoredTurns);
    const source = this.newTokenSource();
    const finished = this.run(turn, { question, history, ...(asked ? { selection: asked } : {}) }, source);
    this.running = { turnId: turn.id, source, finished };
    this.persist();
    this.events.changed();
    await finished;
  }

  stop(): void {
    this.running?.source.cancel();
  }

  /** Asks the question of a failed or stopped turn again, replacing that turn. */
  async retry(turnId: string): Promise<void> {
    const turn = this.turns.find((t) => t.id === turnId);
    if (!turn || turn.status === 'streaming') return;
    this.turns = this.turns.filter((t) => t !== turn);
    await this.ask(turn.question, turn.selection);
  }

  clear(): void {
    this.stop();
    this.turns = [];
    this.citations.clear();
    this.persist();
    this.events.changed();
  }

  private async run(turn: ChatTurn, params: Parameters<DaemonApi['ask']>[0], source: vscode.CancellationTokenSource): Promise<void> {
    try {
      const result = await this.daemon.ask(params, (text) => {
        turn.answer += text;
        this.events.delta(turn.id, text);
      }, source.token);
      finish(turn, result, source.token.isCancellationRequested);
      this.citations.show(turn.question, result.citations);
    } catch (err) {
      if (source.token.isCancellationRequested) {
        turn.status = 'stopped';
      } else {
        turn.status = 'error';
        turn.error = errorSentence(err);
        this.log.error(`chat: ask failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
    } finally {
      source.dispose();
      if (this.running?.turnId === turn.id) this.running = undefined;
      this.persist();
      this.events.changed();
    }
  }

  private persist(): void {
    this.memento.update(conversationKey, storeTurns(this.turns)).then(undefined, (err: unknown) =>
      this.log.error(`chat: could not save the conversation: ${String(err)}`),
    );
  }
}

function finish(turn: ChatTurn, result: AskResult, stopped: boolean): void {
  // The daemon's answer is authoritative: it is what the citations were mapped against.
  turn.answer = result.answer;
  turn.citations = result.citations;
  turn.status = stopped ? 'stopped' : 'done';
  if (result.sourcesOnly) turn.sourcesOnlyReason = result.sourcesOnlyReason ?? 'No language model answered.';
  else turn.answeredBy = { provider: result.provider, model: result.model };
  if (result.interrupted) turn.interrupted = result.interrupted;
}

/** The first sentence of an error, for a person; the full error goes to the log. */
export function errorSentence(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = /^.*?[.!?](?=\s|$)/s.exec(message.trim())?.[0] ?? message.trim();
  const sentence = first.length > 240 ? `${first.slice(0, 239)}…` : first;
  return sentence === '' ? 'The question could not be answered.' : sentence;
}
