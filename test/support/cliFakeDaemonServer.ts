// A stand-in daemon for the CLI's unit tests: speaks the Ferret protocol over stdio with canned
// answers, so the client can be tested without an index. FAKE_DAEMON selects a misbehaviour:
//   crash-on-start   dies before answering initialize
//   crash-on-search  dies in the middle of ferret/search, after a last words line on stderr
//   reject-search    answers ferret/search with InvalidParams
// Started through cliFakeDaemon.mjs, as DaemonClient runs its server path with plain node.
import { createConnection, ErrorCodes, ResponseError, type InitializeParams } from 'vscode-languageserver/node';
import { sendNotification, type RequestType } from '../../server/src/shared/messageTypes';
import { reindexRequest, searchRequest, statusNotification, statusRequest, type Hit, type InitializationOptions, type StatusReport } from '../../server/src/shared/protocol';

const mode = process.env.FAKE_DAEMON ?? 'ok';
if (mode === 'crash-on-start') {
  process.stderr.write('Error: cannot open the index at /nowhere\n    at open (index.js:1:1)\n\nNode.js v20.0.0\n');
  process.exit(3);
}

const connection = createConnection(process.stdin, process.stdout);
let init: InitializeParams | undefined;
let passes = 0;

/** Answers `type` with `handler`; params are trusted, as the client under test is typed. */
function handle<P, R>(type: RequestType<P, R, unknown>, handler: (params: P) => R | Promise<R>): void {
  connection.onRequest(type.method, async (params: P): Promise<R> => handler(params));
}

connection.onInitialize((params) => {
  init = params;
  return { capabilities: {} };
});

handle(reindexRequest, async (params) => {
  passes++;
  const token = `pass-${passes}`;
  await connection.sendRequest('window/workDoneProgress/create', { token });
  await connection.sendNotification('$/progress', { token, value: { kind: 'begin', title: 'Indexing', percentage: 0 } });
  await sendNotification(connection, statusNotification, status({ done: 1, total: 2 }));
  await connection.sendNotification('$/progress', { token, value: { kind: 'report', percentage: 50 } });
  await connection.sendNotification('window/logMessage', { type: 3, message: 'indexed a.ts' });
  await connection.sendNotification('$/progress', { token, value: { kind: 'end' } });
  return {
    summaries: [
      {
        folder: folder(),
        files: 2,
        chunks: 3,
        indexedFiles: params.full ? 2 : 0,
        removedFiles: 0,
        embeddedChunks: params.full ? 3 : 0,
        reusedChunks: params.full ? 0 : 3,
        bytes: 2048,
        skipped: { binary: 1 },
        parseFallbacks: {},
        seededFiles: 0,
        seededChunks: 0,
        durationMs: 12,
      },
    ],
  };
});

handle(searchRequest, (params) => {
  if (mode === 'crash-on-search') {
    process.stderr.write('Error: the vector table is corrupt\n');
    process.exit(4);
  }
  if (mode === 'reject-search') throw new ResponseError(ErrorCodes.InvalidParams, 'k must be between 1 and 100.');
  const results: Hit[] = [
    { folder: folder(), path: 'src/a.ts', startLine: 3, endLine: 5, language: 'typescript', symbol: 'parseConfig', kind: 'function', score: 0.5, text: `function parseConfig() {\n  return ${JSON.stringify(params.query)};\n}` },
    { folder: folder(), path: 'lib/b.py', startLine: 10, endLine: 10, language: 'python', symbol: '', kind: 'lines', score: 0.25, text: 'x = 1' },
  ];
  return { query: params.query, results: results.slice(0, params.k ?? 10), mode: 'hybrid' };
});

// The status message echoes what the client sent, so tests can check the handshake.
handle(statusRequest, () => {
  const options = init?.initializationOptions as InitializationOptions | undefined;
  return { ...status(), message: JSON.stringify({ settings: options?.settings, workspaceFolders: init?.workspaceFolders, passes }) };
});

function folder(): string {
  return new URL(init?.workspaceFolders?.[0]?.uri ?? 'file:///').pathname;
}

function status(progress?: { done: number; total: number }): StatusReport {
  return {
    health: 'ok',
    quiescent: progress === undefined,
    ready: progress === undefined,
    message: 'Ready.',
    folders: [{ folder: folder(), state: progress ? 'indexing' : 'ready', files: 2, chunks: 3, pending: 0, revision: 1, ...(progress ? { progress } : {}), indexDir: '/tmp/idx', skipped: { binary: 1 } }],
    embedder: { id: 'local:hash-v1', dimensions: 384, reason: 'Chosen in settings.', pendingVectors: 0 },
    providers: [],
    endpoints: [],
    version: '0.0.0-fake',
  };
}

connection.listen();
