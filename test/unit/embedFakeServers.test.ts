/**
 * The fake model servers are test infrastructure that chat tests will lean on: these tests pin
 * their scripting (chat streams, errors, gates, disconnects) against the real clients' view.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Ollama } from 'ollama';
import { createGate, FakeOllama, refusedUrl } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';

/** Reads a streamed body line by line; `next()` resolves with the next complete line, or undefined at the end. */
function lines(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async function next(): Promise<string | undefined> {
    for (;;) {
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.trim()) return line;
        continue;
      }
      const { done, value } = await reader.read();
      if (done) {
        const rest = buffer.trim() ? buffer : undefined;
        buffer = '';
        return rest;
      }
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

const chatBody = (model: string, stream = true) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream });

describe('FakeOllama', () => {
  let ollama: FakeOllama;
  before(async () => {
    ollama = await FakeOllama.start({ chatTokens: ['A', 'B', 'C'] });
  });
  afterEach(() => ollama.reset());
  after(() => ollama.close());

  it('speaks the API the ollama client expects', async () => {
    const client = new Ollama({ host: ollama.url });
    assert.deepEqual(await client.version(), { version: '0.12.6' });
    assert.deepEqual(
      (await client.list()).models.map((m) => m.name),
      ['nomic-embed-text:latest', 'llama3.2:latest'],
    );
    const shown = await client.show({ model: 'nomic-embed-text' });
    // The client's types say Map; over the wire it is a plain object.
    assert.equal((shown.model_info as unknown as Record<string, unknown>)['nomic-bert.embedding_length'], 768);
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const parts: string[] = [];
    let final: { done: boolean; eval_count: number } | undefined;
    for await (const part of stream) {
      parts.push(part.message.content);
      if (part.done) final = part;
    }
    assert.deepEqual(parts, ['A', 'B', 'C', '']);
    assert.equal(final?.eval_count, 3);
    const whole = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false });
    assert.equal(whole.message.content, 'ABC');
    assert.equal(ollama.count('/api/chat'), 2);
    assert.equal(ollama.count('/api/version'), 1);
  });

  it('holds the first token until the gate opens, headers already sent', { timeout: 5000 }, async () => {
    const gate = createGate();
    ollama.next('/api/chat', { kind: 'ok', tokens: ['slow'], chunkGates: [gate.promise] });
    const response = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('llama3.2') });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
    const next = lines(response);
    let arrived = false;
    const first = next().then((line) => {
      arrived = true;
      return line;
    });
    // A full round trip to the same server: had the token been sent, it would be here by now.
    await fetch(`${ollama.url}/api/version`);
    assert.equal(arrived, false);
    gate.release();
    assert.equal(JSON.parse((await first)!).message.content, 'slow');
    assert.equal(JSON.parse((await next())!).done, true);
  });

  it('scripts HTTP errors per request, then falls back to the default', async () => {
    ollama.next('/api/chat', { kind: 'status', status: 500, message: 'boom' });
    const failed = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('llama3.2') });
    assert.equal(failed.status, 500);
    assert.deepEqual(await failed.json(), { error: 'boom' });
    const ok = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('llama3.2', false) });
    assert.equal(ok.status, 200);
    const missing = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('nope') });
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { error: string }).error, /model "nope" not found/);
  });

  it('breaks a stream with a malformed line after N good ones', async () => {
    ollama.next('/api/chat', { kind: 'malformed', afterChunks: 2 });
    const next = lines(await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('llama3.2') }));
    assert.equal(JSON.parse((await next())!).message.content, 'A');
    assert.equal(JSON.parse((await next())!).message.content, 'B');
    const broken = (await next())!;
    assert.throws(() => JSON.parse(broken));
    assert.equal(await next(), undefined);
  });

  it('cuts the connection mid-stream, when the test says', { timeout: 5000 }, async () => {
    const gate = createGate();
    ollama.next('/api/chat', { kind: 'disconnect', afterChunks: 1, chunkGates: [undefined, gate.promise] });
    const next = lines(await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('llama3.2') }));
    assert.equal(JSON.parse((await next())!).message.content, 'A');
    gate.release();
    await assert.rejects(next(), /terminated/);
  });

  it('sees a client abort', { timeout: 5000 }, async () => {
    const gate = createGate();
    ollama.next('/api/chat', { kind: 'ok', chunkGates: [gate.promise] });
    const controller = new AbortController();
    const response = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: chatBody('llama3.2'), signal: controller.signal });
    const request = await ollama.waitForRequest('/api/chat');
    controller.abort();
    await assert.rejects(response.text());
    await request.disconnected;
    gate.release();
  });

  it('leaves nothing listening after close', async () => {
    const url = await refusedUrl();
    await assert.rejects(fetch(`${url}/api/version`), (error: TypeError) => (error.cause as { code?: string }).code === 'ECONNREFUSED');
    const short = await FakeOllama.start();
    const closedUrl = short.url;
    await short.close();
    await assert.rejects(fetch(`${closedUrl}/api/version`), (error: TypeError) => (error.cause as { code?: string }).code === 'ECONNREFUSED');
  });
});

describe('FakeOpenAI', () => {
  let server: FakeOpenAI;
  before(async () => {
    server = await FakeOpenAI.start({ chatTokens: ['x', 'y'] });
  });
  afterEach(() => server.reset());
  after(() => server.close());

  it('streams chat completions as SSE ending in [DONE]', async () => {
    const response = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: chatBody('gpt-4o-mini') });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const next = lines(response);
    const events: string[] = [];
    for (let line = await next(); line !== undefined; line = await next()) events.push(line);
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map((line) => JSON.parse(line.replace(/^data: /, '')));
    assert.deepEqual(
      chunks.map((c) => c.choices[0].delta.content ?? null),
      ['', 'x', 'y', null],
    );
    assert.equal(chunks.at(-1).choices[0].finish_reason, 'stop');
  });

  it('answers models and non-streamed chat', async () => {
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: { id: string }[] };
    assert.deepEqual(
      models.data.map((m) => m.id),
      ['text-embedding-3-small', 'gpt-4o-mini'],
    );
    const body = (await (await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: chatBody('gpt-4o-mini', false) })).json()) as {
      choices: { message: { content: string } }[];
    };
    assert.equal(body.choices[0].message.content, 'xy');
    assert.equal(server.count('/v1/chat/completions'), 1);
  });

  it('scripts errors in the OpenAI error shape and breaks streams on demand', async () => {
    server.next('/v1/chat/completions', { kind: 'status', status: 503, message: 'overloaded' }, { kind: 'malformed', afterChunks: 1 });
    const failed = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: chatBody('gpt-4o-mini') });
    assert.equal(failed.status, 503);
    assert.equal(((await failed.json()) as { error: { message: string } }).error.message, 'overloaded');
    const next = lines(await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', body: chatBody('gpt-4o-mini') }));
    assert.match((await next())!, /^data: \{/);
    const broken = (await next())!;
    assert.throws(() => JSON.parse(broken.replace(/^data: /, '')));
  });
});
