/**
 * Supervises the MLX bridge (python/mlx_bridge.py): starts it on first use, restarts it with
 * exponential backoff when it dies, and never makes the daemon wait on a dead one — while it is
 * down, calls fail at once with a ChatError 'bridge-error' the router can fail over on.
 */
import { ChatError } from '../chat/chatModel';
import type { Logger } from '../log';
import { BridgeChild } from './bridgeChild';
import type { BridgeMethod, BridgeMethods } from './bridgeProtocol';
import { locateBridgeScript, type PythonLocation } from './pythonLocator';

/**
 * `idle`: not running, starts on the next call. `starting`: spawned, waiting for its first
 * `health` answer. `backoff`: died, a restart is scheduled. `disposed`: stopped for good.
 */
export type BridgeState = 'idle' | 'starting' | 'running' | 'backoff' | 'disposed';

export interface BridgeProcessOptions {
  /** Finds the interpreter; asked at every start, so a new virtualenv or a changed setting is picked up. */
  locatePython: () => Promise<PythonLocation | undefined>;
  /** Path of mlx_bridge.py; found beside the bundle or in the repository by default. */
  script?: string;
  /** The bridge's environment (default: the daemon's). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** First restart delay; each further consecutive death doubles it. Default 500 ms. */
  backoffBaseMs?: number;
  /** Longest restart delay. Default 30 s. */
  backoffMaxMs?: number;
  /** Consecutive deaths after which restarts stop until the next call. Default 5. */
  maxRestarts?: number;
  /** A process that lived this long before dying starts the backoff over. Default 60 s. */
  stableMs?: number;
  /** How long the first `health` answer may take (importing mlx is slow). Default 30 s. */
  startTimeoutMs?: number;
  /** How long `dispose` waits after `shutdown` before killing. Default 2 s. */
  shutdownGraceMs?: number;
}

const HINT = 'set ferret.mlx.pythonPath to a Python with mlx-lm installed, or create a .venv with it in the workspace';

export class BridgeProcess {
  private stateValue: BridgeState = 'idle';
  private current?: BridgeChild;
  private starting?: Promise<BridgeChild>;
  private readonly children = new Set<BridgeChild>();
  private deaths = 0;
  private lastStop = '';
  private restartAt = 0;
  private restartTimer?: NodeJS.Timeout;
  private readonly tokenListeners = new Map<string, (text: string) => void>();
  private readonly stateListeners = new Set<(state: BridgeState) => void>();
  private readonly script: string;

  constructor(private readonly options: BridgeProcessOptions) {
    this.script = options.script ?? locateBridgeScript();
  }

  get state(): BridgeState {
    return this.stateValue;
  }

  /** Process id of the running bridge, if one is running. */
  get pid(): number | undefined {
    return this.current?.pid;
  }

  onStateChange(listener: (state: BridgeState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Routes the token notifications of one generation to `listener`; returns the unsubscribe. */
  onToken(requestId: string, listener: (text: string) => void): () => void {
    this.tokenListeners.set(requestId, listener);
    return () => this.tokenListeners.delete(requestId);
  }

  /**
   * Calls a bridge method, starting the bridge first if it is idle. Rejects with a ChatError: the
   * bridge's typed error, 'bridge-error' when it is down or dies meanwhile, 'mlx-unavailable'
   * when there is no Python, 'cancelled' when `signal` aborted while the bridge was starting.
   */
  async call<M extends BridgeMethod>(
    method: M,
    params: BridgeMethods[M]['params'],
    signal?: AbortSignal,
  ): Promise<BridgeMethods[M]['result']> {
    const child = await this.connect();
    if (signal?.aborted) throw new ChatError('The MLX request was cancelled.', 'cancelled');
    return child.request(method, params);
  }

  /** Tells a running bridge to stop generation `requestId`; nothing to do when none runs. */
  cancel(requestId: string): void {
    if (this.stateValue === 'running') this.current?.cancel(requestId);
  }

  /** Stops the bridge for good: `shutdown`, then a kill if it lingers. */
  async dispose(): Promise<void> {
    if (this.stateValue === 'disposed') return;
    this.setState('disposed');
    clearTimeout(this.restartTimer);
    const grace = this.options.shutdownGraceMs ?? 2_000;
    await Promise.all([...this.children].map((child) => child.stop(grace)));
  }

  private connect(): Promise<BridgeChild> {
    switch (this.stateValue) {
      case 'running':
        if (this.current) return Promise.resolve(this.current);
        return this.start();
      case 'starting':
        return this.starting ?? this.start();
      case 'idle':
        return this.start();
      case 'backoff': {
        const seconds = Math.max(0, (this.restartAt - Date.now()) / 1000).toFixed(1);
        return Promise.reject(
          new ChatError(`The MLX bridge stopped (${this.lastStop}) and restarts in ${seconds} s.`, 'bridge-error'),
        );
      }
      case 'disposed':
        return Promise.reject(new ChatError('The MLX bridge has been shut down.', 'bridge-error'));
    }
  }

  private start(): Promise<BridgeChild> {
    this.setState('starting');
    const starting = this.launch().then((child) => {
      if (this.stateValue !== 'starting') throw new ChatError('The MLX bridge has been shut down.', 'bridge-error');
      this.current = child;
      this.setState('running');
      return child;
    });
    // Callers get the rejection; this only keeps a start nobody awaits from being "unhandled".
    starting.catch(() => undefined);
    this.starting = starting;
    return starting;
  }

  private async launch(): Promise<BridgeChild> {
    const python = await this.options.locatePython().catch(() => undefined);
    if (this.stateValue !== 'starting') throw new ChatError('The MLX bridge has been shut down.', 'bridge-error');
    if (!python) {
      this.setState('idle');
      throw new ChatError(`No Python interpreter was found for MLX; ${HINT}.`, 'mlx-unavailable');
    }
    const child = new BridgeChild({
      python: python.command,
      script: this.script,
      env: this.options.env ?? process.env,
      onToken: (token) => this.tokenListeners.get(token.requestId)?.(token.text),
      onStderrLine: (line) => this.options.logger?.info(`mlx bridge: ${line}`),
    });
    this.children.add(child);
    void child.closed.then(() => this.onChildClosed(child));
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill();
        reject(new ChatError(`The MLX bridge did not answer within ${timeoutMs / 1000} s of starting.`, 'bridge-error'));
      }, timeoutMs);
    });
    try {
      const health = await Promise.race([child.request('health', {}), timeout]);
      this.options.logger?.info(
        `MLX bridge started (pid ${health.pid}, ${python.command}, Python ${health.python}, ` +
          `mlx ${health.mlxAvailable ? 'available' : `unavailable: ${health.mlxError ?? 'unknown error'}`}).`,
      );
      return child;
    } catch (error) {
      if (child.failedToSpawn) throw new ChatError(`Python for MLX could not be started (${child.stopReason}); ${HINT}.`, 'mlx-unavailable');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private onChildClosed(child: BridgeChild): void {
    this.children.delete(child);
    if (this.current === child) this.current = undefined;
    if (this.stateValue === 'disposed') return;
    if (child.failedToSpawn) {
      // A missing interpreter stays missing: wait for the next call rather than retrying.
      this.setState('idle');
      return;
    }
    const stableMs = this.options.stableMs ?? 60_000;
    this.deaths = Date.now() - child.startedAt >= stableMs ? 1 : this.deaths + 1;
    this.lastStop = child.stopReason ?? 'unknown reason';
    const maxRestarts = this.options.maxRestarts ?? 5;
    if (this.deaths > maxRestarts) {
      this.options.logger?.error(`The MLX bridge stopped ${this.deaths} times in a row (${this.lastStop}); it starts again on the next request.`);
      this.deaths = 0;
      this.setState('idle');
      return;
    }
    const base = this.options.backoffBaseMs ?? 500;
    const delay = Math.min(base * 2 ** (this.deaths - 1), this.options.backoffMaxMs ?? 30_000);
    this.options.logger?.warn(`The MLX bridge stopped (${this.lastStop}); restarting in ${delay} ms.`);
    this.restartAt = Date.now() + delay;
    this.setState('backoff');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stateValue === 'backoff') this.start().catch(() => undefined);
    }, delay);
  }

  private setState(state: BridgeState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
