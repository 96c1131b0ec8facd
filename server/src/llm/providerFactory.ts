import { createMlxChat } from '../bridge/mlxChat';
import { resolveOllamaHost } from '../ollama/ollamaHost';
import type { Logger } from '../log';
import type { FerretSettings } from '../shared/protocol';
import type { ChatModel } from '../chat/chatModel';
import { OllamaChat } from './ollamaChat';
import { OpenAIChat } from './openaiChat';
import { defaultProviderOrder, orderProviders, type ProviderId } from './providerOrder';

/** A provider the daemon owns and must stop on shutdown (the MLX bridge is a process). */
export type OwnedChatModel = ChatModel & { dispose?(): void | Promise<void> };

/**
 * The chat providers the settings ask for, in order. Only providers in the order are built,
 * so the MLX bridge (a Python process) exists only where it is wanted.
 */
export function createProviders(settings: FerretSettings, folders: readonly string[], log: Logger): OwnedChatModel[] {
  const order: string[] = settings.providers.length ? settings.providers : defaultProviderOrder({ openaiBaseUrl: settings.openaiBaseUrl });
  const build: Record<ProviderId, () => OwnedChatModel | undefined> = {
    mlx: () => createMlxChat({ pythonPath: settings.pythonPath, workspaceFolders: folders, model: settings.mlxModel, logger: log }),
    ollama: () => new OllamaChat({ host: resolveOllamaHost(settings), model: settings.ollamaChatModel }),
    openai: () => {
      if (!settings.openaiBaseUrl.trim()) {
        log.warn('The openai provider is in the order but no OpenAI-compatible base URL is set; it is left out.');
        return undefined;
      }
      return new OpenAIChat({ baseUrl: settings.openaiBaseUrl, model: settings.openaiChatModel, apiKey: settings.openaiApiKey });
    },
  };
  const providers = order.flatMap((id) => {
    const provider = build[id as ProviderId]?.();
    return provider ? [provider] : [];
  });
  return orderProviders(providers, order);
}
