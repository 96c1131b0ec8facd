// The bridge's wire protocol, spoken byte by byte to the real python/mlx_bridge.py running on the
// stand-in mlx (test/fixtures/fake_mlx).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { BRIDGE_ERROR_CODES as CODES, type BridgeHealth, type GenerateResult } from '../../server/src/bridge/bridgeProtocol';
import { BRIDGE_SCRIPT, FakeMlx, PYTHON, RawBridge } from './bridgeFixture';

/** Per test: generous, as each one starts Python (slow on a loaded machine). */
const TIMEOUT = { timeout: 60_000 };

const USER = [{ role: 'user', content: 'What does main() do?' }];

describe('mlx_bridge.py protocol', () => {
  let bridge: RawBridge | undefined;
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });
  const start = (fake: FakeMlx, options?: Parameters<FakeMlx['env']>[0]): RawBridge => {
    bridge = new RawBridge(fake.env(options));
    return bridge;
  };

  it('shares its error code table with the Node side', TIMEOUT, () => {
    const run = spawnSync(PYTHON, [BRIDGE_SCRIPT, '--error-codes'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), CODES);
  });

  it('answers health with the platform, mlx and memory in use', TIMEOUT, async () => {
    const raw = start(new FakeMlx());
    const { response } = await raw.request('health');
    const health = response.result as unknown as BridgeHealth;
    assert.equal(health.mlxAvailable, true);
    assert.equal(health.mlxError, undefined);
    assert.equal(health.platform, process.platform);
    assert.match(health.python, /^3\.\d+/);
    assert.deepEqual(health.loadedModels, []);
    assert.equal(health.busy, null);
    assert.deepEqual(health.memory, { activeBytes: 123_456_789, peakBytes: 234_567_890 });
  });

  it('reports MLX unavailable with the import error when mlx is not installed', TIMEOUT, async () => {
    const raw = start(new FakeMlx(), { withoutMlx: true });
    const health = (await raw.request('health')).response.result as unknown as BridgeHealth;
    assert.equal(health.mlxAvailable, false);
    assert.match(health.mlxError ?? '', /No module named 'mlx'/);
    assert.equal(health.memory, null);
    const generate = await raw.request('generate', { model: 'any', messages: USER });
    assert.equal(generate.response.error?.code, CODES.MLX_UNAVAILABLE);
    assert.match(generate.response.error?.message ?? '', /MLX is not available/);
  });

  it('streams a generation as ordered notifications, then answers with the text, counts and timings', TIMEOUT, async () => {
    const fake = new FakeMlx();
    const raw = start(fake);
    const params = { model: 'mlx-community/Tiny-4bit', messages: USER, max_tokens: 16, temperature: 0.3, top_p: 0.9, requestId: 'g1' };
    const { response, notifications } = await raw.request('generate', params);
    assert.equal(response.error, undefined);
    assert.deepEqual(
      notifications.map((n) => [n.method, n.params?.requestId, n.params?.index, n.params?.text]),
      [
        ['generate/token', 'g1', 0, 'Hello'],
        ['generate/token', 'g1', 1, ','],
        ['generate/token', 'g1', 2, ' world'],
        ['generate/token', 'g1', 3, '!'],
      ],
    );
    const result = response.result as unknown as GenerateResult;
    assert.equal(result.text, 'Hello, world!');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.usage.completionTokens, 4);
    assert.ok(result.usage.promptTokens > 0);
    assert.equal(typeof result.timings.firstTokenMs, 'number');
    assert.ok(result.timings.totalMs >= (result.timings.firstTokenMs ?? 0));
    const events = fake.events();
    assert.deepEqual(events.find((e) => e.event === 'prompt')?.messages, USER, 'messages went through the chat template');
    const started = events.find((e) => e.event === 'start');
    assert.equal(started?.max_tokens, 16);
    assert.deepEqual({ temp: started?.sampler?.temp, top_p: started?.sampler?.top_p }, { temp: 0.3, top_p: 0.9 });
    // The fake's load printed to stdout (print and os.write): the frames above were read intact.
    assert.ok(events.some((e) => e.event === 'load'));
  });

  it('stops at max_tokens, and sends no notifications when not streaming', TIMEOUT, async () => {
    const raw = start(new FakeMlx());
    const { response, notifications } = await raw.request('generate', { model: 'm', prompt: 'Say hi', max_tokens: 2, stream: false });
    assert.deepEqual(notifications, []);
    const result = response.result as unknown as GenerateResult;
    assert.equal(result.text, 'Hello,');
    assert.equal(result.finishReason, 'length');
  });

  it('loads, lists and unloads models, reporting the context window from the model config', TIMEOUT, async () => {
    const fake = new FakeMlx({ FAKE_MLX_CONTEXT: '8192' });
    fake.cacheModel('mlx-community/Cached-4bit');
    const raw = start(fake);
    const loaded = (await raw.request('models/load', { model: 'org/Loaded' })).response.result;
    assert.equal(loaded?.contextWindow, 8192);
    assert.deepEqual((await raw.request('models/list')).response.result, { loaded: ['org/Loaded'], cached: ['mlx-community/Cached-4bit'] });
    assert.deepEqual((await raw.request('models/unload', { model: 'org/Loaded' })).response.result, { model: 'org/Loaded', unloaded: true });
    assert.ok(fake.events().some((e) => e.event === 'clear_cache'), 'unloading frees the MLX cache');
    assert.deepEqual((await raw.request('models/list')).response.result?.loaded, []);
  });

  it('answers MODEL_NOT_FOUND and OUT_OF_MEMORY with their codes and keeps serving', TIMEOUT, async () => {
    const raw = start(new FakeMlx({ FAKE_MLX_MISSING_MODELS: 'ghost/model', FAKE_MLX_OOM_MODELS: 'huge/model' }));
    const missing = await raw.request('generate', { model: 'ghost/model', messages: USER });
    assert.equal(missing.response.error?.code, CODES.MODEL_NOT_FOUND);
    assert.match(missing.response.error?.message ?? '', /ghost\/model/);
    assert.equal((await raw.request('models/load', { model: 'ghost/model' })).response.error?.code, CODES.MODEL_NOT_FOUND);
    const oom = await raw.request('generate', { model: 'huge/model', messages: USER });
    assert.equal(oom.response.error?.code, CODES.OUT_OF_MEMORY);
    assert.match(oom.response.error?.message ?? '', /out of memory/i);
    const ok = await raw.request('generate', { model: 'small/model', messages: USER });
    assert.equal((ok.response.result as unknown as GenerateResult).text, 'Hello, world!');
  });

  it('answers embed with a typed error, as mlx_lm has no embedding API', TIMEOUT, async () => {
    const raw = start(new FakeMlx());
    assert.equal((await raw.request('embed', { model: 'm', texts: ['a'] })).response.error?.code, CODES.EMBEDDING_UNSUPPORTED);
    assert.equal((await raw.request('embed', { model: 'm', texts: 'a' })).response.error?.code, CODES.INVALID_PARAMS);
  });

  it('answers health and cancel while generating, and stops the model at the next piece', TIMEOUT, async () => {
    const fake = new FakeMlx({ FAKE_MLX_TOKENS: JSON.stringify(['a', 'b', 'c', 'd']) });
    const raw = start(fake, { gated: true });
    raw.send({ jsonrpc: '2.0', id: 1, method: 'generate', params: { model: 'm', messages: USER, requestId: 'g1' } });
    fake.release(1);
    assert.deepEqual((await raw.next()).params, { requestId: 'g1', index: 0, text: 'a' });
    // The fake is now blocked before piece 1: only the worker thread waits, not the stdio loop.
    assert.equal((await raw.request('health')).response.result?.busy, 'g1');
    raw.send({ jsonrpc: '2.0', id: 2, method: 'cancel', params: { requestId: 'g1' } });
    const generateReply = await raw.next();
    assert.equal(generateReply.id, 1);
    assert.equal(generateReply.error?.code, CODES.REQUEST_CANCELLED);
    assert.deepEqual((await raw.next()).result, { cancelled: true });
    fake.release(10);
    const after = await raw.request('generate', { model: 'm', messages: USER, requestId: 'g2' });
    assert.deepEqual(
      after.notifications.map((n) => n.params?.requestId),
      ['g2', 'g2', 'g2', 'g2'],
      'nothing more of g1 was sent',
    );
    assert.deepEqual(fake.generation(1), ['start', 'yield 0', 'yield 1', 'close'], 'g1 was closed after the piece in flight');
    assert.deepEqual((await raw.request('cancel', { requestId: 'g1' })).response.result, { cancelled: false });
  });

  it('answers GENERATION_TIMEOUT when a generation outlives timeout_ms', TIMEOUT, async () => {
    const fake = new FakeMlx();
    const raw = start(fake, { gated: true });
    const { response } = await raw.request('generate', { model: 'm', messages: USER, timeout_ms: 50 });
    assert.equal(response.error?.code, CODES.GENERATION_TIMEOUT);
    fake.release(10);
    assert.equal(((await raw.request('generate', { model: 'm', messages: USER })).response.result as unknown as GenerateResult).text, 'Hello, world!');
  });

  describe('malformed input', () => {
    const cases: { name: string; bytes: string; code: number; id?: number | null }[] = [
      { name: 'garbage JSON behind a valid header', bytes: 'Content-Length: 9\r\n\r\n{"jsonrpc', code: CODES.PARSE_ERROR, id: null },
      { name: 'a frame without Content-Length', bytes: 'Content-Type: application/json\r\n\r\n{}', code: CODES.PARSE_ERROR, id: null },
      { name: 'a non-numeric Content-Length', bytes: 'Content-Length: twelve\r\n\r\n{}', code: CODES.PARSE_ERROR, id: null },
      { name: 'a batch (array)', bytes: frame('[{"jsonrpc":"2.0","id":1,"method":"health"}]'), code: CODES.INVALID_REQUEST, id: null },
      { name: 'a request without jsonrpc', bytes: frame('{"id":7,"method":"health"}'), code: CODES.INVALID_REQUEST, id: 7 },
      { name: 'an id of the wrong type', bytes: frame('{"jsonrpc":"2.0","id":{"a":1},"method":"health"}'), code: CODES.INVALID_REQUEST, id: null },
      { name: 'an unknown method', bytes: frame('{"jsonrpc":"2.0","id":8,"method":"nope"}'), code: CODES.METHOD_NOT_FOUND, id: 8 },
      { name: 'positional params', bytes: frame('{"jsonrpc":"2.0","id":9,"method":"health","params":[1]}'), code: CODES.INVALID_PARAMS, id: 9 },
      { name: 'max_tokens as a string', bytes: rpc(10, { model: 'm', messages: USER, max_tokens: 'ten' }), code: CODES.INVALID_PARAMS, id: 10 },
      { name: 'max_tokens as a boolean', bytes: rpc(11, { model: 'm', messages: USER, max_tokens: true }), code: CODES.INVALID_PARAMS, id: 11 },
      { name: 'a message with an unknown role', bytes: rpc(12, { model: 'm', messages: [{ role: 'tool', content: 'x' }] }), code: CODES.INVALID_PARAMS, id: 12 },
      { name: 'both prompt and messages', bytes: rpc(13, { model: 'm', messages: USER, prompt: 'x' }), code: CODES.INVALID_PARAMS, id: 13 },
      { name: 'a missing model', bytes: rpc(14, { messages: USER }), code: CODES.INVALID_PARAMS, id: 14 },
      { name: 'top_p out of range', bytes: rpc(15, { model: 'm', messages: USER, top_p: 2 }), code: CODES.INVALID_PARAMS, id: 15 },
    ];
    for (const c of cases) {
      it(`answers ${c.name} with ${c.code}, then serves health`, TIMEOUT, async () => {
        const raw = start(new FakeMlx());
        raw.write(c.bytes);
        const reply = await raw.next();
        assert.equal(reply.error?.code, c.code, JSON.stringify(reply));
        assert.equal(reply.id, c.id);
        assert.equal((await raw.request('health')).response.result?.mlxAvailable, true);
      });
    }

    it('recovers from a Content-Length that is too short', TIMEOUT, async () => {
      const raw = start(new FakeMlx());
      const body = '{"jsonrpc":"2.0","id":1,"method":"health"}';
      // The 10 bytes read are not JSON; the rest of the body is skipped up to the next header.
      raw.write(`Content-Length: 10\r\n\r\n${body}`);
      assert.equal((await raw.next()).error?.code, CODES.PARSE_ERROR);
      assert.equal((await raw.request('health')).response.result?.mlxAvailable, true);
    });
  });
});

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function rpc(id: number, params: unknown): string {
  return frame(JSON.stringify({ jsonrpc: '2.0', id, method: 'generate', params }));
}
