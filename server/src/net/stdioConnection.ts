import { format, inspect, type InspectOptions } from 'node:util';
import { ProposedFeatures, createConnection, type Connection } from 'vscode-languageserver/node';
import { FrameGuard } from './frameGuard';

/**
 * The JSON-RPC connection over stdin/stdout (the CLI's transport), with stdin read through a
 * {@link FrameGuard} so that one badly framed message costs that message, not the connection.
 */
export function createStdioConnection(): Connection {
  // Drops are reported once data flows, which is after the connection exists.
  const guard = new FrameGuard((bytes, reason) => connection.console.warn(`Dropped ${bytes} bytes of input that were not a well-formed message (${reason}).`));
  // Given streams, the library closes the daemon when the input ends, as it does for stdin.
  const connection = createConnection(ProposedFeatures.all, process.stdin.pipe(guard), process.stdout);
  // Given streams, the library no longer moves console output off stdout, where it would corrupt the protocol.
  const toLog = (...args: unknown[]) => connection.console.log(format(...args));
  console.log = toLog;
  console.info = toLog;
  console.debug = toLog;
  console.dir = (item: unknown, options?: InspectOptions) => connection.console.log(inspect(item, options));
  return connection;
}
