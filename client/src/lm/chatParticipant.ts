import * as vscode from 'vscode';
import { errorSentence, type ChatLog } from '../chat/chatSession';
import { hitLocation, isInsideWorkspace, type FileRange } from '../citations/locations';
import { DaemonDownError, type DaemonApi } from '../daemon/daemonApi';
import { answerEndPieces, searchPieces, type ChatPiece } from './chatPieces';
import { registerIfAvailable } from './optionalApi';
import { conversationFrom, type ParticipantMetadata, type PastTurn } from './participantHistory';

/** Id in package.json's `chatParticipants`; users call it `@ferret`. */
export const PARTICIPANT_ID = 'ferret.participant';
/** Ranges `/search` lists. */
const SEARCH_RESULTS = 10;

interface FerretChatResult extends vscode.ChatResult {
  metadata: ParticipantMetadata;
}

/**
 * `@ferret` in VS Code's chat: answers from the local index through the daemon (no model of VS
 * Code's is used), streaming the answer and linking every cited range. `/search` lists ranges only.
 */
export class FerretParticipant {
  constructor(
    private readonly daemon: DaemonApi,
    private readonly log: ChatLog,
  ) {}

  readonly handle = async (request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<FerretChatResult> => {
    const prompt = request.prompt.trim();
    if (prompt === '') {
      stream.markdown(request.command === 'search' ? 'Say what to look for, e.g. `/search verifyPassword`.' : 'Ask about this workspace, e.g. `@ferret how are sessions issued?`');
      return { metadata: { kind: 'error' } };
    }
    try {
      return request.command === 'search' ? await this.search(prompt, stream, token) : await this.answer(prompt, context, stream, token);
    } catch (error) {
      if (token.isCancellationRequested) return { metadata: { kind: 'stopped' } };
      if (error instanceof DaemonDownError) {
        stream.button({ command: 'ferret.restartDaemon', title: 'Restart Ferret Daemon' });
        return { errorDetails: { message: error.message }, metadata: { kind: 'error' } };
      }
      this.log.error(`@ferret: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { errorDetails: { message: errorSentence(error) }, metadata: { kind: 'error' } };
    }
  };

  private async answer(question: string, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<FerretChatResult> {
    stream.progress('Searching the Ferret index and asking the local model');
    const history = conversationFrom(context.history.map(pastTurn));
    let streamed = '';
    const result = await this.daemon.ask(
      { question, ...(history.length > 0 ? { history } : {}) },
      (text) => {
        if (token.isCancellationRequested) return;
        streamed += text;
        // Model text goes in as a plain string: VS Code renders it as untrusted Markdown.
        stream.markdown(text);
      },
      token,
    );
    if (token.isCancellationRequested) return { metadata: { kind: 'stopped' } };
    const citations = result.citations.filter(isInsideWorkspace);
    write(stream, answerEndPieces(result, streamed, citations));
    for (const citation of citations) stream.reference(location(citation));
    return { metadata: { kind: 'answer', answer: result.answer, sourcesOnly: result.sourcesOnly } };
  }

  private async search(query: string, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<FerretChatResult> {
    stream.progress('Searching the Ferret index');
    const result = await this.daemon.search({ query, k: SEARCH_RESULTS }, token);
    if (token.isCancellationRequested) return { metadata: { kind: 'stopped' } };
    write(stream, searchPieces(result));
    return { metadata: { kind: 'search' } };
  }
}

function location(range: FileRange): vscode.Location {
  const { uri, range: lines } = hitLocation(range);
  return new vscode.Location(uri, lines);
}

function write(stream: vscode.ChatResponseStream, pieces: readonly ChatPiece[]): void {
  for (const piece of pieces) {
    if ('markdown' in piece) stream.markdown(piece.markdown);
    else stream.anchor(location(piece.anchor), piece.title);
  }
}

function pastTurn(turn: vscode.ChatRequestTurn | vscode.ChatResponseTurn): PastTurn {
  return turn instanceof vscode.ChatRequestTurn
    ? { kind: 'request', prompt: turn.prompt, ...(turn.command ? { command: turn.command } : {}) }
    : { kind: 'response', metadata: turn.result.metadata };
}

/** Creates `@ferret` where the host has the chat participant API; see {@link registerIfAvailable}. */
export function registerChatParticipant(extensionUri: vscode.Uri, daemon: DaemonApi, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return registerIfAvailable('chat participants', log, () => {
    const participant = vscode.chat?.createChatParticipant?.(PARTICIPANT_ID, new FerretParticipant(daemon, log).handle);
    if (participant) participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'ferret.svg');
    return participant;
  });
}
