/**
 * The `mlx` chat provider: generation on Apple Silicon through the Python bridge. Tokens arrive as
 * `generate/token` notifications while the `generate` request is open; its result ends the stream.
 */
import { randomUUID } from 'node:crypto';
import { ChatError, type ChatEvent, type ChatMessage, type ChatModel, type ChatOptions, type ProviderHealth } from '../chat/chatModel';
import type { Logger } from '../log';
import { BridgeProcess, type BridgeProcessOptions } from './bridgeProcess';
import type { GenerateParams } from './bridgeProtocol';
import { EventQueue } from './eventQueue';
import { locatePython } from './pythonLocator';
import { SETTINGS } from '../shared/settingsSchema';

export const DEFAULT_MLX_MODEL = SETTINGS.mlxModel.default;

export interface MlxChatOptions {
  bridge: BridgeProcess;
  /** A Hugging Face repo (`mlx-community/…`) or a local folder, as `mlx_lm.load` takes. */
  model?: string;
  /** Used when {@link ChatOptions} leave them unset. */
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  /** The bridge itself gives up on a generation after this long ('timeout'). Default: no limit. */
  generationTimeoutMs?: number;
}

export interface MlxProviderSettings {
  /** The user's Python setting, if any; else a workspace virtualenv, else PATH. */
  pythonPath?: string;
  workspaceFolders?: readonly string[];
  model?: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Overrides of the bridge's supervision (backoff, timeouts). */
  bridge?: Partial<Omit<BridgeProcessOptions, 'locatePython' | 'logger' | 'env'>>;
}

/** The provider with its own bridge, which starts on first use; {@link MlxChat.dispose} stops it. */
export function createMlxChat(settings: MlxProviderSettings = {}): MlxChat {
  const bridge = new BridgeProcess({
    ...settings.bridge,
    locatePython: () => locatePython({ setting: settings.pythonPath, workspaceFolders: settings.workspaceFolders, env: settings.env }),
    logger: settings.logger,
    env: offlineHub(settings.env ?? process.env),
  });
  return new MlxChat({ bridge, model: settings.model });
}

/**
 * mlx_lm downloads a missing model from Hugging Face, and nothing may leave the machine unless
 * the user said so: the hub is offline unless the environment sets HF_HUB_OFFLINE itself.
 */
function offlineHub(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { HF_HUB_OFFLINE: '1', ...env };
}

export class MlxChat implements ChatModel {
  readonly id = 'mlx';
  readonly model: string;
  private knownContextWindow: number | undefined;

  constructor(private readonly options: MlxChatOptions) {
    this.model = options.model?.trim() || DEFAULT_MLX_MODEL;
  }

  stream(messages: ChatMessage[], options: ChatOptions): AsyncIterable<ChatEvent> {
    return this.generate(messages, options);
  }

  async health(signal?: AbortSignal): Promise<ProviderHealth> {
    const { bridge } = this.options;
    try {
      const health = await abortable(bridge.call('health', {}, signal), signal);
      if (!health.mlxAvailable) {
        return {
          ok: false,
          detail:
            `MLX is not available in Python ${health.python} (${health.mlxError ?? 'mlx does not import'}); ` +
            'install mlx-lm there (pip install mlx-lm) or set ferret.mlx.pythonPath.',
        };
      }
      const { loaded, cached } = await abortable(bridge.call('models/list', {}, signal), signal);
      const where = loaded.includes(this.model) ? 'loaded' : cached.includes(this.model) ? 'downloaded' : 'downloaded on first use';
      const memory = health.memory ? `, ${(health.memory.activeBytes / 1e9).toFixed(1)} GB in use` : '';
      return {
        ok: true,
        detail: `MLX on Python ${health.python} (${health.machine}): ${this.model}, ${where}${memory}.`,
        models: [...new Set([...loaded, ...cached])],
      };
    } catch (error) {
      return { ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Loads the model if need be (generation would anyway) and reads its window from its config. */
  async contextWindow(signal?: AbortSignal): Promise<number | undefined> {
    if (this.knownContextWindow !== undefined) return this.knownContextWindow;
    try {
      const loaded = await abortable(this.options.bridge.call('models/load', { model: this.model }, signal), signal);
      this.knownContextWindow = loaded.contextWindow ?? undefined;
    } catch {
      return undefined;
    }
    return this.knownContextWindow;
  }

  /** Stops the bridge process. */
  dispose(): Promise<void> {
    return this.options.bridge.dispose();
  }

  private async *generate(messages: ChatMessage[], options: ChatOptions): AsyncGenerator<ChatEvent, void, undefined> {
    const { signal } = options;
    const { bridge } = this.options;
    if (signal.aborted) throw cancelled();
    const requestId = randomUUID();
    const events = new EventQueue<ChatEvent>();
    const stopListening = bridge.onToken(requestId, (text) => events.push({ type: 'token', text }));
    let answered = false;
    let cancelSent = false;
    // Stops the generation in the bridge, so the model does not keep the GPU busy for nobody.
    const stopGenerating = (): void => {
      if (answered || cancelSent) return;
      cancelSent = true;
      bridge.cancel(requestId);
    };
    const onAbort = (): void => {
      events.fail(cancelled());
      stopGenerating();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const params: GenerateParams = {
      model: this.model,
      messages,
      max_tokens: options.maxTokens ?? this.options.maxTokens ?? 1024,
      temperature: options.temperature ?? this.options.temperature ?? 0.2,
      top_p: options.topP ?? this.options.topP ?? 1,
      stream: true,
      requestId,
      timeout_ms: this.options.generationTimeoutMs,
    };
    bridge.call('generate', params, signal).then(
      (result) => {
        answered = true;
        events.push({ type: 'done', usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens } });
        events.end();
      },
      (error: unknown) => {
        answered = true;
        events.fail(error instanceof ChatError ? error : new ChatError(`The MLX bridge failed: ${String(error)}`, 'bridge-error'));
      },
    );
    try {
      yield* events;
    } finally {
      signal.removeEventListener('abort', onAbort);
      stopListening();
      stopGenerating();
    }
  }
}

function cancelled(): ChatError {
  return new ChatError('The MLX generation was cancelled.', 'cancelled');
}

/** `promise`, or a 'cancelled' ChatError as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
