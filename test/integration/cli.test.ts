// The `ferret` command end to end: the bundled CLI spawns the bundled daemon on temp workspaces.
// Needs `npm run build` first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DaemonClient } from '../../server/src/daemonClient/daemonClient';
import type { AskResult, ReindexResult, StatusReport } from '../../server/src/shared/protocol';
import { FakeOllama } from '../support/fakeOllama';
import { tempDir } from '../support/tempDir';

const DIST = join(__dirname, '..', '..', 'dist');
const CLI = join(DIST, 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function ferret(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, LANCEDB_LOG: 'error', OLLAMA_HOST: 'http://127.0.0.1:9', NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A small workspace with code in two languages, a secret and a binary. */
function workspace(): { dir: string; indexDir: string; flags: string[] } {
  const dir = tempDir('ferret-cli-ws-');
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'tools'));
  writeFileSync(
    join(dir, 'src', 'billing.ts'),
    [
      'export interface Invoice { id: string; total: number }',
      '',
      'export function computeInvoiceTotal(lines: { price: number; quantity: number }[]): number {',
      '  return lines.reduce((sum, line) => sum + line.price * line.quantity, 0);',
      '}',
      '',
      'export class RetryPolicy {',
      '  backoffDelay(attempt: number): number {',
      '    return Math.min(30_000, 2 ** attempt * 100);',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'tools', 'report.py'),
    ['def render_monthly_report(rows):', '    """Formats the monthly report as a table."""', '    return "\\n".join(str(r) for r in rows)', ''].join('\n'),
  );
  writeFileSync(join(dir, '.env'), 'API_KEY=hunter2\n');
  writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  const indexDir = tempDir('ferret-cli-index-');
  return { dir, indexDir, flags: ['--workspace', dir, '--index-dir', indexDir, '--embedder', 'local'] };
}

test('index --json reports the pass; a second pass reuses everything', async () => {
  const ws = workspace();
  const first = await ferret(['index', '--json', ...ws.flags]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stderr, '', 'no progress bar or logs when stderr is not a terminal');
  const result = JSON.parse(first.stdout) as ReindexResult;
  const [summary] = result.summaries;
  assert.equal(summary!.files, 2);
  assert.equal(summary!.indexedFiles, 2);
  assert.ok(summary!.chunks >= 2);
  assert.ok((summary!.skipped.secret ?? 0) + (summary!.skipped.binary ?? 0) >= 2, JSON.stringify(summary!.skipped));

  const again = JSON.parse((await ferret(['index', '--json', ...ws.flags])).stdout) as ReindexResult;
  assert.equal(again.summaries[0]!.indexedFiles, 0);
  assert.equal(again.summaries[0]!.embeddedChunks, 0);
});

test('readable index output summarises files, chunks and skips', async () => {
  const ws = workspace();
  const run = await ferret(['index', ...ws.flags]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /2 files, \d+ chunks in /);
  assert.match(run.stdout, /this pass +2 files indexed, 0 files removed/);
  assert.match(run.stdout, /skipped +\d+: /);
});

test('search indexes first, then prints one JSON line with workspace-relative paths', async () => {
  const ws = workspace();
  const run = await ferret(['search', 'compute invoice total', '--json', '--k', '3', ...ws.flags]);
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1);
  const answer = JSON.parse(lines[0]!) as { query: string; results: { path: string; startLine: number; endLine: number; symbol: string; score: number }[]; mode: string };
  assert.deepEqual(Object.keys(answer), ['query', 'results', 'mode']);
  assert.equal(answer.query, 'compute invoice total');
  assert.ok(answer.results.length >= 1 && answer.results.length <= 3);
  assert.deepEqual(Object.keys(answer.results[0]!), ['path', 'startLine', 'endLine', 'symbol', 'score']);
  assert.equal(answer.results[0]!.path, 'src/billing.ts');
  assert.ok(answer.results[0]!.startLine <= 3 && answer.results[0]!.endLine >= 4);
});

test('search sees an edit made since the last index, without an explicit index', async () => {
  const ws = workspace();
  assert.equal((await ferret(['index', ...ws.flags])).code, 0);
  appendFileSync(join(ws.dir, 'tools', 'report.py'), '\ndef quarantine_suspicious_upload(path):\n    return path\n');
  const run = await ferret(['search', 'quarantine_suspicious_upload', '--json', ...ws.flags]);
  const answer = JSON.parse(run.stdout) as { results: { path: string; symbol: string }[] };
  assert.equal(answer.results[0]?.path, 'tools/report.py');
});

test('readable search shows path:start-end, symbol, score and snippet lines, and filters by language', async () => {
  const ws = workspace();
  const run = await ferret(['search', 'backoff delay retry', '--lang', 'typescript', ...ws.flags]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^src\/billing\.ts:\d+-\d+ {2}\S.* {2}\(\d/m);
  assert.match(run.stdout, /backoffDelay\(attempt: number\)/);
  assert.doesNotMatch(run.stdout, /report\.py/);
  assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colors when stdout is not a terminal');
});

test('search --stdin answers one JSON line per non-empty input line', async () => {
  const ws = workspace();
  const run = await ferret(['search', '--stdin', ...ws.flags], { input: 'monthly report\n\ninvoice total\n' });
  assert.equal(run.code, 0, run.stderr);
  const answers = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { query: string; results: { path: string }[] });
  assert.deepEqual(answers.map((a) => a.query), ['monthly report', 'invoice total']);
  assert.equal(answers[0]!.results[0]?.path, 'tools/report.py');
  assert.equal(answers[1]!.results[0]?.path, 'src/billing.ts');
});

test('status --json is the StatusReport of the workspace', async () => {
  const ws = workspace();
  await ferret(['index', ...ws.flags]);
  const run = await ferret(['status', '--json', ...ws.flags]);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as StatusReport;
  assert.equal(report.folders.length, 1);
  assert.equal(report.folders[0]!.folder, ws.dir);
  assert.equal(report.folders[0]!.files, 2);
  assert.ok(report.folders[0]!.indexDir.startsWith(ws.indexDir));
  assert.match(report.embedder.id, /^local/);
  const readable = await ferret(['status', ...ws.flags]);
  assert.match(readable.stdout, /embedder +local/);
});

test('status exits 3 until the workspace has a complete index, and says why', async () => {
  const ws = workspace();
  const never = await ferret(['status', '--json', ...ws.flags]);
  assert.equal(never.code, 3, never.stderr);
  const report = JSON.parse(never.stdout) as StatusReport;
  assert.equal(report.ready, false);
  assert.match(report.notReadyReason ?? '', /has no complete index yet/);
  const readable = await ferret(['status', ...ws.flags]);
  assert.equal(readable.code, 3);
  assert.match(readable.stdout, /ready +no — .*has no complete index yet/);

  assert.equal((await ferret(['index', ...ws.flags])).code, 0);
  const indexed = await ferret(['status', '--json', ...ws.flags]);
  assert.equal(indexed.code, 0, indexed.stdout);
  assert.equal((JSON.parse(indexed.stdout) as StatusReport).ready, true);
  assert.match((await ferret(['status', ...ws.flags])).stdout, /ready +yes/);

  // What a pass that died midway leaves: its catalog still marked dirty, the table maybe partial.
  const folderDir = join(ws.indexDir, readdirSync(ws.indexDir)[0]!);
  const catalog = join(folderDir, readdirSync(folderDir).find((name) => name.startsWith('catalog_') && name.endsWith('.json'))!);
  writeFileSync(catalog, readFileSync(catalog, 'utf8').replace('"dirty":false', '"dirty":true'));
  const interrupted = await ferret(['status', '--json', ...ws.flags]);
  assert.equal(interrupted.code, 3);
  assert.match((JSON.parse(interrupted.stdout) as StatusReport).notReadyReason ?? '', /has no complete index yet/);
});

test('--workspace defaults to the current folder', async () => {
  const ws = workspace();
  const run = await ferret(['search', 'monthly report', '--json', '--index-dir', ws.indexDir, '--embedder', 'local'], { cwd: ws.dir });
  assert.equal(run.code, 0, run.stderr);
  assert.equal((JSON.parse(run.stdout) as { results: { path: string }[] }).results[0]?.path, 'tools/report.py');
});

test('bad command lines exit 2 with one sentence and no stack', async () => {
  const missing = await ferret(['index', '--workspace', '/nonexistent/ferret-ws']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'ferret: The workspace folder /nonexistent/ferret-ws does not exist.\n');
  const unknown = await ferret(['search', 'x', '--colour']);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, 'ferret: Unknown option --colour. Run "ferret --help" for usage.\n');
  const badK = await ferret(['search', 'x', '--k', 'many']);
  assert.equal(badK.code, 2);
  assert.match(badK.stderr, /^ferret: --k needs a positive integer; got "many"\.\n$/);
});

test('a daemon error exits 1 with its message, and a stack only with --verbose', async () => {
  const ws = workspace();
  const run = await ferret(['search', 'x', '--k', '500', ...ws.flags]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^ferret: .+\n$/);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
  const verbose = await ferret(['search', 'x', '--k', '500', '--verbose', ...ws.flags]);
  assert.equal(verbose.code, 1);
  assert.match(verbose.stderr, /\n\s+at /);
});

test('--help and --version print to stdout and exit 0', async () => {
  const help = await ferret(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: ferret <command> \[options\]/);
  const version = await ferret(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test('serve --stdio runs the daemon itself: a client can index and search through it', async () => {
  const ws = workspace();
  const client = await DaemonClient.start({
    workspace: ws.dir,
    serverPath: CLI,
    serverArgs: ['serve', '--stdio'],
    settings: { indexDir: ws.indexDir, embedder: 'local', watch: false, autoIndex: false },
    env: { ...process.env, LANCEDB_LOG: 'error' },
  });
  try {
    const result = await client.reindex({});
    assert.equal(result.summaries[0]!.files, 2);
    const found = await client.search({ query: 'render monthly report' });
    assert.equal(found.results[0]?.path, 'tools/report.py');
  } finally {
    await client.shutdown();
  }
});

test('ask streams an answer from a local model, then lists the cited ranges', async () => {
  const ollama = await FakeOllama.start({ models: ['qwen2.5-coder:7b'], chatTokens: ['Totals sum price times quantity ', '[1]', '.'] });
  after(() => ollama.close());
  const { dir, flags } = workspace();
  const run = await ferret(['ask', 'how is the invoice total computed?', ...flags], { cwd: dir, env: { OLLAMA_HOST: ollama.url } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Totals sum price times quantity \[1\]\.\n\nSources:\n {2}\[1\] src\/billing\.ts:\d+-\d+/);
  assert.match(run.stdout, /qwen2\.5-coder:7b via ollama, first token \d+ ms/);

  const json = await ferret(['ask', 'how is the invoice total computed?', '--json', ...flags], { cwd: dir, env: { OLLAMA_HOST: ollama.url } });
  assert.equal(json.code, 0, json.stderr);
  const result = JSON.parse(json.stdout) as AskResult;
  assert.equal(result.answer, 'Totals sum price times quantity [1].');
  assert.equal(result.citations[0]?.path, 'src/billing.ts');
});

test('ask without a reachable model prints the sources, says why, and succeeds', async () => {
  const { dir, flags } = workspace();
  const run = await ferret(['ask', 'how is the invoice total computed?', ...flags], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Sources only: no model answered/);
  assert.match(run.stdout, /1\. `src\/billing\.ts:\d+-\d+` .*computeInvoiceTotal/);
  assert.match(run.stderr, /Could not connect to Ollama/);
  const missing = await ferret(['ask', ...flags], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /ferret ask needs a question/);
});
