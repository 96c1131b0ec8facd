import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameGuard, MAX_FRAME_BYTES } from '../../server/src/net/frameGuard';

const frame = (body: string, length = Buffer.byteLength(body)) => `Content-Length: ${length}\r\n\r\n${body}`;
const request = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ferret/status' });

/** Feeds `input` in pieces of `chunk` bytes; returns the bytes passed on and the drops reported. */
async function guard(input: string | Buffer, chunk = Number.MAX_SAFE_INTEGER): Promise<{ out: string; drops: Array<[number, string]> }> {
  const drops: Array<[number, string]> = [];
  const stream = new FrameGuard((bytes, reason) => drops.push([bytes, reason]));
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  for (let i = 0; i < bytes.length; i += chunk) stream.write(bytes.subarray(i, i + chunk));
  stream.end();
  await new Promise((resolve) => stream.on('end', resolve));
  return { out: Buffer.concat(parts).toString(), drops };
}

test('FrameGuard: well-framed messages pass unchanged, however the input is cut', async () => {
  const input = frame(request(1)) + `Content-Length: 20\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${'{"a":"é\\r\\n x"}    '.slice(0, 19)}` + frame('{"q":"Content-Length: 5 is fine in a string"}');
  for (const chunk of [1, 3, 7, 64, 100_000]) {
    const { out, drops } = await guard(input, chunk);
    assert.equal(out, input, `chunks of ${chunk}`);
    assert.deepEqual(drops, []);
  }
});

test('FrameGuard: a bad header or a wrong length costs that message only', async () => {
  const next = frame(request(2));
  const cases: Array<[string, string, RegExp]> = [
    ['no Content-Length', 'Content-Type: x\r\n\r\n{}', /without Content-Length/],
    ['a length that is no number', 'Content-Length: abc\r\n\r\n{}', /not a number/],
    ['a garbage line', 'garbage line without a colon\r\n\r\n', /malformed header/],
    ['a length too short', frame(request(1), 20), /malformed header/],
    ['a length too long', frame(request(1), 500), /shorter than its Content-Length/],
    ['a header that never ends', 'x'.repeat(5000), /never ends/],
    ['an absurd length', `Content-Length: ${MAX_FRAME_BYTES + 1}\r\n\r\n{}`, /over 64 MiB/],
  ];
  for (const [name, bad, reason] of cases) {
    for (const chunk of [1, 5, 100_000]) {
      const { out, drops } = await guard(bad + next + next, chunk);
      assert.ok(out.endsWith(next + next), `${name}, chunks of ${chunk}: both later messages pass (${JSON.stringify(out.slice(-200))})`);
      assert.equal(drops.length, 1, `${name}: one report`);
      assert.match(drops[0]![1], reason, name);
    }
  }
});

test('FrameGuard: a body with bad JSON inside correct framing is passed on for the reader to reject', async () => {
  const input = frame('{not json!!}') + frame(request(3));
  assert.deepEqual(await guard(input), { out: input, drops: [] });
});

test('FrameGuard: input that ends inside a message is reported', async () => {
  const { out, drops } = await guard(`${frame(request(4))}Content-Length: 50\r\n\r\n{"jsonrpc"`);
  assert.equal(out, frame(request(4)));
  assert.deepEqual(drops, [[32, 'the input ended inside a message']], 'the 22-byte header and 10 bytes of body');
});

test('FrameGuard: 10 MB of garbage is dropped in bounded memory and reading goes on', async () => {
  const garbage = Buffer.alloc(10 * 1024 * 1024, 'z');
  const next = Buffer.from(frame(request(5)));
  const { out, drops } = await guard(Buffer.concat([garbage, next]), 64 * 1024);
  assert.equal(out, next.toString());
  assert.deepEqual(drops, [[garbage.length, 'a header that never ends']]);
});
