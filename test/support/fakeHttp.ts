/**
 * The machinery shared by the fake model servers (fakeOllama.ts, fakeOpenAI.ts): a loopback HTTP
 * server on a free port that records every request and answers each one as the test scripted it.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

/** A promise the test resolves when it chooses: the server waits on it instead of on a timer. */
export interface Gate {
  promise: Promise<void>;
  release(): void;
}

export function createGate(): Gate {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

/**
 * How the server answers one request.
 * - `ok`: the normal answer. `tokens` replaces a chat reply's pieces.
 * - `status`: an HTTP error with the API's own error body carrying `message`, or exactly `rawBody`.
 * - `malformed`: 200 and a body that is not valid JSON; for streams, `afterChunks` good chunks first, then a broken line, then the end.
 * - `disconnect`: the socket is destroyed: before any byte, or after headers and `afterChunks` chunks.
 * - `custom`: the test writes the answer itself.
 * Every kind may wait on `gate` before sending anything; `chunkGates[i]` holds back chunk i (or the break that replaces
 * it) after the headers went out: a slow first token is `chunkGates: [gate.promise]`, a drop the client can watch
 * happen after the first token is `{ kind: 'disconnect', afterChunks: 1, chunkGates: [undefined, gate.promise] }`.
 */
export type Behaviour = { gate?: Promise<unknown>; chunkGates?: (Promise<unknown> | undefined)[] } & (
  | { kind: 'ok'; tokens?: string[] }
  | { kind: 'status'; status: number; message?: string; rawBody?: string }
  | { kind: 'malformed'; afterChunks?: number }
  | { kind: 'disconnect'; afterChunks?: number }
  | { kind: 'custom'; handle(request: RecordedRequest, response: ServerResponse): void | Promise<void> }
);

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/api/embed`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, the raw text when it was not JSON, undefined when empty. */
  body: unknown;
  /** Resolves if the client went away before the answer was complete (it aborted); never otherwise. */
  disconnected: Promise<void>;
  /** `performance.now()` when the request had arrived, body read. */
  at: number;
  /** Requests open at this server when this one arrived, itself included. */
  openOnArrival: number;
}

/** What a route wants sent: a status, a content type and the body, in chunks when it streams. */
export interface Reply {
  status: number;
  contentType: string;
  chunks: string[];
  stream: boolean;
}

export type Route = (request: RecordedRequest, behaviour: Behaviour & { kind: 'ok' }) => Reply;

export interface ApiFlavour {
  /** The API's error body for `status` answers. */
  errorBody(status: number, message: string): string;
  /** A line that breaks the stream's framing, for `malformed` streams. */
  malformedChunk: string;
}

export class FakeHttpServer {
  /** Every request in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /**
   * Work each request takes before it is answered as scripted, e.g. {@link servingCapacity}'s
   * model of a GPU server; none by default.
   */
  pace: ((request: RecordedRequest) => Promise<void>) | undefined;
  /** Requests being answered right now. */
  openRequests = 0;
  /** The most requests ever open at once since start or {@link reset}. */
  peakOpenRequests = 0;
  private readonly server: Server;
  private readonly routes = new Map<string, Route>();
  private readonly queued = new Map<string, Behaviour[]>();
  private readonly defaults = new Map<string, Behaviour>();
  private readonly waiters: { path: string; n: number; resolve(request: RecordedRequest): void }[] = [];
  private origin = '';

  protected constructor(private readonly flavour: ApiFlavour) {
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake server failed: ${String(error)}`);
      });
    });
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.origin;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  protected route(method: string, path: string, route: Route): void {
    this.routes.set(`${method} ${path}`, route);
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${this.port}`;
  }

  /** Scripts the next requests to `path`, one behaviour each, in order; after them the default applies. */
  next(path: string, ...behaviours: Behaviour[]): this {
    this.queued.set(path, [...(this.queued.get(path) ?? []), ...behaviours]);
    return this;
  }

  /** Scripts every request to `path` that has no queued behaviour. */
  always(path: string, behaviour: Behaviour): this {
    this.defaults.set(path, behaviour);
    return this;
  }

  /** Forgets scripts, pace and recorded requests. */
  reset(): void {
    this.queued.clear();
    this.defaults.clear();
    this.requests.length = 0;
    this.pace = undefined;
    this.peakOpenRequests = this.openRequests;
  }

  /** Requests received on `path`. */
  count(path: string): number {
    return this.requestsTo(path).length;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Resolves with the `n`th request (1-based) to `path` as soon as it has arrived, body read. */
  waitForRequest(path: string, n = 1): Promise<RecordedRequest> {
    const arrived = this.requestsTo(path);
    if (arrived.length >= n) return Promise.resolve(arrived[n - 1]);
    return new Promise((resolve) => this.waiters.push({ path, n, resolve }));
  }

  /** Listens again on the port it had before {@link close}: the server "comes back" at the same address. */
  async reopen(): Promise<void> {
    const port = Number(new URL(this.origin).port);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops listening and cuts every open connection, including ones held by an unreleased gate. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {});
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    let resolveDisconnected!: () => void;
    const disconnected = new Promise<void>((resolve) => {
      resolveDisconnected = resolve;
    });
    this.openRequests += 1;
    this.peakOpenRequests = Math.max(this.peakOpenRequests, this.openRequests);
    const openOnArrival = this.openRequests;
    res.on('close', () => {
      this.openRequests -= 1;
      if (!res.writableFinished) resolveDisconnected();
    });
    const body = parseBody(await readBody(req));
    const request: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, disconnected, at: performance.now(), openOnArrival };
    this.requests.push(request);
    this.notify(request);

    const behaviour = this.queued.get(path)?.shift() ?? this.defaults.get(path) ?? { kind: 'ok' };
    await this.pace?.(request);
    await behaviour.gate;
    if (res.destroyed) return;
    const route = this.routes.get(`${request.method} ${path}`);
    switch (behaviour.kind) {
      case 'custom':
        return behaviour.handle(request, res);
      case 'status': {
        const body = behaviour.rawBody ?? this.flavour.errorBody(behaviour.status, behaviour.message ?? `fake error ${behaviour.status}`);
        const type = behaviour.rawBody === undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
        return void res.writeHead(behaviour.status, { 'content-type': type }).end(body);
      }
      case 'disconnect':
        if (behaviour.afterChunks === undefined) return void res.socket?.destroy();
        break;
    }
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    const reply = route(request, { ...behaviour, kind: 'ok' } as Behaviour & { kind: 'ok' });
    await this.send(res, reply, behaviour);
  }

  private async send(res: ServerResponse, reply: Reply, behaviour: Behaviour): Promise<void> {
    // Plain JSON replies are one chunk; splitting it lets `disconnect` cut one in the middle.
    const chunks = !reply.stream && behaviour.kind === 'disconnect' ? splitInTwo(reply.chunks.join('')) : reply.chunks;
    if (behaviour.kind === 'malformed' && !reply.stream) {
      return void res.writeHead(200, { 'content-type': reply.contentType }).end(splitInTwo(reply.chunks.join(''))[0]);
    }
    res.writeHead(reply.status, { 'content-type': reply.contentType });
    res.flushHeaders();
    for (let i = 0; i < chunks.length; i++) {
      await behaviour.chunkGates?.[i];
      if (res.destroyed) return;
      if (behaviour.kind === 'disconnect' && i === behaviour.afterChunks) return void res.socket?.destroy();
      if (behaviour.kind === 'malformed' && i === (behaviour.afterChunks ?? 0)) return void res.end(this.flavour.malformedChunk);
      res.write(chunks[i]);
    }
    if (behaviour.kind === 'disconnect') return void res.socket?.destroy();
    res.end();
  }

  private notify(request: RecordedRequest): void {
    const count = this.count(request.path);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (waiter.path === request.path && waiter.n === count) {
        this.waiters.splice(i, 1);
        waiter.resolve(request);
      }
    }
  }
}

/** A pace that also tells how long its slots have been working, summed over slots, in ms. */
export interface ServingCapacity {
  (): Promise<void>;
  readonly slotMs: number;
}

/**
 * A stand-in for a GPU embedding server's throughput, to set as {@link FakeHttpServer.pace}: it
 * works on `slots` requests at once, each for `ms`, and queues the rest in arrival order. Its
 * capacity is `slots × 1000 / ms` requests a second; `slotMs` over `slots ×` the time elapsed is
 * how busy its clients kept it.
 */
export function servingCapacity(slots: number, ms: number): ServingCapacity {
  let busy = 0;
  let slotMs = 0;
  const queue: (() => void)[] = [];
  const work = () => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const pace = async () => {
    if (busy < slots) busy += 1;
    else await new Promise<void>((resolve) => queue.push(resolve));
    const started = performance.now();
    await work();
    slotMs += performance.now() - started;
    // The freed slot passes straight to the next in line.
    const next = queue.shift();
    if (next) next();
    else busy -= 1;
  };
  return Object.defineProperty(pace, 'slotMs', { get: () => slotMs }) as ServingCapacity;
}

/** A URL on which nothing listens: the port of a server that was just closed. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * An https origin whose connection never completes: a TCP server that accepts and then says
 * nothing, so the TLS handshake hangs. Close it to drop the sockets it holds.
 */
export async function stalledTlsServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A deterministic unit vector for `text`: FNV-1a of the text seeds xorshift32. Tests can compute
 * the vector the server will send and compare.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  let state = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 0x01000193);
  state = state >>> 0 || 1;
  const values: number[] = [];
  let sum = 0;
  for (let i = 0; i < dimensions; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const x = state / 0x80000000 - 1;
    values.push(x);
    sum += x * x;
  }
  const scale = 1 / Math.sqrt(sum || 1);
  return values.map((x) => x * scale);
}

/** Texts of an embedding request's `input`, which both APIs accept as a string or a list. */
export function inputTexts(body: unknown): string[] {
  const input = typeof body === 'object' && body !== null ? (body as { input?: unknown }).input : undefined;
  if (typeof input === 'string') return [input];
  return Array.isArray(input) ? input.map(String) : [];
}

function splitInTwo(text: string): string[] {
  const half = Math.max(1, text.length >> 1);
  return [text.slice(0, half), text.slice(half)];
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
