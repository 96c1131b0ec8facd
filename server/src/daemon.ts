import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { serveConnection } from './connection';

/**
 * Starts the daemon on the transport named on the command line (`--stdio`, `--node-ipc`).
 * A fault in one request must never take the index down with it: stray errors are logged,
 * not fatal.
 */
export function startDaemon(): void {
  process.env.LANCEDB_LOG ??= 'error';
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => connection.console.error(`Unexpected rejection: ${String(reason)}`));
  serveConnection(connection);
}
