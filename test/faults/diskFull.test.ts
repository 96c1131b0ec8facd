import assert from 'node:assert/strict';
import { rmSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SearchResult } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { readIndexRows } from '../support/indexContents';
import { writeSyntheticWorkspace } from '../support/syntheticWorkspace';
import { tempDir } from '../support/tempDir';
import { fillDisk, mountTmpfs, reportFigures } from './faultKit';

const FILES = 300;

test('a full disk pauses indexing with one clear message, search keeps serving, and indexing resumes when space returns', { timeout: 240_000 }, async () => {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, FILES);
  const indexDir = mountTmpfs(48);
  const settings = { embedder: 'local' as const, watch: true, autoIndex: true, indexDir };

  const daemon = await startDaemon([workspace], settings);
  try {
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === FILES);
    const filler = fillDisk(indexDir);

    // While the disk is full: new files, an edit and a deletion, none of which may be lost.
    mkdirSync(join(workspace, 'late'), { recursive: true });
    for (let i = 0; i < 40; i++) {
      writeFileSync(join(workspace, 'late', `zebra${i}.ts`), `/** Feeds zebra ${i}. */\nexport function feedZebra${i}(grams: number): number {\n  return grams * ${i + 2};\n}\n`);
    }
    writeFileSync(join(workspace, 'pkg0', 'order', 'order0.ts'), 'export function quarantineOrderZero(): string {\n  return "held";\n}\n');
    unlinkSync(join(workspace, 'pkg1', 'invoice', 'invoice1.ts'));

    const paused = await daemon.statusWhere((s) => s.health === 'error');
    assert.equal(paused.folders[0]!.state, 'error');
    // What the status bar shows: the folder, then one sentence that names the full disk and says what happens now.
    const problem = paused.folders[0]!.error ?? '';
    assert.equal(paused.message, `${workspace}: ${problem}`);
    const sentence = problem.replace(indexDir, '<index>');
    assert.match(sentence, /^[A-Z][^.\n]*\.$/, `one sentence, no error code or stack: ${problem}`);
    assert.match(sentence, /^The disk holding the index \(<index>\/[^)]+\) is full: /, 'it names the problem and the disk');
    assert.match(sentence, /indexing is paused and resumes by itself when space is freed/);

    const old = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'reconcile ledger', k: 5 });
    assert.ok(old.results.length > 0, 'search still answers from what is stored');
    const alive = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'feedZebra7', k: 5 });
    assert.ok(!alive.results.some((r) => r.path === 'late/zebra7.ts'), 'files written while the disk was full are not indexed yet');

    const freed = performance.now();
    rmSync(filler);
    const resumed = await daemon.statusWhere((s) => s.health !== 'error' && s.quiescent && s.folders[0]!.files === FILES + 40 - 1);
    const recoveryMs = Math.round(performance.now() - freed);
    assert.match(resumed.message, /^Ready/);

    const zebra = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'feedZebra7', k: 3 });
    assert.equal(zebra.results[0]?.path, 'late/zebra7.ts');
    const edited = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'quarantineOrderZero', k: 3 });
    assert.equal(edited.results[0]?.path, 'pkg0/order/order0.ts');

    // One message for the whole episode, however many files changed while the disk was full.
    const errors = daemon.logs.filter((line) => /is full|ENOSPC|no space/i.test(line));
    reportFigures('disk-full', { filesWrittenWhileFull: 42, recoveryAfterSpaceFreedMs: recoveryMs, fullDiskMessagesLogged: errors.length });
    assert.deepEqual(errors, [`Indexing ${workspace} failed: ${problem}\n`], 'the full disk is logged once, as the sentence the status shows');
  } finally {
    await daemon.stop();
  }

  // Nothing lost: the recovered index equals what a clean run builds from the same files.
  const cleanDir = join(root, 'clean');
  const clean = await startDaemon([workspace], { ...settings, watch: false, indexDir: cleanDir });
  await clean.statusWhere((s) => s.quiescent && s.folders[0]!.files === FILES + 40 - 1);
  await clean.stop();
  assert.deepEqual(await readIndexRows(indexDir), await readIndexRows(cleanDir));
});
