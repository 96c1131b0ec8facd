import { Transform, type TransformCallback } from 'node:stream';

/** A real header block is under 100 bytes; one this long means the stream lost its framing. */
const MAX_HEADER_BYTES = 1024;
/** Larger messages are dropped unread: far above any valid request, which validation caps anyway. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/**
 * Where a frame starts. Valid JSON cannot hold this: raw CR LF may only sit between tokens, never
 * inside a string, and the words are not JSON outside one; so inside a body it marks the next frame.
 */
const FRAME_START = /content-length:[ \t]*\d{1,12}\r\n/i;
/** Bytes kept from the end of what was scanned, so a frame start split across chunks is still found. */
const SCAN_OVERLAP = 48;
const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Sits between stdin and the JSON-RPC reader and passes on only well-framed messages
 * (`Content-Length: n` headers, then n bytes). The reader trusts framing: after one bad header or
 * wrong length it reads every later message out of step, and the daemon answers nothing again.
 * Here a frame whose header is malformed, whose length is out of bounds, or whose body runs into
 * the next frame's header is dropped, reported, and reading resumes at the next frame. A body with
 * bad JSON inside correct framing passes on: the reader rejects that one message by itself.
 */
export class FrameGuard extends Transform {
  /** Header mode: bytes not yet framed. */
  private head: Buffer = EMPTY;
  /** Body mode: the frame being filled, header included. */
  private frame: Buffer | undefined;
  private bodyStart = 0;
  private filled = 0;
  /** Bytes dropped since the last frame passed, reported once the stream is in step again. */
  private dropped = 0;
  private dropReason = '';

  constructor(private readonly onDrop: (bytes: number, reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data = chunk;
    while (data.length > 0) data = this.frame ? this.fillBody(this.frame, data) : this.readHeader(data);
    done();
  }

  override _flush(done: TransformCallback): void {
    const unfinished = this.head.length + (this.frame ? this.filled : 0);
    if (unfinished > 0) this.discard(unfinished, 'the input ended inside a message');
    this.report();
    done();
  }

  /** Returns the bytes left after a complete header, or nothing while the header is incomplete. */
  private readHeader(data: Buffer): Buffer {
    const bytes = this.head.length ? Buffer.concat([this.head, data]) : data;
    this.head = EMPTY;
    const end = bytes.indexOf(HEADER_END);
    if (end === -1 || end > MAX_HEADER_BYTES) {
      if (end === -1 && bytes.length <= MAX_HEADER_BYTES) {
        this.head = bytes;
        return EMPTY;
      }
      return this.resync(bytes, 'a header that never ends');
    }
    const length = contentLength(bytes.subarray(0, end).toString('latin1'));
    if (typeof length === 'string') return this.resync(bytes, length);
    const bodyStart = end + HEADER_END.length;
    this.frame = Buffer.allocUnsafe(bodyStart + length);
    bytes.copy(this.frame, 0, 0, bodyStart);
    this.bodyStart = this.filled = bodyStart;
    return bytes.subarray(bodyStart);
  }

  private fillBody(frame: Buffer, data: Buffer): Buffer {
    const take = Math.min(frame.length - this.filled, data.length);
    data.copy(frame, this.filled, 0, take);
    const scanFrom = Math.max(this.bodyStart, this.filled - SCAN_OVERLAP);
    this.filled += take;
    const next = frameStart(frame.subarray(0, this.filled), scanFrom);
    if (next !== -1) {
      this.frame = undefined;
      this.discard(next, 'a message shorter than its Content-Length');
      return Buffer.concat([frame.subarray(next, this.filled), data.subarray(take)]);
    }
    if (this.filled === frame.length) {
      this.frame = undefined;
      this.report();
      this.push(frame);
    }
    return data.subarray(take);
  }

  /** Drops bytes up to the next frame start after the first byte, or all but a tail that may begin one. */
  private resync(bytes: Buffer, reason: string): Buffer {
    const next = frameStart(bytes, 1);
    if (next !== -1) {
      this.discard(next, reason);
      return bytes.subarray(next);
    }
    const keep = Math.max(1, bytes.length - SCAN_OVERLAP);
    this.discard(keep, reason);
    this.head = Buffer.from(bytes.subarray(keep));
    return EMPTY;
  }

  private discard(bytes: number, reason: string): void {
    if (this.dropped === 0) this.dropReason = reason;
    this.dropped += bytes;
  }

  private report(): void {
    if (this.dropped === 0) return;
    const bytes = this.dropped;
    this.dropped = 0;
    this.onDrop(bytes, this.dropReason);
  }
}

/** The body length a header block declares, or why it cannot be trusted. */
function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*)$/.exec(line);
    if (!match) return 'a malformed header';
    if (match[1]!.toLowerCase() !== 'content-length') continue;
    if (!/^\d{1,12}$/.test(match[2]!)) return 'a Content-Length that is not a number';
    length = Number(match[2]);
  }
  if (length === undefined) return 'a header without Content-Length';
  if (length > MAX_FRAME_BYTES) return `a message over ${MAX_FRAME_BYTES / 1024 / 1024} MiB`;
  return length;
}

/** Index of the first frame start at or after `from`, or -1. */
function frameStart(bytes: Buffer, from: number): number {
  if (from >= bytes.length) return -1;
  const match = FRAME_START.exec(bytes.subarray(from).toString('latin1'));
  return match ? from + match.index : -1;
}
