import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, type Logger } from '../log';
import { EXPOSITION_CONTENT_TYPE } from './metricsRegistry';

/** Only loopback: the metrics name workspace folders, and nothing here asks who is scraping. */
const HOST = '127.0.0.1';
/** Names a scraper on this machine may put in `Host`; anything else is a page rebinding DNS to loopback. */
const LOCAL_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** What the endpoint reads: the metrics text and whether searches would be answered in full. */
export interface MetricsSource {
  metricsText(): string;
  status(): { ready: boolean; notReadyReason?: string };
}

/**
 * Serves `GET /metrics` (Prometheus text format 0.0.4), `/healthz` (200 while the daemon runs) and
 * `/readyz` (200 when ready, else 503 with the reason) on 127.0.0.1.
 */
export class MetricsServer {
  private constructor(
    private readonly server: Server,
    /** The port listened on; the one the system picked when asked for 0. */
    readonly port: number,
  ) {}

  /** Listens on `port` (0: any free one); rejects with one sentence when it cannot. */
  static start(port: number, source: MetricsSource): Promise<MetricsServer> {
    const server = createServer((request, response) => respond(request, response, source));
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(listenFailure(port, error))));
      server.listen(port, HOST, () => resolve(new MetricsServer(server, (server.address() as AddressInfo).port)));
    });
  }

  get url(): string {
    return `http://${HOST}:${this.port}/metrics`;
  }

  close(): Promise<void> {
    // A scraper holding a keep-alive connection must not keep the daemon from exiting.
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Opens the endpoint when a port is given. A port that cannot be had is reported once and the
 * daemon goes on without metrics: the editor or tool on stdio must not lose its daemon over it.
 * `echo` also writes the sentences to stderr, for `ferret serve` run by hand or by a supervisor.
 */
export async function startMetricsEndpoint(port: number | undefined, source: MetricsSource, log: Logger, echo: boolean): Promise<MetricsServer | undefined> {
  if (port === undefined) return undefined;
  const say = (level: 'info' | 'error', message: string) => {
    log[level](message);
    if (echo) process.stderr.write(`ferret: ${message}\n`);
  };
  try {
    const server = await MetricsServer.start(port, source);
    say('info', `Serving metrics on ${server.url} (also /healthz and /readyz).`);
    return server;
  } catch (error) {
    say('error', errorMessage(error));
    return undefined;
  }
}

function respond(request: IncomingMessage, response: ServerResponse, source: MetricsSource): void {
  const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
    response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  if (!LOCAL_NAMES.has(hostName(request.headers.host))) return send(403, 'Ferret serves metrics only to requests addressed to 127.0.0.1 or localhost.\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(405, `${request.method ?? 'This method'} is not served here; use GET.\n`);
  }
  const path = (request.url ?? '/').split('?')[0];
  try {
    if (path === '/metrics') return send(200, source.metricsText(), EXPOSITION_CONTENT_TYPE);
    if (path === '/healthz') return send(200, 'ok\n');
    if (path === '/readyz') {
      const status = source.status();
      return status.ready ? send(200, 'ready\n') : send(503, `${status.notReadyReason ?? 'not ready'}\n`);
    }
    send(404, 'Not found; Ferret serves /metrics, /healthz and /readyz.\n');
  } catch (error) {
    send(500, `${errorMessage(error)}\n`);
  }
}

/** The host name of a `Host` header, without its port. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0]!.toLowerCase();
}

function listenFailure(port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return `Port ${port} on ${HOST} is already in use, so Ferret serves no metrics; choose another metrics port.`;
  if (error.code === 'EACCES') return `Ferret may not listen on port ${port} of ${HOST} (permission denied), so it serves no metrics; choose a port above 1023.`;
  return `Ferret could not serve metrics on ${HOST}:${port} (${error.message}).`;
}
