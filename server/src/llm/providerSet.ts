import { errorMessage, type Logger } from '../log';
import type { FerretSettings } from '../shared/protocol';
import { ChatRouter } from './chatRouter';
import type { RouterObserver } from './routerReports';
import { createProviders, type OwnedChatModel } from './providerFactory';

interface Generation {
  providers: OwnedChatModel[];
  router: ChatRouter;
  /** Answers running on this generation. */
  active: number;
  retired: boolean;
}

/**
 * The chat providers and their router, replaced as a whole when provider settings change. An
 * answer keeps the generation it started on, so a settings change never cuts a stream; a
 * replaced generation is disposed (the MLX bridge is a process) once its last answer ends.
 */
export class ProviderSet {
  private current: Generation | undefined;

  constructor(
    private readonly log: Logger,
    private readonly onChange: () => void,
    /** Carried over to every router, so counts survive a settings change. */
    private readonly observer?: RouterObserver,
  ) {}

  get router(): ChatRouter | undefined {
    return this.current?.router;
  }

  /** Builds providers for `settings`, makes them current and retires the previous ones. */
  replace(settings: FerretSettings, folders: readonly string[]): ChatRouter {
    const previous = this.current;
    const providers = createProviders(settings, folders, this.log);
    const router = new ChatRouter(providers, {
      onChange: this.onChange,
      firstTokenTimeoutMs: settings.firstTokenTimeoutSeconds * 1000,
      totalTimeoutMs: settings.answerTimeoutSeconds * 1000,
      ...(this.observer ? { observer: this.observer } : {}),
    });
    this.current = { providers, router, active: 0, retired: false };
    if (previous) this.retire(previous);
    // Health checks only feed the breakers and the status; an answer never waits for them.
    void router.checkHealth().catch((e: unknown) => this.log.warn(`Checking chat providers: ${errorMessage(e)}`));
    return router;
  }

  /** Runs one answer on the current router, keeping its providers alive until it ends. */
  async use<T>(run: (router: ChatRouter) => Promise<T>): Promise<T> {
    const generation = this.current;
    if (!generation) throw new Error('The daemon has not been initialised.');
    generation.active++;
    try {
      return await run(generation.router);
    } finally {
      generation.active--;
      if (generation.retired && generation.active === 0) await this.disposeGeneration(generation);
    }
  }

  async dispose(): Promise<void> {
    const generation = this.current;
    this.current = undefined;
    if (generation) await this.disposeGeneration(generation);
  }

  private retire(generation: Generation): void {
    generation.retired = true;
    if (generation.active === 0) void this.disposeGeneration(generation);
  }

  private async disposeGeneration(generation: Generation): Promise<void> {
    await Promise.all(
      generation.providers.map(async (p) => {
        try {
          await p.dispose?.();
        } catch (error) {
          this.log.warn(`Stopping chat provider ${p.id}: ${errorMessage(error)}`);
        }
      }),
    );
  }
}
