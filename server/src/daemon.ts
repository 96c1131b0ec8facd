import { availableParallelism } from 'node:os';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { serveConnection, type ServeOptions } from './connection';
import { createStdioConnection } from './net/stdioConnection';

/**
 * Starts the daemon on the transport named on the command line (`--stdio`, `--node-ipc`).
 * A fault in one request must never take the index down with it: stray errors are logged,
 * not fatal.
 */
export function startDaemon(options: ServeOptions = {}): void {
  process.env.LANCEDB_LOG ??= 'error';
  // Lance sizes its CPU pool as cores minus two, so on a 2-core machine it has one thread, and
  // building a full-text index over more than one batch of postings deadlocks on it (seen here
  // at 100k chunks: every thread parked; lancedb/lancedb#3568, lance-format/lance#7350).
  process.env.LANCE_CPU_THREADS ??= String(Math.max(4, availableParallelism()));
  const connection = process.argv.includes('--stdio') ? createStdioConnection() : createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${String(reason)}`));
  serveConnection(connection, options);
}
