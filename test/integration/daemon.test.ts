import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReindexResult, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, usingDaemon, type Daemon } from '../support/daemonHarness';
import { readIndexRows } from '../support/indexContents';
import { writeSyntheticWorkspace } from '../support/syntheticWorkspace';
import { tempDir } from '../support/tempDir';
import { copyWorkspace } from '../support/workspaceCopy';

async function withDaemon(fn: (daemon: Daemon, workspace: string) => Promise<void>, settings = {}): Promise<void> {
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'local', watch: false, autoIndex: false, ...settings });
  await usingDaemon(daemon, () => fn(daemon, workspace));
}

test('indexes a workspace and answers search and status over JSON-RPC', async () => {
  await withDaemon(async (daemon, workspace) => {
    const reindex = await daemon.connection.sendRequest<ReindexResult>('ferret/reindex', {});
    const summary = reindex.summaries[0]!;
    assert.equal(summary.folder, workspace);
    assert.equal(summary.files, 10, 'every source file but the secret .env is indexed');
    assert.equal(summary.skipped.secret, 1);
    assert.equal(daemon.progress[0], 'begin', 'bulk indexing reports standard work-done progress');
    assert.equal(daemon.progress.at(-1), 'end');
    const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
    assert.equal(status.health, 'ok');
    assert.equal(status.quiescent, true);
    assert.equal(status.folders[0]!.files, 10);
    assert.equal(status.folders[0]!.chunks, summary.chunks);
    assert.match(status.embedder.id, /^local:/);

    const result = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'how are passwords hashed before they are stored?', k: 5 });
    assert.equal(result.mode, 'hybrid');
    const top = result.results[0]!;
    assert.equal(top.path, 'src/auth/passwords.ts');
    assert.equal(top.symbol, 'hashPassword');
    assert.ok(top.startLine <= 5 && top.endLine >= 10 && top.endLine < 12, `hashPassword (lines 5-10) without verifyPassword: ${top.startLine}-${top.endLine}`);
    assert.match(top.text, /scryptSync/);
  });
});

test('finds the code implementing a concept in each language, as a focused range', async () => {
  const cases: Array<[string, string, string]> = [
    ['evict the least recently used entry when the cache is full', 'cache/lru.go', 'evicts the least recently used'],
    ['throttle requests with a token bucket', 'src/http/rate_limiter.py', 'class TokenBucket'],
    ['retry a failing task with exponential backoff', 'scripts/Retry.java', 'public <T> T run('],
    ['remove expired sessions', 'src/auth/session.ts', 'evictExpired(now: number)'],
    ['how do I roll back a release', 'docs/deploy.md', '## Rolling back'],
    ['split source text into lowercase words', 'scripts/tokenize.rs', 'pub fn tokenize('],
  ];
  await withDaemon(async (daemon) => {
    await daemon.connection.sendRequest('ferret/reindex', {});
    for (const [query, path, implementation] of cases) {
      const { results } = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query, k: 3 });
      const top = results[0]!;
      assert.equal(top.path, path, `top hit for "${query}"`);
      assert.ok(top.text.includes(implementation), `the top range for "${query}" holds the implementation`);
      assert.ok(top.endLine - top.startLine < 40, `a focused range for "${query}", not a whole file: ${top.startLine}-${top.endLine}`);
    }
  });
});

test('filters by path glob and language', async () => {
  await withDaemon(async (daemon) => {
    await daemon.connection.sendRequest('ferret/reindex', {});
    const byGlob = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'evict expired entries', paths: ['src/**'] });
    assert.ok(byGlob.results.length > 0);
    assert.ok(byGlob.results.every((r) => r.path.startsWith('src/')), JSON.stringify(byGlob.results.map((r) => r.path)));
    const byName = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'evict', paths: ['*.go'] });
    assert.deepEqual([...new Set(byName.results.map((r) => r.path))], ['cache/lru.go']);
    const byLanguage = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'parse tokens words', languages: ['python'] });
    assert.ok(byLanguage.results.length > 0);
    assert.ok(byLanguage.results.every((r) => r.language === 'python'));
  });
});

test('a file saved while watching becomes searchable without a request to reindex', async () => {
  await withDaemon(
    async (daemon, workspace) => {
      const ready = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 10);
      appendFileSync(join(workspace, 'src/http/router.ts'), '\nexport function quokkaHandshake(): string {\n  return "hello";\n}\n');
      await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.revision > ready.folders[0]!.revision);
      const found = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'quokkaHandshake', k: 3 });
      assert.equal(found.results[0]?.path, 'src/http/router.ts');
      assert.match(found.results[0]!.text, /quokkaHandshake/);
    },
    { watch: true, autoIndex: true },
  );
});

test('a daemon killed mid-index resumes to exactly the index a clean run builds', async () => {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, 1500);
  const settings = { embedder: 'local' as const, watch: false, autoIndex: true };

  const clean = await startDaemon([workspace], { ...settings, indexDir: join(root, 'clean') });
  await clean.statusWhere((s) => s.quiescent && s.folders[0]!.files === 1500);
  await clean.stop();

  const indexDir = join(root, 'interrupted');
  for (const fraction of [0.2, 0.6]) {
    const victim = await startDaemon([workspace], { ...settings, indexDir });
    const seen = await victim.statusWhere((s) => (s.folders[0]!.progress?.done ?? 0) >= 1500 * fraction || s.quiescent);
    victim.child.kill('SIGKILL');
    await victim.stop();
    assert.ok(!seen.quiescent, `killed while indexing (${JSON.stringify(seen.folders[0]!.progress)})`);
  }
  const resumed = await startDaemon([workspace], { ...settings, indexDir });
  await resumed.statusWhere((s) => s.quiescent && s.folders[0]!.files === 1500);
  await resumed.stop();

  const expected = await readIndexRows(join(root, 'clean'));
  const actual = await readIndexRows(indexDir);
  assert.equal(actual.length, expected.length, 'same number of chunks');
  assert.deepEqual(actual, expected);
});

test('indexing progress counts the files the index ends up holding, as "Ready" does', async () => {
  await withDaemon(async (daemon, workspace) => {
    // Two files the scanner lists but the pass leaves out once it reads them: binary content.
    writeFileSync(join(workspace, 'src/blob.ts'), Buffer.from([0x63, 0x6f, 0x6e, 0x00, 0x01, 0x02, 0x00, 0xff]));
    writeFileSync(join(workspace, 'src/image.js'), Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.alloc(64)]));
    const reindex = await daemon.connection.sendRequest<ReindexResult>('ferret/reindex', {});
    const summary = reindex.summaries[0]!;
    assert.equal(summary.skipped.binary, 2, JSON.stringify(summary.skipped));
    const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
    assert.equal(status.message, `Ready: ${summary.files} files, ${summary.chunks} chunks.`);
    assert.equal(daemon.progressMessages.at(-1), `${status.folders[0]!.files}/${status.folders[0]!.files} files`, daemon.progressMessages.join(' | '));
  });
});
