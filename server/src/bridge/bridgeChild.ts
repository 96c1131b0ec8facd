/**
 * One running bridge process: the Python child, its JSON-RPC connection and the tail of its
 * stderr. Restarts are not its business; {@link BridgeProcess} supervises it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { createInterface } from 'node:readline';
import {
  ConnectionError,
  createMessageConnection,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { lastMeaningfulLine } from '../daemonClient/stderrTail';
import { ChatError } from '../chat/chatModel';
import { sentence } from '../text/wording';
import { chatErrorCode, TOKEN_NOTIFICATION, type BridgeMethod, type BridgeMethods, type TokenNotification } from './bridgeProtocol';

export interface BridgeChildOptions {
  python: string;
  script: string;
  env: NodeJS.ProcessEnv;
  onToken: (token: TokenNotification) => void;
  onStderrLine?: (line: string) => void;
}

const STDERR_TAIL_LINES = 40;
const CLOSE_WAIT_MS = 1_000;

export class BridgeChild {
  readonly startedAt = Date.now();
  /** Resolves once the process has exited and its pipes are closed (also after a failed spawn). */
  readonly closed: Promise<void>;
  private readonly child: ChildProcess;
  private readonly connection: MessageConnection;
  private readonly stderrTail: string[] = [];
  private spawnError?: NodeJS.ErrnoException;
  private exitReason?: string;
  private stopping = false;
  private protocolError?: string;

  constructor(private readonly options: BridgeChildOptions) {
    this.child = spawn(options.python, ['-u', options.script], {
      env: { ...options.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const { stdin, stdout, stderr } = this.child;
    if (!stdin || !stdout || !stderr) throw new Error('spawn gave no stdio pipes');
    // Writing to a child that just died raises EPIPE here; its exit is reported through `closed`.
    stdin.on('error', () => undefined);
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.spawnError = error;
    });
    createInterface({ input: stderr }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      options.onStderrLine?.(line);
    });
    const reader = new StreamMessageReader(stdout);
    reader.onError((error) => {
      // Unreadable output (something other than frames on stdout) leaves nothing to answer
      // the requests in flight: end the process, and the supervisor starts a clean one.
      this.protocolError ??= error.message.split('\n')[0];
      this.kill();
    });
    this.connection = createMessageConnection(reader, new StreamMessageWriter(stdin));
    this.connection.onNotification(TOKEN_NOTIFICATION, (params: unknown) => {
      if (isTokenNotification(params)) options.onToken(params);
    });
    this.closed = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exitReason = this.describeExit(code, signal);
        // Rejects the requests still open, with the reason just recorded.
        this.connection.dispose();
        resolve();
      });
    });
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why the process stopped, as a clause (`exit code 17: Fatal Python error: …`); undefined while running. */
  get stopReason(): string | undefined {
    return this.exitReason;
  }

  /** Whether the interpreter itself could not be started (missing or not executable). */
  get failedToSpawn(): boolean {
    return this.spawnError !== undefined;
  }

  async request<M extends BridgeMethod>(method: M, params: BridgeMethods[M]['params']): Promise<BridgeMethods[M]['result']> {
    try {
      const result: unknown = await this.connection.sendRequest(method, params);
      return result as BridgeMethods[M]['result'];
    } catch (error) {
      // A write to a dying process can fail before it is reported closed; wait (briefly) for the
      // exit, whose reason is what the user needs to read.
      if (connectionLost(error)) await Promise.race([this.closed, delay(CLOSE_WAIT_MS, undefined, { ref: false })]);
      throw this.toChatError(error);
    }
  }

  /** Asks the bridge to stop a generation; fire and forget, since the caller has moved on. */
  cancel(requestId: string): void {
    if (this.exitReason !== undefined) return;
    this.connection.sendRequest('cancel', { requestId }).catch(() => undefined);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** Sends `shutdown` and closes stdin; kills the process if it is still there after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.exitReason === undefined) {
      this.connection.sendRequest('shutdown', {}).catch(() => undefined);
      this.child.stdin?.end();
      const timer = setTimeout(() => this.kill(), graceMs);
      await this.closed;
      clearTimeout(timer);
    }
  }

  private toChatError(error: unknown): ChatError {
    if (error instanceof ChatError) return error;
    if (this.stopping) return new ChatError('The MLX bridge was shut down.', 'bridge-error');
    if (connectionLost(error) || this.exitReason !== undefined) {
      return new ChatError(`The MLX bridge stopped unexpectedly (${this.exitReason ?? 'its connection closed'}).`, 'bridge-error');
    }
    if (error instanceof ResponseError) return new ChatError(sentence(error.message), chatErrorCode(error.code));
    return new ChatError(`The MLX bridge failed: ${sentence(error instanceof Error ? error.message : String(error))}`, 'bridge-error');
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.spawnError) return `${this.options.python} could not be started: ${this.spawnError.code ?? this.spawnError.message}`;
    if (this.protocolError) return `its output broke the protocol: ${this.protocolError}`;
    const how = signal ? `killed by ${signal}` : `exit code ${code ?? 'unknown'}`;
    // The bridge's own `[mlx_bridge]` lines are progress, not the cause of a crash.
    const said = lastMeaningfulLine(this.stderrTail.filter((line) => !line.startsWith('[mlx_bridge]')));
    return said ? `${how}: ${said}` : how;
  }
}

/** Whether `error` means the process went away rather than answered. */
function connectionLost(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  if (!(error instanceof ResponseError)) return false;
  return error.code === ErrorCodes.PendingResponseRejected || error.code === ErrorCodes.MessageWriteError;
}

function isTokenNotification(value: unknown): value is TokenNotification {
  if (typeof value !== 'object' || value === null) return false;
  const { requestId, index, text } = value as Record<string, unknown>;
  return typeof requestId === 'string' && typeof index === 'number' && typeof text === 'string';
}
