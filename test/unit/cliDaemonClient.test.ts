import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { runDaemonCommand, type CliIo } from '../../server/src/cli/commands';
import { DaemonClient, type WorkDoneProgress } from '../../server/src/daemonClient/daemonClient';
import { DaemonExitedError, DaemonRequestError } from '../../server/src/daemonClient/errors';
import type { StatusReport } from '../../server/src/shared/protocol';
import { tempDir } from '../support/tempDir';

const FAKE = join(__dirname, '..', 'support', 'cliFakeDaemon.mjs');

function start(mode = 'ok', workspace = tempDir()): Promise<DaemonClient> {
  return DaemonClient.start({
    workspace,
    serverPath: FAKE,
    settings: { watch: false, embedder: 'local' },
    env: { ...process.env, FAKE_DAEMON: mode },
  });
}

test('the handshake sends the workspace folder and the settings, and requests are typed', async () => {
  const workspace = tempDir();
  const client = await start('ok', workspace);
  try {
    const status = await client.status();
    assert.deepEqual(JSON.parse(status.message), {
      settings: { watch: false, embedder: 'local' },
      workspaceFolders: [{ uri: `file://${workspace}`, name: workspace.split('/').pop() }],
      passes: 0,
    });
    const result = await client.search({ query: 'parse', k: 1 });
    assert.deepEqual(result.results.map((hit) => hit.path), ['src/a.ts']);
  } finally {
    await client.shutdown();
  }
});

test('a reindex answers progress requests and reports progress, status and logs as events', async () => {
  const client = await start();
  const progress: WorkDoneProgress[] = [];
  const statuses: StatusReport[] = [];
  const logs: string[] = [];
  client.onProgress((event) => progress.push(event));
  client.onStatus((report) => statuses.push(report));
  client.onLog((log) => logs.push(log.message));
  try {
    const result = await client.reindex({ full: true });
    assert.equal(result.summaries[0]!.indexedFiles, 2);
    assert.deepEqual(progress.map((event) => event.kind), ['begin', 'report', 'end']);
    assert.deepEqual(statuses[0]!.folders[0]!.progress, { done: 1, total: 2 });
    assert.deepEqual(logs, ['indexed a.ts']);
  } finally {
    await client.shutdown();
  }
});

test('a daemon error becomes a DaemonRequestError carrying its sentence', async () => {
  const client = await start('reject-search');
  try {
    await assert.rejects(client.search({ query: 'x', k: 500 }), (error: unknown) => {
      return error instanceof DaemonRequestError && error.message === 'k must be between 1 and 100.' && error.code === -32602;
    });
  } finally {
    await client.shutdown();
  }
});

test('a daemon that dies mid-request fails the request with its last stderr line', async () => {
  const client = await start('crash-on-search');
  await assert.rejects(client.search({ query: 'x' }), (error: unknown) => {
    return error instanceof DaemonExitedError && error.message === 'The Ferret daemon exited with code 4: Error: the vector table is corrupt';
  });
  await client.shutdown();
});

test('a daemon that dies before the handshake fails start with its error line', async () => {
  await assert.rejects(start('crash-on-start'), {
    name: 'DaemonExitedError',
    message: 'The Ferret daemon exited with code 3: Error: cannot open the index at /nowhere',
  });
});

test('a missing daemon bundle is reported with the way to build it', async () => {
  await assert.rejects(DaemonClient.start({ workspace: tempDir(), serverPath: '/nonexistent/server.js' }), {
    message: 'The Ferret daemon is missing at /nonexistent/server.js; build it with "npm run build".',
  });
});

test('shutdown ends the daemon process', async () => {
  const client = await start();
  const pid = client.pid;
  await client.shutdown();
  assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
});

function captureIo(stdinText = ''): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdin = new PassThrough();
  stdin.end(stdinText);
  return {
    io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, stdin, env: {} },
    out: () => out,
    err: () => err,
  };
}

test('search --stdin reindexes once and prints one JSON line per non-empty query', async () => {
  const workspace = tempDir();
  const { io, out } = captureIo('first query\n\n  \nsecond\n');
  const common = { workspace, verbose: false, json: true };
  const code = await runDaemonCommand({ kind: 'search', common, stdin: true, k: 1, paths: [], languages: [] }, io, FAKE);
  assert.equal(code, 0);
  const lines = out().trimEnd().split('\n').map((line) => JSON.parse(line) as { query: string; results: unknown[]; mode: string });
  assert.deepEqual(lines.map((line) => line.query), ['first query', 'second']);
  assert.deepEqual(lines[0], {
    query: 'first query',
    results: [{ path: 'src/a.ts', startLine: 3, endLine: 5, symbol: 'parseConfig', score: 0.5 }],
    mode: 'hybrid',
  });
});

test('one-shot commands ask the daemon not to watch or auto-index, and pass --index-dir and --embedder', async () => {
  const workspace = tempDir();
  const { io, out } = captureIo();
  const common = { workspace, indexDir: '/tmp/some-index', embedder: 'local' as const, verbose: false, json: true };
  assert.equal(await runDaemonCommand({ kind: 'status', common }, io, FAKE), 0);
  const report = JSON.parse(out()) as StatusReport;
  assert.deepEqual(JSON.parse(report.message).settings, { watch: false, autoIndex: false, indexDir: '/tmp/some-index', embedder: 'local' });
});

test('--verbose shows the daemon log lines on stderr; without it stderr stays quiet', async () => {
  const quiet = captureIo();
  await runDaemonCommand({ kind: 'index', common: { workspace: tempDir(), verbose: false, json: false }, full: false }, quiet.io, FAKE);
  assert.equal(quiet.err(), '');
  assert.match(quiet.out(), /2 files, 3 chunks in .* \(12 ms\)/);
  const loud = captureIo();
  await runDaemonCommand({ kind: 'index', common: { workspace: tempDir(), verbose: true, json: false }, full: false }, loud.io, FAKE);
  assert.match(loud.err(), /\[daemon log\] indexed a\.ts/);
});
