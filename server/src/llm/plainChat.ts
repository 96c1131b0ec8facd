import type { ChatParams, ChatResult } from '../shared/protocol';
import type { ChatRouter } from './chatRouter';

/**
 * A `ferret/chat` request: the conversation as given, sent to the one provider asked for, its
 * text streamed through `onText`. Nothing of the index is added; this is how VS Code's chat uses
 * Ferret's models. Failures reject with the router's one-sentence {@link RouterError}.
 */
export async function plainChat(router: ChatRouter, params: ChatParams, signal: AbortSignal, onText: (text: string) => void): Promise<ChatResult> {
  const routed = router.streamFrom(params.provider, params.messages, { signal, ...(params.maxTokens !== undefined ? { maxTokens: params.maxTokens } : {}) });
  let text = '';
  let usage: ChatResult['usage'] = {};
  for await (const event of routed) {
    if (event.type === 'token') {
      text += event.text;
      onText(event.text);
    } else usage = event.usage;
  }
  const answered = routed.answeredBy ?? { provider: params.provider, model: '' };
  return { text, ...answered, usage };
}
