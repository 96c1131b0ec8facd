import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AskResult, SearchResult } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { FakeOllama } from '../support/fakeOllama';
import { NOUNS, syntheticModulePath, VERBS, writeSyntheticWorkspace } from '../support/syntheticWorkspace';
import { tempDir } from '../support/tempDir';
import { memoryOf, percentile, reportFigures } from './faultKit';

const FILES = 20_000;
const SWITCHED = 2_000;
const SEARCHES = 50;
const ASKS = 5;
/** Far above what the daemon needs (≈0.5–0.7 GiB measured); a leak under load would cross it. */
const RSS_CEILING_MIB = 1_536;

/** Rewrites `count` files the way checking out another branch does: same paths, new content, all at once. */
function switchBranch(workspace: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const n = i * Math.floor(FILES / count);
    const noun = NOUNS[n % NOUNS.length]!;
    writeFileSync(
      join(workspace, syntheticModulePath(n)),
      `/** On the release branch, ${noun} ${n} is frozen before it ships. */\nexport function freezeRelease${n}(${noun}: string): string {\n  return \`frozen:\${${noun}}\`;\n}\n`,
    );
  }
}

test(`${FILES} files: ${SEARCHES} concurrent searches and ${ASKS} concurrent asks while a branch switch rewrites ${SWITCHED} files`, { timeout: 1_200_000 }, async () => {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, FILES);
  const ollama = await FakeOllama.start({ models: ['qwen2.5-coder:7b'], chatTokens: ['The ledger ', 'is reconciled ', 'by its service [1].'] });
  after(() => ollama.close());

  const coldStart = performance.now();
  const daemon = await startDaemon([workspace], { indexDir: join(root, 'index'), embedder: 'local', watch: true, autoIndex: true, ollamaHost: ollama.url, providers: ['ollama'] });
  try {
    const ready = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === FILES);
    const coldMs = performance.now() - coldStart;
    const afterCold = memoryOf(daemon.child.pid!);

    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(memoryOf(daemon.child.pid!).rssMiB), 100);
    const searchMs: number[] = [];
    const askMs: number[] = [];
    const firstTokenMs: number[] = [];
    const failures: string[] = [];
    const timed = async <T>(into: number[], run: () => Promise<T>): Promise<T | undefined> => {
      const started = performance.now();
      try {
        return await run();
      } catch (error) {
        failures.push((error as Error).message);
        return undefined;
      } finally {
        into.push(performance.now() - started);
      }
    };

    // The same wave on an idle daemon, to tell the cost of concurrency from the cost of the switch.
    const idleMs: number[] = [];
    await Promise.all(Array.from({ length: SEARCHES }, (_, i) => timed(idleMs, () => daemon.connection.sendRequest<SearchResult>('ferret/search', { query: `${VERBS[i % VERBS.length]} ${NOUNS[i % NOUNS.length]} ${i * 41}`, k: 10 }))));

    const switchStarted = performance.now();
    const caughtUp = daemon.statusWhere((s) => s.quiescent && s.folders[0]!.revision > ready.folders[0]!.revision);
    switchBranch(workspace, SWITCHED);
    const searches = Array.from({ length: SEARCHES }, (_, i) =>
      timed(searchMs, () => daemon.connection.sendRequest<SearchResult>('ferret/search', { query: `${VERBS[i % VERBS.length]} ${NOUNS[i % NOUNS.length]} ${i * 37}`, k: 10 })),
    );
    const asks = Array.from({ length: ASKS }, (_, i) =>
      timed(askMs, () => daemon.connection.sendRequest<AskResult>('ferret/ask', { question: `How is ledger ${i * 101} reconciled?` })),
    );
    const searchResults = await Promise.all(searches);
    const answers = await Promise.all(asks);
    await caughtUp;
    const switchMs = performance.now() - switchStarted;
    clearInterval(sampler);

    assert.deepEqual(failures, [], 'no request failed under load');
    assert.ok(searchResults.every((r) => r !== undefined && r.results.length > 0), 'every search found something');
    for (const answer of answers) {
      assert.equal(answer?.sourcesOnly, false);
      assert.equal(answer?.answer, 'The ledger is reconciled by its service [1].');
      firstTokenMs.push(answer!.timings.firstTokenMs ?? 0);
    }
    // The switched files are searchable with their new content once the daemon caught up.
    const frozen = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'freezeRelease1990', k: 3 });
    assert.equal(frozen.results[0]?.path, syntheticModulePath(1990));
    const status = await daemon.connection.sendRequest<{ folders: Array<{ files: number }> }>('ferret/status');
    assert.equal(status.folders[0]!.files, FILES);

    const peakUnderLoad = Math.max(...samples);
    assert.ok(peakUnderLoad < RSS_CEILING_MIB, `daemon RSS under load stayed bounded (peak ${peakUnderLoad} MiB)`);
    const round = (values: number[], p: number) => Math.round(percentile(values, p));
    reportFigures('load', {
      files: FILES,
      chunks: ready.folders[0]!.chunks,
      coldIndexMs: Math.round(coldMs),
      rssAfterColdIndexMiB: afterCold.rssMiB,
      peakRssColdIndexMiB: afterCold.peakMiB,
      peakRssUnderLoadMiB: peakUnderLoad,
      requests: SEARCHES + ASKS,
      failed: failures.length,
      idleWaveSearchMs: { p50: round(idleMs, 50), p95: round(idleMs, 95), max: round(idleMs, 100) },
      searchMs: { p50: round(searchMs, 50), p95: round(searchMs, 95), max: round(searchMs, 100) },
      askMs: { p50: round(askMs, 50), p95: round(askMs, 95), max: round(askMs, 100) },
      askFirstTokenMs: { p50: round(firstTokenMs, 50), max: round(firstTokenMs, 100) },
      branchSwitchToSearchableMs: Math.round(switchMs),
    });
  } finally {
    await daemon.stop();
  }
});
