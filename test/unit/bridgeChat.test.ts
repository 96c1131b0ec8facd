// MlxChat and BridgeProcess against the real python/mlx_bridge.py on the stand-in mlx: streaming,
// cancellation, typed errors, a crash mid-stream and the restart after it, lazy start, dispose.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { BridgeProcess, type BridgeProcessOptions } from '../../server/src/bridge/bridgeProcess';
import { createMlxChat, MlxChat } from '../../server/src/bridge/mlxChat';
import { ChatError, type ChatErrorCode, type ChatEvent, type ChatMessage } from '../../server/src/chat/chatModel';
import { FakeMlx, isAlive, PYTHON, waitForState } from './bridgeFixture';

/** Per test: generous, as each one starts Python (slow on a loaded machine). */
const TIMEOUT = { timeout: 60_000 };

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer from the sources.' },
  { role: 'user', content: 'Where is the config parsed?' },
];

/** Asserts a ChatError with `code` and a one-line message matching `pattern`. */
async function rejectsWith(promise: Promise<unknown>, code: ChatErrorCode, pattern?: RegExp): Promise<ChatError> {
  const error = await promise.then(
    () => assert.fail(`expected a ChatError '${code}'`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ChatError, `not a ChatError: ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.doesNotMatch(error.message, /\n/);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

async function collect(stream: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function text(events: ChatEvent[]): string {
  return events.map((e) => (e.type === 'token' ? e.text : '')).join('');
}

describe('MlxChat over the bridge', () => {
  const bridges: BridgeProcess[] = [];
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((b) => b.dispose()));
  });

  function setup(
    fake: FakeMlx,
    options: { gated?: boolean; withoutMlx?: boolean; crashOnce?: boolean; model?: string; bridge?: Partial<BridgeProcessOptions> } = {},
  ) {
    const bridge = new BridgeProcess({
      locatePython: async () => ({ command: PYTHON, source: 'path' }),
      env: fake.env(options),
      backoffBaseMs: 1,
      ...options.bridge,
    });
    bridges.push(bridge);
    return { bridge, chat: new MlxChat({ bridge, model: options.model ?? 'mlx-community/Tiny-4bit' }) };
  }

  it('starts Python only when first used', TIMEOUT, async () => {
    const { bridge, chat } = setup(new FakeMlx());
    assert.equal(chat.id, 'mlx');
    assert.equal(bridge.state, 'idle');
    assert.equal(bridge.pid, undefined);
    await chat.health();
    assert.equal(bridge.state, 'running');
    assert.ok(bridge.pid && isAlive(bridge.pid));
  });

  it('streams the tokens in order, then done with the token counts', TIMEOUT, async () => {
    const fake = new FakeMlx();
    const { chat } = setup(fake);
    const events = await collect(chat.stream(MESSAGES, { signal: new AbortController().signal, maxTokens: 64, temperature: 0 }));
    assert.deepEqual(events.slice(0, -1), [
      { type: 'token', text: 'Hello' },
      { type: 'token', text: ',' },
      { type: 'token', text: ' world' },
      { type: 'token', text: '!' },
    ]);
    const done = events.at(-1);
    assert.equal(done?.type, 'done');
    assert.equal(done.type === 'done' && done.usage.completionTokens, 4);
    assert.ok(done.type === 'done' && (done.usage.promptTokens ?? 0) > 0);
    assert.deepEqual(fake.events().find((e) => e.event === 'prompt')?.messages, MESSAGES);
    assert.equal(fake.events().find((e) => e.event === 'start')?.max_tokens, 64);
  });

  it('maps health: model, memory and models on disk', TIMEOUT, async () => {
    const fake = new FakeMlx();
    fake.cacheModel('mlx-community/Tiny-4bit');
    const { chat } = setup(fake);
    const health = await chat.health();
    assert.equal(health.ok, true, health.detail);
    assert.match(health.detail, /mlx-community\/Tiny-4bit, downloaded, 0\.1 GB in use\./);
    assert.deepEqual(health.models, ['mlx-community/Tiny-4bit']);
  });

  it('reads the context window from the model config', TIMEOUT, async () => {
    const { chat } = setup(new FakeMlx({ FAKE_MLX_CONTEXT: '16384' }));
    assert.equal(await chat.contextWindow(), 16384);
  });

  it("reports 'mlx-unavailable' when mlx does not import", TIMEOUT, async () => {
    const { chat } = setup(new FakeMlx(), { withoutMlx: true });
    const health = await chat.health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /MLX is not available in Python 3\.\d+.*No module named 'mlx'.*pip install mlx-lm/);
    await rejectsWith(collect(chat.stream(MESSAGES, { signal: new AbortController().signal })), 'mlx-unavailable');
  });

  it("reports 'model-not-found' and 'out-of-memory', and keeps serving", TIMEOUT, async () => {
    const fake = new FakeMlx({ FAKE_MLX_MISSING_MODELS: 'ghost/model', FAKE_MLX_OOM_MODELS: 'huge/model' });
    const { bridge } = setup(fake);
    const signal = new AbortController().signal;
    await rejectsWith(collect(new MlxChat({ bridge, model: 'ghost/model' }).stream(MESSAGES, { signal })), 'model-not-found', /ghost\/model/);
    await rejectsWith(collect(new MlxChat({ bridge, model: 'huge/model' }).stream(MESSAGES, { signal })), 'out-of-memory', /out of memory/i);
    assert.equal(text(await collect(new MlxChat({ bridge, model: 'small/model' }).stream(MESSAGES, { signal }))), 'Hello, world!');
  });

  it('never downloads a model unless the environment allows it: a missing one is named with how to fetch it', TIMEOUT, async () => {
    const fake = new FakeMlx();
    fake.cacheModel('mlx-community/Cached-4bit');
    const chats: MlxChat[] = [];
    const answer = (model: string, env: NodeJS.ProcessEnv) => {
      const chat = createMlxChat({ model, env, pythonPath: PYTHON });
      chats.push(chat);
      return collect(chat.stream(MESSAGES, { signal: new AbortController().signal }));
    };
    try {
      await rejectsWith(answer('mlx-community/Absent-4bit', fake.env()), 'model-not-found', /Ferret does not download models: fetch it once with `mlx_lm\.generate --model mlx-community\/Absent-4bit/);
      assert.equal(text(await answer('mlx-community/Cached-4bit', fake.env())), 'Hello, world!');
      assert.equal(text(await answer('mlx-community/Absent-4bit', { ...fake.env(), HF_HUB_OFFLINE: '0' })), 'Hello, world!');
    } finally {
      await Promise.all(chats.map((chat) => chat.dispose()));
    }
  });

  it("ends with 'cancelled' as soon as the signal aborts, and the bridge stops generating", TIMEOUT, async () => {
    const fake = new FakeMlx({ FAKE_MLX_TOKENS: JSON.stringify(['a', 'b', 'c', 'd']) });
    const { bridge, chat } = setup(fake, { gated: true });
    const controller = new AbortController();
    const stream = chat.stream(MESSAGES, { signal: controller.signal })[Symbol.asyncIterator]();
    fake.release(2);
    assert.deepEqual((await stream.next()).value, { type: 'token', text: 'a' });
    assert.deepEqual((await stream.next()).value, { type: 'token', text: 'b' });
    // The fake now waits for the test before piece 2: the stream must end without it.
    controller.abort();
    await rejectsWith(stream.next(), 'cancelled');
    // The bridge reads requests in order, so once this health is answered it has had the cancel;
    // its worker is still blocked inside the model.
    assert.notEqual((await bridge.call('health', {})).busy, null);
    fake.release(10);
    // A second generation runs after the first has left the worker.
    assert.equal(text(await collect(chat.stream(MESSAGES, { signal: new AbortController().signal }))), 'abcd');
    assert.deepEqual(fake.generation(1), ['start', 'yield 0', 'yield 1', 'yield 2', 'close']);
  });

  it("reports a crash mid-stream as 'bridge-error', then restarts the bridge for the next request", TIMEOUT, async () => {
    const fake = new FakeMlx({ FAKE_MLX_CRASH_AFTER: '2' });
    const { bridge, chat } = setup(fake, { gated: true, crashOnce: true });
    const stream = chat.stream(MESSAGES, { signal: new AbortController().signal })[Symbol.asyncIterator]();
    fake.release(2);
    assert.deepEqual((await stream.next()).value, { type: 'token', text: 'Hello' });
    assert.deepEqual((await stream.next()).value, { type: 'token', text: ',' });
    const firstPid = bridge.pid;
    const restarted = waitForState(bridge, 'backoff').then(() => waitForState(bridge, 'running'));
    fake.release(1);
    await rejectsWith(stream.next(), 'bridge-error', /stopped unexpectedly \(exit code 17: fake_mlx: Fatal error: crashing on purpose\)/);
    await restarted;
    assert.notEqual(bridge.pid, firstPid);
    assert.equal(firstPid !== undefined && isAlive(firstPid), false);
    fake.release(10);
    assert.equal(text(await collect(chat.stream(MESSAGES, { signal: new AbortController().signal }))), 'Hello, world!');
  });

  it("fails fast with 'bridge-error' while a restart is pending", TIMEOUT, async () => {
    const fake = new FakeMlx({ FAKE_MLX_CRASH_AFTER: '0' });
    const { bridge, chat } = setup(fake, { bridge: { backoffBaseMs: 60_000, backoffMaxMs: 60_000 } });
    const signal = new AbortController().signal;
    await rejectsWith(collect(chat.stream(MESSAGES, { signal })), 'bridge-error', /stopped unexpectedly/);
    await waitForState(bridge, 'backoff');
    await rejectsWith(collect(chat.stream(MESSAGES, { signal })), 'bridge-error', /restarts in (59|60)\.\d s/);
    const health = await chat.health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /restarts in/);
  });

  it('backs off exponentially and stops restarting after maxRestarts consecutive deaths', TIMEOUT, async () => {
    const fake = new FakeMlx();
    const dying = path.join(fake.dir, 'dying.py');
    writeFileSync(dying, 'import sys\nsys.stderr.write("ImportError: broken install\\n")\nsys.exit(3)\n');
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    const { bridge, chat } = setup(fake, { bridge: { script: dying, backoffBaseMs: 5, maxRestarts: 3, logger } });
    await rejectsWith(collect(chat.stream(MESSAGES, { signal: new AbortController().signal })), 'bridge-error', /exit code 3: ImportError: broken install/);
    assert.equal(bridge.state, 'backoff');
    await waitForState(bridge, 'idle');
    assert.deepEqual(
      warnings.map((w) => w.match(/restarting in \d+ ms|stopped 4 times in a row/)?.[0]),
      ['restarting in 5 ms', 'restarting in 10 ms', 'restarting in 20 ms', 'stopped 4 times in a row'],
    );
  });

  it("reports 'mlx-unavailable' when there is no Python, without retrying", TIMEOUT, async () => {
    const fake = new FakeMlx();
    const none = setup(fake, { bridge: { locatePython: async () => undefined } });
    await rejectsWith(collect(none.chat.stream(MESSAGES, { signal: new AbortController().signal })), 'mlx-unavailable', /No Python interpreter/);
    assert.equal(none.bridge.state, 'idle');
    const missing = setup(fake, { bridge: { locatePython: async () => ({ command: path.join(fake.dir, 'no-python'), source: 'setting' }) } });
    const health = await missing.chat.health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /could not be started \(.*no-python could not be started: ENOENT\)/);
    assert.equal(missing.bridge.state, 'idle');
  });

  it('dispose shuts the bridge down; later calls fail', TIMEOUT, async () => {
    const { bridge, chat } = setup(new FakeMlx());
    await chat.health();
    const pid = bridge.pid;
    assert.ok(pid !== undefined && isAlive(pid));
    await chat.dispose();
    assert.equal(bridge.state, 'disposed');
    assert.equal(isAlive(pid), false);
    await rejectsWith(collect(chat.stream(MESSAGES, { signal: new AbortController().signal })), 'bridge-error', /shut down/);
  });

  it('dispose kills a bridge that ignores shutdown', TIMEOUT, async () => {
    const fake = new FakeMlx();
    const deaf = path.join(fake.dir, 'deaf.py');
    // Answers the first request (the start-up health), then ignores everything, even end of input.
    writeFileSync(
      deaf,
      [
        'import json, sys, time',
        'length = int(sys.stdin.buffer.readline().split(b":")[1]); sys.stdin.buffer.readline()',
        'request = json.loads(sys.stdin.buffer.read(length))',
        'body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": {"pid": 0, "python": "3", "mlxAvailable": True}})',
        'sys.stdout.write("Content-Length: %d\\r\\n\\r\\n%s" % (len(body), body)); sys.stdout.flush()',
        'while True: time.sleep(1)',
      ].join('\n'),
    );
    const { bridge } = setup(fake, { bridge: { script: deaf, shutdownGraceMs: 50 } });
    const unanswered = bridge.call('health', {}).then(
      () => assert.fail('the deaf bridge answered'),
      (error: unknown) => error,
    );
    await waitForState(bridge, 'running');
    const pid = bridge.pid;
    assert.ok(pid !== undefined && isAlive(pid));
    await bridge.dispose();
    assert.equal(isAlive(pid), false);
    const error = await unanswered;
    assert.ok(error instanceof ChatError && error.code === 'bridge-error' && /shut down/.test(error.message), String(error));
  });
});
