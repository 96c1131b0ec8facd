/**
 * A loopback HTTP proxy in front of a server (the S3 server) that forwards everything as it is
 * (signed headers included) until told to hold requests matching a pattern: those then wait,
 * unanswered, so a test can kill the client mid-write or watch it give up on a silent server.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldingProxy {
  url: string;
  /** From now on, requests whose method and path match are held; resolves at the first one. */
  hold(pattern: RegExp): Promise<string>;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  let held: { pattern: RegExp; seen: (line: string) => void } | undefined;
  const parked: ServerResponse[] = [];
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const line = `${incoming.method} ${incoming.url}`;
    if (held?.pattern.test(line)) {
      parked.push(outgoing);
      held.seen(line);
      return;
    }
    const forward = request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on('error', () => outgoing.destroy());
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (pattern) => new Promise((resolve) => (held = { pattern, seen: resolve })),
    close: async () => {
      for (const response of parked) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
