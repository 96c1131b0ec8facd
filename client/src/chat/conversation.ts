/**
 * The conversation as data: which earlier turns go to the model as history, and how turns are
 * stored in (and restored from) workspace state. Pure, so it is tested without VS Code.
 */
import type { ConversationTurn } from '../../../server/src/shared/protocol';
import { isChatTurn, type ChatTurn } from './chatMessages';

/** Workspace-state key of the stored conversation. */
export const conversationKey = 'ferret.chat.conversation';
/** Turns kept in workspace state; older ones are forgotten so the state stays small. */
export const maxStoredTurns = 50;
const storedVersion = 1;

export interface HistoryLimits {
  /** Question/answer pairs sent at most. */
  maxTurns: number;
  /** Characters of history sent at most, questions and answers together. */
  maxChars: number;
  /** A longer single question or answer is cut to this many characters. */
  maxMessageChars: number;
}

/** Enough context for follow-up questions without crowding the retrieved sources out of the prompt. */
const defaultHistoryLimits: HistoryLimits = { maxTurns: 6, maxChars: 12_000, maxMessageChars: 4_000 };

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The most recent completed turns as `AskParams.history`, oldest first. Only answers a model wrote
 * count: failed, stopped and sources-only turns would teach the model nothing true. Stops at the
 * first pair that would exceed the budget, so the history is always a contiguous recent stretch.
 */
export function buildHistory(turns: readonly ChatTurn[], limits: HistoryLimits = defaultHistoryLimits): ConversationTurn[] {
  const pairs: ConversationTurn[][] = [];
  let chars = 0;
  for (let i = turns.length - 1; i >= 0 && pairs.length < limits.maxTurns; i -= 1) {
    const turn = turns[i];
    if (!turn || turn.status !== 'done' || turn.sourcesOnlyReason !== undefined || turn.answer.trim() === '') continue;
    const question = cut(turn.question, limits.maxMessageChars);
    const answer = cut(turn.answer, limits.maxMessageChars);
    if (chars + question.length + answer.length > limits.maxChars) break;
    chars += question.length + answer.length;
    pairs.push([
      { role: 'user', content: question },
      { role: 'assistant', content: answer },
    ]);
  }
  return pairs.reverse().flat();
}

/** What goes into workspace state. */
export function storeTurns(turns: readonly ChatTurn[]): { version: number; turns: ChatTurn[] } {
  return { version: storedVersion, turns: turns.slice(-maxStoredTurns) };
}

/**
 * Turns read back from workspace state. Anything that is not a valid turn is dropped (state from an
 * older version, or edited by hand); a turn that was streaming when the window closed is shown as stopped.
 */
export function restoreTurns(stored: unknown): { turns: ChatTurn[]; dropped: number } {
  if (typeof stored !== 'object' || stored === null) return { turns: [], dropped: 0 };
  const { version, turns } = stored as { version?: unknown; turns?: unknown };
  if (version !== storedVersion || !Array.isArray(turns)) return { turns: [], dropped: Array.isArray(turns) ? turns.length : 1 };
  const valid = turns.filter(isChatTurn);
  const restored = valid.slice(-maxStoredTurns).map((turn): ChatTurn =>
    turn.status === 'streaming'
      ? { ...turn, status: 'stopped', interrupted: 'The window closed before the answer finished.' }
      : turn,
  );
  return { turns: restored, dropped: turns.length - valid.length };
}
