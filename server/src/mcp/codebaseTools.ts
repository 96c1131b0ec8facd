import { resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { StatusReport } from '../shared/protocol';
import type { DaemonClient } from '../daemonClient/daemonClient';
import type { DaemonSession } from './daemonSession';
import type { FileResources } from './fileResources';
import { askToolResult, definitionsToolResult, referencesToolResult, reindexToolResult, searchToolResult, statusToolResult } from './toolResults';
import { askInput, askOutput, definitionsOutput, referencesOutput, reindexInput, reindexOutput, searchInput, searchOutput, statusOutput, symbolInput } from './toolSchemas';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface ToolDeps {
  session: DaemonSession;
  files: FileResources;
  /** Absolute path of the workspace folder. */
  workspace: string;
}

/**
 * The Ferret tools. Daemon refusals (a bad glob, an unknown folder) and a daemon that died
 * are thrown as errors with one sentence; the SDK returns them as `isError` results and keeps serving.
 */
export function registerCodebaseTools(mcp: McpServer, { session, files, workspace }: ToolDeps): void {
  /** Runs a read-only tool once pending indexing is done (or has taken too long: `indexing` says so). */
  const caughtUp = <T>(extra: Extra, run: (client: DaemonClient, indexing: string | undefined) => Promise<T>): Promise<T> =>
    withProgress(extra, (progress) => session.use(async (client) => run(client, await session.caughtUp(client, extra.signal, progress.ofStatus()))));

  mcp.registerTool(
    'search_codebase',
    {
      title: 'Search the codebase',
      description:
        'Find code in this workspace by meaning and by words (a hybrid semantic + full-text index that follows file changes). Returns the best-matching ranges, best first: path, line range, enclosing symbol, score and the code itself. Use it to locate where something is implemented, defined or used when you do not know the file; it is faster and cheaper than reading files one by one. Queries may be questions ("where are expired sessions refreshed?") or identifiers ("parseConfigFile").',
      inputSchema: searchInput,
      outputSchema: searchOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, k, path, language }, extra) =>
      caughtUp(extra, async (client, indexing) => {
        const params = { query, ...(k !== undefined ? { k } : {}), ...(path ? { paths: list(path) } : {}), ...(language ? { languages: list(language) } : {}) };
        return searchToolResult(await client.search(params, extra.signal), indexing, files);
      }),
  );

  mcp.registerTool(
    'find_symbol',
    {
      title: 'Find where a symbol is defined',
      description:
        'Go to definition for this workspace, without a language server: where a function, method, class, interface, type, enum or constant is defined (12 languages), with its kind and the class, impl or module that holds it. Exact-name definitions come first, then the same name in other containers. Use it when you know the identifier; use search_codebase when you only know what the code does.',
      inputSchema: symbolInput,
      outputSchema: definitionsOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ name, limit }, extra) =>
      caughtUp(extra, async (client, indexing) => definitionsToolResult(await client.definitions({ name, ...(limit !== undefined ? { limit } : {}) }, extra.signal), indexing, files)),
  );

  mcp.registerTool(
    'find_references',
    {
      title: 'Find what uses a symbol',
      description:
        'Find references for this workspace, without a language server: the functions, methods and classes that use a name (call it, use it as a type, import it), each as its whole range. Matching is by name, so a common method name may list uses of another class\'s method of the same name. Use it before changing a function, to see its callers.',
      inputSchema: symbolInput,
      outputSchema: referencesOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ name, limit }, extra) =>
      caughtUp(extra, async (client, indexing) => referencesToolResult(await client.references({ name, ...(limit !== undefined ? { limit } : {}) }, extra.signal), indexing, files)),
  );

  mcp.registerTool(
    'ask_codebase',
    {
      title: 'Ask about the codebase',
      description:
        'Answer a question about this workspace with a local language model, grounded in code retrieved from the index, citing its sources as [n] = path:start-end. Use it for "how does X work / why does Y happen" questions that need an explanation across several places. When no local model is reachable it returns the most relevant ranges with their code instead (sources only) and says why. Slower than search_codebase; if you only need to find code, use that.',
      inputSchema: askInput,
      outputSchema: askOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ question, k }, extra) =>
      withProgress(extra, (progress) =>
        session.use(async (client) => {
          const indexing = await session.caughtUp(client, extra.signal, progress.ofStatus());
          const result = await client.ask({ question, ...(k !== undefined ? { k } : {}) }, (text) => progress.send(text), extra.signal);
          return askToolResult(result, indexing, files);
        }),
      ),
  );

  mcp.registerTool(
    'index_status',
    {
      title: 'Index status',
      description:
        "Report Ferret's state for this workspace: indexed files and chunks per folder, indexing progress, the embedder in use, the local chat models with their circuit-breaker state (closed = available, open = paused after failures), and overall health. Call it when results look incomplete or stale, or to check whether ask_codebase has a model to answer with.",
      inputSchema: {},
      outputSchema: statusOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => session.use(async (client) => statusToolResult(await client.status())),
  );

  mcp.registerTool(
    'reindex',
    {
      title: 'Reindex the workspace',
      description:
        'Bring the index up to date now and report what the pass did per folder. Rarely needed: the index follows file changes by itself, and search_codebase waits for pending work. Use it after large changes the watcher may have missed (e.g. files changed while Ferret was not running). full: true rebuilds from nothing and can take minutes on a large workspace.',
      inputSchema: reindexInput,
      outputSchema: reindexOutput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ folder, full }, extra) =>
      withProgress(extra, (progress) =>
        session.use(async (client) => {
          const off = client.onStatus(progress.ofStatus());
          try {
            const params = { ...(folder !== undefined ? { folder: resolve(workspace, folder) } : {}), ...(full !== undefined ? { full } : {}) };
            return reindexToolResult(await client.reindex(params, extra.signal));
          } finally {
            off();
          }
        }),
      ),
  );
}

/**
 * `notifications/progress` for one tool call, when the client asked for it with a progressToken:
 * each message (indexing state, a piece of the answer) with a count that keeps rising, as MCP
 * requires. Sends are chained and flushed before the result, so none arrives after it.
 */
class Progress {
  private sent = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly extra: Extra) {}

  send(message: string): void {
    const progressToken = this.extra._meta?.progressToken;
    if (progressToken === undefined) return;
    const progress = ++this.sent;
    this.chain = this.chain
      .then(() => this.extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } }))
      .catch(() => undefined);
  }

  /** Status reports as progress: their sentence, each time it changes. */
  ofStatus(): (report: StatusReport) => void {
    let last: string | undefined;
    return (report) => {
      if (report.message === last) return;
      last = report.message;
      this.send(report.message);
    };
  }

  flush(): Promise<void> {
    return this.chain;
  }
}

/** Runs a tool with its {@link Progress}; the result (or error) leaves only after every notification. */
async function withProgress<T>(extra: Extra, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = new Progress(extra);
  try {
    return await work(progress);
  } finally {
    await progress.flush();
  }
}

function list(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}
