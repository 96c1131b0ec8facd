import * as vscode from 'vscode';
import type { ChatModelInfo, ChatModelsResult, ChatParams, ChatResult, StatusReport } from '../../../server/src/shared/protocol';
import { estimateTokens } from '../../../server/src/shared/tokenBudget';
import type { DaemonState } from '../daemon/daemonApi';
import { messageText, conversationOf } from './modelMessages';
import { modelProviderRegistration, type ModelChatProvider, type ModelInformation } from './modelProviderApi';
import { registerIfAvailable } from './optionalApi';

/** The vendor in package.json's `languageModelChatProviders`; `lm.selectChatModels({ vendor: 'ferret' })` finds the models. */
export const MODEL_VENDOR = 'ferret';
/** The window assumed when a provider cannot tell its own: what Ferret asks Ollama for by default. */
const ASSUMED_CONTEXT_WINDOW = 8192;
const PROVIDER_LABELS: Readonly<Record<string, string>> = { ollama: 'Ollama', openai: 'OpenAI-compatible server', mlx: 'MLX' };

/** What the provider needs of the daemon; {@link FerretDaemon} has it. */
export interface ModelDaemon {
  readonly state: DaemonState;
  chatModels(token?: vscode.CancellationToken): Promise<ChatModelsResult>;
  chat(params: ChatParams, onText: (text: string) => void, token: vscode.CancellationToken): Promise<ChatResult>;
  onStatus(listener: (status: StatusReport) => void): vscode.Disposable;
}

/** How one of the daemon's models appears among VS Code's language models. */
export function modelInformation(model: ChatModelInfo): ModelInformation {
  const window = model.contextWindow ?? ASSUMED_CONTEXT_WINDOW;
  // Room for the reply comes out of the window: a quarter of it, at most 4,096 tokens.
  const maxOutputTokens = Math.min(4096, Math.floor(window / 4));
  const label = PROVIDER_LABELS[model.provider] ?? model.provider;
  return {
    id: model.provider,
    name: model.model,
    family: model.model,
    version: model.provider,
    detail: `Ferret · ${label}`,
    tooltip: `${model.model} on ${label}, asked through Ferret's daemon (ferret.${model.provider === 'mlx' ? 'mlxModel' : `${model.provider}ChatModel`}); answers in text and calls no tools.`,
    maxInputTokens: window - maxOutputTokens,
    maxOutputTokens,
    // VS Code's chat (1.139 has only its Agent mode) lists only models that declare tool calling, and
    // without a listed model it sends nothing, not even to @ferret. Ferret's models are declared so;
    // the tools a request offers are not passed on: they answer in text and never call one.
    capabilities: { imageInput: false, toolCalling: true },
  };
}

/**
 * Ferret's chat models (Ollama, the OpenAI-compatible server, MLX) as VS Code language models, so
 * VS Code's chat has a model (and routes `@ferret`) without Copilot, and other extensions can use
 * them through `vscode.lm`. Every request goes through the daemon (`ferret/chat`), which owns the
 * model servers, breakers and deadlines; cancellation travels the same way.
 */
export class FerretModels implements ModelChatProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private shown = '';
  private readonly subscription: vscode.Disposable;

  constructor(private readonly daemon: ModelDaemon) {
    // The list follows the providers the daemon reports; availability changes do not reorder it.
    this.subscription = daemon.onStatus((status) => {
      const now = status.providers.map((p) => `${p.id}:${p.model}`).join();
      if (now === this.shown) return;
      this.shown = now;
      this.changed.fire();
    });
  }

  async provideLanguageModelChatInformation(_options: { readonly silent: boolean }, token: vscode.CancellationToken): Promise<ModelInformation[]> {
    if (this.daemon.state !== 'running') {
      // Listed as none: the next status (the daemon is back) must announce the models again.
      this.shown = '';
      return [];
    }
    const { models } = await this.daemon.chatModels(token);
    return models.map(modelInformation);
  }

  async provideLanguageModelChatResponse(
    model: ModelInformation,
    messages: Parameters<ModelChatProvider['provideLanguageModelChatResponse']>[1],
    _options: unknown,
    progress: vscode.Progress<vscode.LanguageModelTextPart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    await this.daemon.chat({ provider: model.id, messages: conversationOf(messages) }, (text) => progress.report(new vscode.LanguageModelTextPart(text)), token);
  }

  async provideTokenCount(_model: ModelInformation, text: Parameters<ModelChatProvider['provideTokenCount']>[1]): Promise<number> {
    return estimateTokens(messageText(text));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Offers Ferret's models where the host has the provider API; see {@link registerIfAvailable}. */
export function registerFerretModels(daemon: ModelDaemon, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return registerIfAvailable('language model providers', log, () => {
    const register = modelProviderRegistration();
    if (!register) return undefined;
    const models = new FerretModels(daemon);
    const registration = register(MODEL_VENDOR, models);
    return vscode.Disposable.from(registration, models);
  });
}
