/**
 * Helpers of the bridge tests: the real python/mlx_bridge.py, run with the stand-in mlx of
 * test/fixtures/fake_mlx on PYTHONPATH and scripted through FAKE_MLX_* variables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { StreamMessageReader, type Message } from 'vscode-jsonrpc/node';
import type { BridgeProcess, BridgeState } from '../../server/src/bridge/bridgeProcess';
import { locateBridgeScript } from '../../server/src/bridge/pythonLocator';
import { tempDir } from '../support/tempDir';

export const FAKE_MLX = path.join(__dirname, '..', 'fixtures', 'fake_mlx');
export const BRIDGE_SCRIPT = locateBridgeScript();
export const PYTHON = process.env.FERRET_TEST_PYTHON ?? 'python3';

export interface FakeEvent {
  event: 'load' | 'prompt' | 'start' | 'yield' | 'close' | 'end' | 'crash' | 'clear_cache';
  generation?: number;
  index?: number;
  model?: string;
  messages?: { role: string; content: string }[];
  sampler?: { temp: number; top_p: number };
  max_tokens?: number;
}

/** A scratch folder for one test: the gate the fake waits on, its event log, a Hugging Face cache. */
export class FakeMlx {
  readonly dir = tempDir('ferret-mlx-');
  readonly gate = path.join(this.dir, 'gate');
  readonly log = path.join(this.dir, 'events.jsonl');
  readonly hubCache = path.join(this.dir, 'hub');

  constructor(private readonly vars: Record<string, string> = {}) {
    mkdirSync(this.hubCache);
  }

  /**
   * The bridge's environment: FAKE_MLX_* from `vars` and nothing inherited; the stand-in on
   * PYTHONPATH unless `withoutMlx`; pieces held at {@link gate} when `gated`; FAKE_MLX_CRASH_AFTER
   * applying to one process only when `crashOnce`.
   */
  env(options: { gated?: boolean; withoutMlx?: boolean; crashOnce?: boolean } = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('FAKE_MLX_') && key !== 'PYTHONPATH' && !key.startsWith('HF_')) env[key] = value;
    }
    if (!options.withoutMlx) env.PYTHONPATH = FAKE_MLX;
    if (options.gated) env.FAKE_MLX_GATE = this.gate;
    if (options.crashOnce) env.FAKE_MLX_CRASH_ONCE = path.join(this.dir, 'crashed');
    // No __pycache__ left in test/fixtures.
    return { ...env, PYTHONDONTWRITEBYTECODE: '1', FAKE_MLX_LOG: this.log, HF_HUB_CACHE: this.hubCache, ...this.vars };
  }

  /** Lets `count` more pieces of text out of the fake model. */
  release(count = 1): void {
    appendFileSync(this.gate, 'x'.repeat(count));
  }

  /** Pretends `repo` (e.g. `mlx-community/Foo-4bit`) was downloaded. */
  cacheModel(repo: string): void {
    mkdirSync(path.join(this.hubCache, `models--${repo.replace('/', '--')}`));
  }

  events(): FakeEvent[] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FakeEvent);
  }

  /** Events of generation `n` (1-based, per bridge process). */
  generation(n: number): string[] {
    return this.events()
      .filter((e) => e.generation === n)
      .map((e) => (e.index === undefined ? e.event : `${e.event} ${e.index}`));
  }
}

export interface RpcMessage {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** The bridge spoken to byte by byte: for frames vscode-jsonrpc would never write. */
export class RawBridge {
  private readonly child: ChildProcess;
  private readonly messages: RpcMessage[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private nextId = 1000;

  constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(PYTHON, ['-u', BRIDGE_SCRIPT], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    const reader = new StreamMessageReader(this.child.stdout!);
    reader.listen((message: Message) => {
      this.messages.push(message as RpcMessage);
      this.waiter?.();
    });
    reader.onError((error) => {
      this.failure ??= error;
      this.waiter?.();
    });
  }

  write(bytes: string | Buffer): void {
    this.child.stdin!.write(bytes);
  }

  /** Writes `message` as one well-formed frame. */
  send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  /** The next message from the bridge, whatever it is. */
  async next(): Promise<RpcMessage> {
    while (this.messages.length === 0) {
      if (this.failure) throw new Error(`the bridge wrote something other than frames: ${this.failure.message}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
    return this.messages.shift()!;
  }

  /** Sends a request and returns its response, with the notifications that came before it. */
  async request(method: string, params?: unknown): Promise<{ response: RpcMessage; notifications: RpcMessage[] }> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return this.until(id);
  }

  /** Reads until the response to `id`, keeping the notifications met on the way. */
  async until(id: number | string | null): Promise<{ response: RpcMessage; notifications: RpcMessage[] }> {
    const notifications: RpcMessage[] = [];
    for (;;) {
      const message = await this.next();
      if (message.method !== undefined) notifications.push(message);
      else if (message.id === id) return { response: message, notifications };
      else throw new Error(`unexpected message ${JSON.stringify(message)} while waiting for ${id}`);
    }
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** Resolves when `bridge` reaches `state` (at once if it is there). */
export function waitForState(bridge: BridgeProcess, state: BridgeState): Promise<void> {
  return new Promise((resolve) => {
    if (bridge.state === state) return resolve();
    const stop = bridge.onStateChange((now) => {
      if (now !== state) return;
      stop();
      resolve();
    });
  });
}

/** Whether a process with this id is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
