/**
 * The `data` of each server-sent event in a byte stream, per the EventSource framing: lines end in
 * LF, CRLF or CR; a blank line ends an event; several `data:` lines join with LF; comments
 * (`:`-lines) and other fields are skipped. The last event is delivered even when the stream ends
 * without its blank line; whether its data is whole is for the caller's parser to find out.
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // At the end the last line needs no terminator; before it, a trailing CR may be half of a CRLF.
      const text = done ? `${buffer}\n` : buffer;
      const lineEnd = /\r\n|\n|\r(?!$)/g;
      let consumed = 0;
      for (let match = lineEnd.exec(text); match !== null; match = lineEnd.exec(text)) {
        const line = text.slice(consumed, match.index);
        consumed = match.index + match[0].length;
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line === 'data' || line.startsWith('data:')) {
          const field = line.slice(5);
          data.push(field.startsWith(' ') ? field.slice(1) : field);
        }
      }
      buffer = text.slice(consumed);
      if (done) {
        if (data.length) yield data.join('\n');
        return;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
