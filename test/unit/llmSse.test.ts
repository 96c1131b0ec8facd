import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sseData } from '../../server/src/llm/sse';

/** A body that arrives in exactly these pieces. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function events(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const data of sseData(stream)) out.push(data);
  return out;
}

describe('sseData', () => {
  it('splits events on blank lines whatever the line endings, even split across chunks', async () => {
    assert.deepEqual(await events(body('data: a\r', '\n\r\ndata: b\n\ndata: c\r\rdata:d\n', '\n')), ['a', 'b', 'c', 'd']);
  });

  it('joins multi-line data, skips comments and other fields, keeps inner spaces', async () => {
    assert.deepEqual(await events(body(': keep-alive\n\nevent: message\nid: 7\ndata:  two spaces\ndata: second\n\n')), [' two spaces\nsecond']);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const bytes = new TextEncoder().encode('data: naïve ✓\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(Uint8Array.of(byte));
        controller.close();
      },
    });
    assert.deepEqual(await events(stream), ['naïve ✓']);
  });

  it('delivers a last event that lacks its blank line', async () => {
    assert.deepEqual(await events(body('data: [DONE]')), ['[DONE]']);
  });
});
