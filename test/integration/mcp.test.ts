// `ferret mcp` end to end: the SDK's own client spawns the bundled CLI, which drives a real
// daemon over a copy of the fixture workspace. Needs `npm run build` first.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { DaemonSession } from '../../server/src/mcp/daemonSession';
import type { AskResult } from '../../server/src/shared/protocol';
import { createGate, FakeOllama, refusedUrl } from '../support/fakeOllama';
import { copyWorkspace } from '../support/workspaceCopy';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');
const run = promisify(execFile);

interface Server {
  client: Client;
  workspace: string;
  indexDir: string;
  /** Flags that point the CLI at the same workspace and index. */
  flags: string[];
  env: Record<string, string>;
  transport: StdioClientTransport;
  stderr: () => string;
  /** Errors the client saw on the wire (a stray line on stdout would be one). */
  wireErrors: Error[];
}

async function startServer(ollamaHost: string, extraArgs: string[] = [], embedder: 'local' | 'ollama' = 'local'): Promise<Server> {
  const { workspace, indexDir } = copyWorkspace();
  const flags = ['--workspace', workspace, '--index-dir', indexDir, '--embedder', embedder];
  const env = { ...(process.env as Record<string, string>), LANCEDB_LOG: 'error', OLLAMA_HOST: ollamaHost, NO_COLOR: '1' };
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...flags, ...extraArgs], env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'ferret-test', version: '1.0.0' });
  const wireErrors: Error[] = [];
  client.onerror = (error) => wireErrors.push(error);
  await client.connect(transport);
  after(() => client.close());
  return { client, workspace, indexDir, flags, env, transport, stderr: () => stderr, wireErrors };
}

interface ToolOutcome {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
  progress: string[];
}

async function call(server: Server, name: string, args: Record<string, unknown>, onProgress?: (message: string) => void): Promise<ToolOutcome> {
  const progress: string[] = [];
  const onprogress = (p: { message?: string }) => {
    progress.push(p.message ?? '');
    onProgress?.(p.message ?? '');
  };
  const result = await server.client.callTool({ name, arguments: args }, undefined, { onprogress });
  const content = result.content as Array<{ type: string; text?: string }>;
  return {
    isError: result.isError === true,
    text: content.filter((c) => c.type === 'text').map((c) => c.text).join('\n'),
    structured: (result.structuredContent ?? {}) as Record<string, unknown>,
    progress,
  };
}

async function cliJson<T>(server: Server, args: string[]): Promise<T> {
  const { stdout } = await run(process.execPath, [CLI, ...args, '--json', ...server.flags], { env: server.env });
  return JSON.parse(stdout) as T;
}

/**
 * What the client could not read on the wire. Progress that reaches an SDK 1.32 client together
 * with the response is reported as an unknown token (typescript-sdk#2580), which is no fault of ours.
 */
function wireFaults(server: Server): string[] {
  return server.wireErrors.map((e) => e.message).filter((message) => !/progress notification for an unknown token/.test(message));
}

type Range = { path: string; startLine: number; endLine: number; symbol: string };
const rangeOf = ({ path, startLine, endLine, symbol }: Range): Range => ({ path, startLine, endLine, symbol });

test('six tools with schemas; search and ask answer like the CLI; status and reindex report the index', async () => {
  const ollama = await FakeOllama.start({ models: ['qwen2.5-coder:7b'], chatTokens: ['Passwords are salted and hashed with scrypt ', '[1]', '.'] });
  after(() => ollama.close());
  const server = await startServer(ollama.url);

  // The very first call arrives while the first pass may still run: it waits for it.
  const first = await call(server, 'search_codebase', { query: 'hash a password with a salt', k: 5 });
  assert.equal(first.isError, false, first.text);
  assert.equal(first.structured.indexing, undefined, 'the first pass finished before the answer');
  const hits = first.structured.results as Array<Range & { code: string; uri: string; score: number; signature: string }>;
  assert.equal(hits[0]?.path, 'src/auth/passwords.ts');
  assert.equal(hits[0]?.uri, pathToFileURL(join(server.workspace, 'src/auth/passwords.ts')).href);
  assert.match(hits[0]!.code, /export function hashPassword/);
  assert.equal(hits[0]!.signature, 'export function hashPassword(password: string): string {', 'the declaration, not the doc comment above it');
  assert.match(first.text, /^5 ranges for "hash a password with a salt", best first\.\n\n1\. src\/auth\/passwords\.ts:\d+-\d+ {2}hashPassword {2}\(score [\d.]+\)\n {3}export function hashPassword\(password: string\): string \{\n```typescript\n/);

  const tools = (await server.client.listTools()).tools;
  assert.deepEqual(tools.map((t) => t.name).sort(), ['ask_codebase', 'find_references', 'find_symbol', 'index_status', 'reindex', 'search_codebase']);
  const search = tools.find((t) => t.name === 'search_codebase')!;
  assert.deepEqual(search.inputSchema.required, ['query']);
  assert.deepEqual(Object.keys(search.inputSchema.properties ?? {}), ['query', 'k', 'path', 'language']);
  assert.deepEqual(search.inputSchema.properties!.k, { type: 'integer', minimum: 1, maximum: 50, description: 'How many ranges to return, best first (1-50, default 10).' });
  assert.ok(tools.every((t) => t.description && t.description.length > 80 && t.outputSchema?.type === 'object'), 'each tool says when to use it and what it returns');
  assert.deepEqual(Object.keys(tools.find((t) => t.name === 'ask_codebase')!.inputSchema.properties ?? {}), ['question', 'k']);
  assert.deepEqual(Object.keys(tools.find((t) => t.name === 'reindex')!.inputSchema.properties ?? {}), ['folder', 'full']);

  const cliSearch = await cliJson<{ results: Range[] }>(server, ['search', 'hash a password with a salt', '--k', '5']);
  assert.deepEqual(hits.map(rangeOf), cliSearch.results.map(rangeOf), 'same ranges in the same order as ferret search --json');

  const filtered = await call(server, 'search_codebase', { query: 'limit requests', path: ['src/**'], language: 'python' });
  const filteredHits = filtered.structured.results as Range[];
  assert.ok(filteredHits.length > 0 && filteredHits.every((h) => h.path === 'src/http/rate_limiter.py'), filtered.text);

  // The last piece waits until the client has seen the first two stream in as progress.
  const lastPiece = createGate();
  ollama.next('/api/chat', { kind: 'ok', chunkGates: [undefined, undefined, lastPiece.promise] });
  const asked = await call(server, 'ask_codebase', { question: 'How are passwords hashed?' }, (message) => {
    if (message === '[1]') lastPiece.release();
  });
  assert.equal(asked.isError, false, asked.text);
  const cliAsk = await cliJson<AskResult>(server, ['ask', 'How are passwords hashed?']);
  assert.equal(asked.structured.answer, 'Passwords are salted and hashed with scrypt [1].');
  assert.equal(asked.structured.answer, cliAsk.answer);
  assert.deepEqual((asked.structured.citations as Range[]).map((c) => ({ n: (c as Range & { n: number }).n, ...rangeOf(c) })), cliAsk.citations.map((c) => ({ n: c.n, ...rangeOf(c) })));
  assert.equal(asked.structured.sourcesOnly, false);
  assert.match(asked.text, /^Passwords are salted and hashed with scrypt \[1\]\.\n\nSources:\n\[1\] src\/auth\/passwords\.ts:\d+-\d+ {2}hashPassword\n/);
  assert.match(asked.text, /Answered by qwen2\.5-coder:7b via ollama\./);
  // A piece that reaches the client together with the response is dropped by SDK 1.32 clients
  // (typescript-sdk#2580), so only the pieces streamed before the gate opened are certain.
  const streamed = asked.progress.filter((m) => ['Passwords are salted and hashed with scrypt ', '[1]', '.'].includes(m));
  assert.deepEqual(streamed.slice(0, 2), ['Passwords are salted and hashed with scrypt ', '[1]'], 'answer pieces arrive as progress notifications');

  // Cancelling the tool call stops the model: the daemon drops its request to Ollama.
  const hold = createGate();
  ollama.next('/api/chat', { kind: 'ok', chunkGates: [hold.promise] });
  const chatsBefore = ollama.count('/api/chat');
  const cancel = new AbortController();
  const cancelled = server.client.callTool({ name: 'ask_codebase', arguments: { question: 'How are passwords checked?' } }, undefined, { signal: cancel.signal });
  const chat = await ollama.waitForRequest('/api/chat', chatsBefore + 1);
  cancel.abort();
  await assert.rejects(cancelled);
  await chat.disconnected;
  hold.release();

  const status = await call(server, 'index_status', {});
  const folders = status.structured.folders as Array<{ folder: string; files: number; chunks: number; state: string }>;
  assert.equal(folders[0]?.folder, server.workspace);
  assert.equal(folders[0]?.state, 'ready');
  assert.ok(folders[0]!.files >= 7 && folders[0]!.chunks >= folders[0]!.files, status.text);
  assert.match((status.structured.embedder as { id: string }).id, /^local:/);
  assert.deepEqual((status.structured.providers as Array<{ id: string; breaker: string }>).map((p) => [p.id, p.breaker]), [['ollama', 'closed']]);
  assert.match(status.text, /ready \(\d+ files, \d+ chunks\)/);

  const reindexed = await call(server, 'reindex', { folder: '.' });
  const [summary] = reindexed.structured.summaries as Array<{ folder: string; indexedFiles: number; files: number; skipped: Record<string, number> }>;
  assert.equal(summary?.folder, server.workspace);
  assert.equal(summary?.indexedFiles, 0, 'nothing changed since the watcher indexed it');
  assert.equal(summary?.skipped.secret, 1, 'the .env file is left out');
  assert.match(reindexed.text, /this pass +0 files indexed/);
  assert.deepEqual(wireFaults(server), [], 'stdout carried MCP frames only');
  assert.equal(server.stderr(), '', 'without --verbose the server writes nothing but MCP frames');
});

test('bad arguments come back as one-sentence tool errors and the server keeps serving', async () => {
  const server = await startServer(await refusedUrl());
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['search_codebase', { query: '' }, /query must not be empty/],
    ['search_codebase', { query: '   ' }, /query must not be empty/],
    ['search_codebase', { query: 42 }, /query must be a string/],
    ['search_codebase', { query: 'x', k: 0 }, /k must be a whole number from 1 to 50/],
    ['search_codebase', { query: 'x', k: 51 }, /k must be a whole number from 1 to 50/],
    ['search_codebase', { query: 'x', k: 'five' }, /k must be a whole number from 1 to 50/],
    ['search_codebase', { query: 'x', path: '../outside/**' }, /Path filter "\.\.\/outside\/\*\*" leaves the workspace; use a glob relative to a workspace folder/],
    ['search_codebase', { query: 'x', language: [] }, /language must be a non-empty string or a non-empty list of non-empty strings/],
    ['search_codebase', { query: 'x', path: ['src/**', 7] }, /path must be a non-empty string or a non-empty list of non-empty strings/],
    ['ask_codebase', { question: ' ' }, /question must not be empty/],
    ['ask_codebase', { question: 'x', k: 1.5 }, /k must be a whole number from 1 to 50/],
    ['reindex', { folder: '/nowhere' }, /"folder" must be one of the workspace folders: /],
    ['reindex', { full: 'yes' }, /full must be true or false/],
    ['no_such_tool', {}, /Tool no_such_tool not found/],
  ];
  for (const [name, args, message] of cases) {
    const outcome = await call(server, name, args);
    assert.equal(outcome.isError, true, `${name} ${JSON.stringify(args)}`);
    assert.match(outcome.text, message);
    const next = await call(server, 'index_status', {});
    assert.equal(next.isError, false, `still serving after ${name} ${JSON.stringify(args)}`);
  }
});

test('without a model, ask returns the sources with their code and says why, like ferret ask --json', async () => {
  const server = await startServer(await refusedUrl());
  const asked = await call(server, 'ask_codebase', { question: 'How are passwords hashed?' });
  assert.equal(asked.isError, false, asked.text);
  assert.equal(asked.structured.sourcesOnly, true);
  assert.equal(asked.structured.provider, 'none');
  assert.match(String(asked.structured.sourcesOnlyReason), /Could not connect to Ollama/);
  assert.match(asked.text, /^[^\n]*Could not connect to Ollama[^\n]*\n\nSources only: here are the most relevant ranges with their code; answer from them yourself\.\n\n\[1\] src\/auth\/passwords\.ts:\d+-\d+ {2}hashPassword\n```typescript\n/);
  const cliAsk = await cliJson<AskResult>(server, ['ask', 'How are passwords hashed?']);
  assert.equal(asked.structured.answer, cliAsk.answer);
  assert.deepEqual((asked.structured.citations as Range[]).map(rangeOf), cliAsk.citations.map(rangeOf));
});

test('cited files are resources; files outside the workspace, behind links or secret are refused', async () => {
  const server = await startServer(await refusedUrl());
  const outside = join(dirname(server.workspace), 'outside.txt');
  writeFileSync(outside, 'not part of the workspace\n');
  symlinkSync(outside, join(server.workspace, 'escape.txt'));
  symlinkSync(join(server.workspace, '.env'), join(server.workspace, 'innocent.txt'));
  const uri = (rel: string) => pathToFileURL(join(server.workspace, rel)).href;

  await call(server, 'search_codebase', { query: 'route requests to handlers', k: 3 });
  const listed = (await server.client.listResources()).resources.map((r) => r.uri);
  assert.ok(listed.includes(uri('src/http/router.ts')), listed.join(' '));
  const read = await server.client.readResource({ uri: uri('src/http/router.ts') });
  assert.equal((read.contents[0] as { text: string }).text, readFileSync(join(server.workspace, 'src/http/router.ts'), 'utf8'));

  const refusals: Array<[string, RegExp]> = [
    [uri('.env'), /\.env is a secret file/],
    [uri('innocent.txt'), /innocent\.txt is a secret file/],
    [pathToFileURL(outside).href, /is outside the workspace/],
    [`${pathToFileURL(server.workspace).href}/../outside.txt`, /is outside the workspace/],
    [uri('escape.txt'), /escape\.txt leads outside the workspace through a symbolic link/],
    [uri('src/nothing-here.ts'), /There is no file src\/nothing-here\.ts in the workspace/],
  ];
  for (const [target, message] of refusals) {
    await assert.rejects(server.client.readResource({ uri: target }), (error: Error) => message.test(error.message), target);
  }
  const templates = (await server.client.listResourceTemplates()).resourceTemplates;
  assert.deepEqual(templates.map((t) => t.uriTemplate), ['file://{+path}']);
});

test('the index follows edits and a search waits for them; a daemon that dies is reported, then replaced on the next call', async () => {
  // The daemon embeds through a fake Ollama, so the test sees the moment it starts indexing a change.
  const ollama = await FakeOllama.start();
  after(() => ollama.close());
  const server = await startServer(ollama.url, ['--verbose'], 'ollama');
  const query = { query: 'quarantineSuspiciousInvoice', k: 1 };
  const before = await call(server, 'search_codebase', query);
  assert.equal(before.isError, false, before.text);
  assert.notEqual((before.structured.results as Range[])[0]?.path, 'src/invoices.ts');

  const embedding = createGate();
  ollama.next('/api/embed', { kind: 'ok', gate: embedding.promise });
  const embedded = ollama.count('/api/embed');
  writeFileSync(join(server.workspace, 'src', 'invoices.ts'), 'export function quarantineSuspiciousInvoice(id: string): string {\n  return `held:${id}`;\n}\n');
  const indexing = await within(20_000, ollama.waitForRequest('/api/embed', embedded + 1), 'the watcher never handed the new file to the embedder');
  assert.match(JSON.stringify(indexing.body), /quarantineSuspiciousInvoice/, 'the watcher hands the new file to the embedder without a reindex call');
  // The file is being indexed: a search now waits for it, saying so as progress, and the embedder answers only then.
  const found = await call(server, 'search_codebase', query, () => embedding.release());
  assert.equal(found.isError, false, found.text);
  assert.ok(found.progress.length > 0 && !/^Ready/.test(found.progress[0]!), `the search said it waits for indexing: ${found.progress.join(' | ')}`);
  assert.equal(found.structured.indexing, undefined, 'no note: the index had caught up when the search ran');
  assert.equal((found.structured.results as Range[])[0]?.path, 'src/invoices.ts');

  process.kill(daemonOf(server), 'SIGKILL');
  const lost = await call(server, 'index_status', {});
  assert.equal(lost.isError, true);
  assert.match(lost.text, /^The Ferret daemon was killed by SIGKILL.* It will be started again on the next call\.$/);
  const back = await call(server, 'search_codebase', query);
  assert.equal(back.isError, false, back.text);
  assert.equal((back.structured.results as Range[])[0]?.path, 'src/invoices.ts');
  assert.match(server.stderr(), /\[daemon log\] /, '--verbose sends daemon logs to stderr');
  assert.deepEqual(wireFaults(server), [], 'stdout carried MCP frames only');

  const serverPid = server.transport.pid!;
  const daemonPid = daemonOf(server);
  await server.client.close();
  assert.deepEqual(await Promise.all([ended(serverPid), ended(daemonPid)]), [true, true], 'closing the client ends the server and its daemon');
});

test('a missing workspace is a usage error on stderr, nothing on stdout', async () => {
  const result = await run(process.execPath, [CLI, 'mcp', '--workspace', join(__dirname, 'no-such-folder')]).catch((error: { code: number; stdout: string; stderr: string }) => error);
  assert.equal((result as { code?: number }).code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^ferret: The workspace folder .*no-such-folder does not exist\.\n$/);
  const json = await run(process.execPath, [CLI, 'mcp', '--json']).catch((error: { code: number; stderr: string }) => error);
  assert.equal((json as { code?: number }).code, 2);
  assert.match(json.stderr, /--json does not apply to "ferret mcp"/);
});

test('a search made while the first pass is held up answers from what is indexed and says so', async () => {
  const ollama = await FakeOllama.start();
  const embedding = createGate();
  // The first /api/embed is the embedder's start-up probe; the second is the first pass.
  ollama.next('/api/embed', { kind: 'ok' }, { kind: 'ok', gate: embedding.promise });
  const { workspace, indexDir } = copyWorkspace();
  const session = new DaemonSession({ daemon: { workspace, serverPath: SERVER, settings: { indexDir, embedder: 'ollama', ollamaHost: ollama.url, watch: true, autoIndex: true } } }, 300);
  const signal = new AbortController().signal;
  try {
    const during = await session.use(async (client) => {
      await ollama.waitForRequest('/api/embed', 2);
      return session.caughtUp(client, signal, () => undefined);
    });
    assert.match(during ?? '', /^Indexing is still running \(.+\); these results cover only what was indexed so far\. Call again later for complete results\.$/);
    embedding.release();
    await session.use((client) => client.reindex({}));
    assert.equal(await session.use((client) => session.caughtUp(client, signal, () => undefined)), undefined, 'no note once the index has caught up');
  } finally {
    embedding.release();
    await session.close();
    await ollama.close();
  }
});

/** The daemon child of the MCP server process. */
function daemonOf(server: Server): number {
  return Number(execFileSync('pgrep', ['-P', String(server.transport.pid)]).toString().trim());
}

/** `promise`, or a failure naming what never happened once `ms` have passed: a deadline, not a wait. */
async function within<T>(ms: number, promise: Promise<T>, never: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`After ${ms / 1000} s: ${never}.`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves true once process `pid` (not necessarily a child of this one) has ended, false if it
 * still runs after `timeoutMs`. The kernel reports the end through a pidfd; nothing polls.
 */
async function ended(pid: number, timeoutMs = 20_000): Promise<boolean> {
  const script = [
    'import os, select, sys',
    'try:',
    '    fd = os.pidfd_open(int(sys.argv[1]))',
    'except ProcessLookupError:',
    '    sys.exit(0)',
    'sys.exit(0 if select.select([fd], [], [], float(sys.argv[2]))[0] else 3)',
  ].join('\n');
  const outcome = await run('python3', ['-c', script, String(pid), String(timeoutMs / 1000)]).then(
    () => 0,
    (error: { code?: number }) => error.code,
  );
  if (outcome !== 0 && outcome !== 3) throw new Error(`Could not wait for process ${pid} (python3 with os.pidfd_open, Linux 5.3+): exit ${outcome}`);
  return outcome === 0;
}
