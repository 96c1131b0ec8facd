// `ferret mcp`: a Model Context Protocol server on stdio, backed by a Ferret daemon child that
// watches the workspace. Wiring only: the tools, resources and daemon session live beside it.
// stdout carries MCP frames and nothing else; every other line goes to stderr.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { version } from '../../../package.json';
import { checkWorkspace, type CommonOptions } from '../daemonClient/workspaceOptions';
import type { LogMessage } from '../daemonClient/daemonClient';
import { registerCodebaseTools } from './codebaseTools';
import { DaemonSession } from './daemonSession';
import { FileResources } from './fileResources';
import { WorkspaceFiles } from './workspaceFiles';

/** How long the daemon gets to leave cleanly once the client has gone; MCP clients escalate to SIGTERM after 2 s. */
const SHUTDOWN_GRACE_MS = 1500;

const INSTRUCTIONS =
  'Ferret keeps a local index of this workspace\'s code. Use search_codebase to find where something is implemented (by meaning or by words), find_symbol and find_references to go from a known identifier to its definition or its users, ask_codebase for an explained answer with citations, index_status when results look incomplete. Files cited in results can be read as resources by their file:// URI.';

/** Serves MCP on stdin/stdout until the client closes stdin or the process is told to stop; resolves to the exit code. */
export async function runMcpServer(options: CommonOptions): Promise<number> {
  checkWorkspace(options.workspace);
  const stderr = (line: string) => process.stderr.write(`${line}\n`);
  const session = new DaemonSession({
    daemon: {
      workspace: options.workspace,
      // A long-running server keeps its answers current: the daemon watches and indexes by itself.
      settings: {
        watch: true,
        autoIndex: true,
        ...(options.indexDir !== undefined ? { indexDir: options.indexDir } : {}),
        ...(options.embedder !== undefined ? { embedder: options.embedder } : {}),
      },
      ...(options.verbose
        ? { onStderrLine: (line: string) => stderr(`[daemon] ${line}`), onLogMessage: (log: LogMessage) => stderr(`[daemon log] ${log.message}`) }
        : {}),
    },
    onLost: (message) => stderr(`ferret mcp: ${message}`),
  });
  const mcp = new McpServer({ name: 'ferret', version }, { instructions: INSTRUCTIONS });
  const files = new FileResources(mcp, await WorkspaceFiles.open(options.workspace));
  registerCodebaseTools(mcp, { session, files, workspace: options.workspace });

  const ended = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await mcp.connect(new StdioServerTransport());
  session.warmUp();
  await ended;
  await Promise.race([session.close(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  await mcp.close();
  return 0;
}
