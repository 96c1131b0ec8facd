import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

/** The TCP (and TLS) connection was not established within the connect deadline. */
export class ConnectTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no connection within ${timeoutMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

export interface HttpFetchOptions {
  /** Deadline for establishing the connection; once connected, only the caller's signal ends the request. */
  connectTimeoutMs: number;
}

/**
 * A `fetch` over node:http(s) with a real connect deadline. Node's built-in fetch cannot tell
 * "the server is down" from "the model is loading": it has no connect timeout of its own, and a
 * deadline on the response headers would fire while Ollama loads a model, which it does before
 * it sends them. This one bounds only the connection and leaves no default timeouts (undici's
 * 300 s body timeout would cut long generations).
 *
 * Supports what the model clients need: a URL or Request (its URL, method, headers), a string or
 * byte body, and `signal`, which ends the request or the response body at any point. Network
 * errors reject like node:http's (`code` such as ECONNREFUSED on the error itself).
 */
export function createHttpFetch(options: HttpFetchOptions): typeof globalThis.fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const signal = init.signal ?? undefined;
      const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
      if (!transport) return reject(new TypeError(`Unsupported protocol ${url.protocol}`));
      if (signal?.aborted) return reject(abortError(signal));
      const body = bodyBytes(init.body);
      const headers = Object.fromEntries(new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)));
      if (body) headers['content-length'] = String(body.byteLength);

      const request = transport.request(url, { method, headers });
      let response: IncomingMessage | undefined;
      const timer = setTimeout(() => request.destroy(new ConnectTimeoutError(options.connectTimeoutMs)), options.connectTimeoutMs);
      const onAbort = () => {
        const reason = abortError(signal);
        request.destroy(reason);
        response?.destroy(reason);
      };
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.once('socket', (socket) => {
        if (socket.connecting) socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
        else clearTimeout(timer);
      });
      // `on`, not `once`: an error after the response (an abort destroys the request) must be heard, or it would crash the daemon.
      request.on('error', (error) => {
        settle();
        reject(error);
      });
      request.once('response', (incoming) => {
        response = incoming;
        // After the body is read or dropped, a late abort must not touch a socket kept alive for reuse.
        incoming.once('close', settle);
        const status = incoming.statusCode ?? 0;
        const empty = method === 'HEAD' || status === 204 || status === 304;
        const stream = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        if (empty) incoming.resume();
        try {
          resolve(new Response(stream, { status, statusText: incoming.statusMessage, headers: responseHeaders(incoming) }));
        } catch (error) {
          incoming.destroy();
          reject(error instanceof Error ? error : new TypeError(String(error)));
        }
      });
      request.end(body);
    });
}

function bodyBytes(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  throw new TypeError('Only string and byte request bodies are supported.');
}

function responseHeaders(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
