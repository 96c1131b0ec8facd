/**
 * What `@ferret` remembers of a chat: the metadata it leaves on each result, and the conversation
 * turns it sends with the next question. Pure, so it is unit-tested without VS Code.
 */
import type { ConversationTurn } from '../../../server/src/shared/protocol';
import type { ChatTurn } from '../chat/chatMessages';
import { buildHistory } from '../chat/conversation';

/** `ChatResult.metadata` of `@ferret`; VS Code hands it back with each earlier response. */
export type ParticipantMetadata =
  /** A question answered through `ferret/ask`; `answer` is the daemon's final text, markers included. */
  | { kind: 'answer'; answer: string; sourcesOnly: boolean }
  | { kind: 'search' }
  | { kind: 'stopped' }
  | { kind: 'error' };

/** An earlier request or response of the chat, as plain data (VS Code's turn classes mapped by the participant). */
export type PastTurn = { kind: 'request'; prompt: string; command?: string } | { kind: 'response'; metadata: unknown };

function isAnswer(metadata: unknown): metadata is Extract<ParticipantMetadata, { kind: 'answer' }> {
  const m = metadata as Partial<Record<string, unknown>> | null | undefined;
  return m?.kind === 'answer' && typeof m.answer === 'string' && typeof m.sourcesOnly === 'boolean';
}

/**
 * The earlier questions and model answers of this chat as `AskParams.history`, chosen by the same
 * rules and limits as the chat view's ({@link buildHistory}): only answers a model wrote, recent
 * ones first, within a size budget. `/search` turns, errors and stopped answers are left out.
 */
export function conversationFrom(history: readonly PastTurn[]): ConversationTurn[] {
  const turns: ChatTurn[] = [];
  let question: string | undefined;
  for (const turn of history) {
    if (turn.kind === 'request') {
      question = turn.command ? undefined : turn.prompt;
      continue;
    }
    if (question !== undefined && isAnswer(turn.metadata)) {
      turns.push({
        id: String(turns.length),
        question,
        answer: turn.metadata.answer,
        citations: [],
        status: 'done',
        ...(turn.metadata.sourcesOnly ? { sourcesOnlyReason: 'No model answered.' } : {}),
      });
    }
    question = undefined;
  }
  return buildHistory(turns);
}
