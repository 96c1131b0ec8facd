// Entry of the `ferret` command (bundled to dist/cli.js): parse, dispatch, map failures to
// one sentence and an exit code. The work lives in cli/.
import { version } from '../../package.json';
import { parseArgs } from './cli/args';
import { runDaemonCommand } from './cli/commands';
import { exitCodeOf } from './daemonClient/errors';
import { USAGE } from './cli/usage';

async function main(argv: string[]): Promise<number | 'serving'> {
  const command = parseArgs(argv, process.cwd());
  switch (command.kind) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'version':
      process.stdout.write(`${version}\n`);
      return 0;
    case 'serve': {
      // Loaded only here so the other commands never load the index code (LanceDB's native module).
      const { startDaemon } = await import('./daemon');
      // vscode-languageserver reads --stdio from process.argv, which already carries it.
      startDaemon(command.metricsPort !== undefined ? { metricsPort: command.metricsPort } : {});
      return 'serving';
    }
    case 'mcp': {
      // Loaded only here: the MCP SDK is needed by no other command.
      const { runMcpServer } = await import('./mcp/mcpServer');
      // The daemon child keeps the event loop alive until it has left; the server is done now.
      process.exit(await runMcpServer(command.common));
    }
    default:
      return runDaemonCommand(command, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
  }
}

// A reader that stops early (`ferret search x | head -1`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv.slice(2);
main(argv).then(
  (outcome) => {
    if (outcome !== 'serving') process.exitCode = outcome;
  },
  (error: unknown) => {
    const verbose = argv.includes('--verbose');
    process.stderr.write(`ferret: ${error instanceof Error ? error.message : String(error)}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = exitCodeOf(error);
  },
);
