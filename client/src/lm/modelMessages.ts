import type { ChatParams } from '../../../server/src/shared/protocol';
import type { ModelRequestMessage } from './modelProviderApi';

/** `LanguageModelChatMessageRole`'s values (User 1, Assistant 2, System 3), read without the enum so older hosts and tests agree. */
const ASSISTANT = 2;
const SYSTEM = 3;

/**
 * VS Code's request messages as the plain conversation `ferret/chat` takes. Text parts are kept;
 * a tool result keeps its text (Ferret's models call no tools, but a conversation may hold results
 * another model's tool calls got); tool calls and binary data carry nothing a text model can read.
 */
export function conversationOf(messages: readonly ModelRequestMessage[]): ChatParams['messages'] {
  return messages
    .map((message) => ({ role: roleOf(message.role), content: textOf(message.content) }))
    .filter((message) => message.content !== '');
}

/** The text of a message, or of a string, for counting tokens. */
export function messageText(text: string | ModelRequestMessage): string {
  return typeof text === 'string' ? text : textOf(text.content);
}

function roleOf(role: number): ChatParams['messages'][number]['role'] {
  return role === ASSISTANT ? 'assistant' : role === SYSTEM ? 'system' : 'user';
}

function textOf(parts: readonly unknown[]): string {
  return parts
    .map((part) => {
      if (typeof part !== 'object' || part === null) return '';
      if ('value' in part && typeof part.value === 'string') return part.value;
      if ('callId' in part && 'content' in part && Array.isArray(part.content)) return textOf(part.content);
      return '';
    })
    .join('');
}
