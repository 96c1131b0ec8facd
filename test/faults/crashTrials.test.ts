import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { readIndexRows, readVocabulary } from '../support/indexContents';
import { syntheticModulePath, writeSyntheticWorkspace } from '../support/syntheticWorkspace';
import { tempDir } from '../support/tempDir';
import { percentile, reportFigures, seededRandom, seedFromEnv } from './faultKit';

const FILES = 5_000;
const COLD_TRIALS = 12;
const BURST_TRIALS = 6;
const settings = { embedder: 'local' as const, watch: false, autoIndex: true };
const seed = seedFromEnv();
const random = seededRandom(seed);

/** Kills the daemon with SIGKILL after `delayMs` (a fault injected at a random moment, not a wait), returning the last status seen. */
async function killAfter(daemon: Daemon, delayMs: number): Promise<StatusReport | undefined> {
  let last: StatusReport | undefined;
  daemon.connection.onNotification('ferret/status', (s: StatusReport) => {
    last = s;
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  daemon.child.kill('SIGKILL');
  await daemon.stop();
  return last;
}

/** Starts a daemon on an interrupted index and waits until it has caught up; returns the time that took. */
async function recover(workspace: string, indexDir: string, files: number, watch = false): Promise<number> {
  const started = performance.now();
  const daemon = await startDaemon([workspace], { ...settings, watch, indexDir });
  await daemon.statusWhere((s) => s.quiescent && s.health === 'ok' && s.folders[0]!.files === files);
  const ms = performance.now() - started;
  await daemon.stop();
  return ms;
}

test(`SIGKILL at ${COLD_TRIALS} random moments of a cold index of ${FILES} files: every restart converges to exactly the clean index and vocabulary`, { timeout: 900_000 }, async () => {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, FILES);

  const cleanDir = join(root, 'clean');
  const cleanStart = performance.now();
  const clean = await startDaemon([workspace], { ...settings, indexDir: cleanDir });
  await clean.statusWhere((s) => s.quiescent && s.folders[0]!.files === FILES);
  const cleanMs = performance.now() - cleanStart;
  await clean.stop();
  const expected = await readIndexRows(cleanDir);
  const expectedVocabulary = readVocabulary(cleanDir);

  const trials: Array<{ killAtMs: number; stateAtKill: string; recoverMs: number }> = [];
  for (let trial = 0; trial < COLD_TRIALS; trial++) {
    const indexDir = join(root, `trial-${trial}`);
    const killAtMs = Math.round((0.05 + 0.9 * random()) * cleanMs);
    const victim = await startDaemon([workspace], { ...settings, indexDir });
    const seen = await killAfter(victim, killAtMs);
    const recoverMs = await recover(workspace, indexDir, FILES);
    const actual = await readIndexRows(indexDir);
    assert.equal(actual.length, expected.length, `trial ${trial} (seed ${seed}, kill at ${killAtMs} ms): same number of chunks`);
    assert.deepEqual(actual, expected, `trial ${trial} (seed ${seed}, kill at ${killAtMs} ms): same chunks`);
    assert.deepEqual(readVocabulary(indexDir), expectedVocabulary, `trial ${trial} (seed ${seed}, kill at ${killAtMs} ms): same vocabulary`);
    const folder = seen?.folders[0];
    trials.push({ killAtMs, stateAtKill: folder ? `${folder.state} ${folder.progress?.done ?? folder.files}/${folder.progress?.total ?? FILES}` : 'starting', recoverMs: Math.round(recoverMs) });
    rmSync(indexDir, { recursive: true, force: true });
  }
  const recoveries = trials.map((t) => t.recoverMs);
  reportFigures('crash-cold-index', {
    seed,
    files: FILES,
    chunks: expected.length,
    cleanIndexMs: Math.round(cleanMs),
    trials: trials.length,
    converged: trials.length,
    recoverMsP50: percentile(recoveries, 50),
    recoverMsMax: Math.max(...recoveries),
    perTrial: trials,
  });
});

test(`SIGKILL during ${BURST_TRIALS} bursts of edits while watching: the restarted daemon converges to the clean index of the final files`, { timeout: 900_000 }, async () => {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, FILES);
  const indexDir = join(root, 'watched');
  const first = await startDaemon([workspace], { ...settings, indexDir });
  await first.statusWhere((s) => s.quiescent && s.folders[0]!.files === FILES);
  await first.stop();

  let files = FILES;
  const trials: Array<{ killAfterMs: number; stateAtKill: string; recoverMs: number }> = [];
  for (let trial = 0; trial < BURST_TRIALS; trial++) {
    const daemon = await startDaemon([workspace], { ...settings, watch: true, indexDir });
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === files);
    // Disjoint files per trial, so a later burst cannot paper over an earlier loss.
    const burstStarted = daemon.statusWhere((s) => !s.quiescent);
    files += burst(workspace, trial);
    await burstStarted;
    const killAfterMs = Math.round(random() * 250);
    const seen = await killAfter(daemon, killAfterMs);
    const stateAtKill = seen ? `${seen.folders[0]!.state}, ${seen.quiescent ? 'caught up' : `${seen.folders[0]!.pending} files pending`}` : 'burst seen';
    trials.push({ killAfterMs, stateAtKill, recoverMs: Math.round(await recover(workspace, indexDir, files, true)) });
  }

  const cleanDir = join(root, 'clean');
  await recover(workspace, cleanDir, files);
  assert.deepEqual(await readIndexRows(indexDir), await readIndexRows(cleanDir), `seed ${seed}`);
  assert.deepEqual(readVocabulary(indexDir), readVocabulary(cleanDir), `seed ${seed}: same vocabulary`);
  reportFigures('crash-edit-burst', { seed, trials: trials.length, converged: trials.length, perTrial: trials });
});

/**
 * A branch-switch-like burst over this trial's own files: rewrites, deletions, renames and
 * new files. Returns how the file count changed.
 */
function burst(workspace: string, trial: number): number {
  const stride = 10;
  const target = (i: number) => join(workspace, syntheticModulePath(trial + BURST_TRIALS * i));
  let i = 0;
  for (; i < 30 * stride; i += stride) writeFileSync(target(i), `/** Rewritten in burst ${trial}. */\nexport function burst${trial}Rewrite${i}(): number {\n  return ${i};\n}\n`);
  for (; i < 40 * stride; i += stride) rmSync(target(i));
  for (; i < 50 * stride; i += stride) renameSync(target(i), target(i).replace(/\.ts$/, `.moved${trial}.ts`));
  for (let added = 0; added < 20; added++) writeFileSync(join(workspace, `added-${trial}-${added}.ts`), `export const added${trial}x${added} = ${added};\n`);
  cpSync(target(60 * stride), join(workspace, `copy-${trial}.ts`));
  return -10 + 20 + 1;
}

test('a crash between a commit and its catalog write, then the file changed back: the restart stores the file as it is', { timeout: 120_000 }, async () => {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, 40);
  const indexDir = join(root, 'index');
  const file = join(workspace, syntheticModulePath(0));
  const original = readFileSync(file, 'utf8');
  await recover(workspace, indexDir, 40);
  const clean = await readIndexRows(indexDir);
  const folderDir = join(indexDir, readdirSync(indexDir)[0]!);
  const catalogFile = join(folderDir, readdirSync(folderDir).find((name) => name.startsWith('catalog_'))!);
  const catalogBefore = JSON.parse(readFileSync(catalogFile, 'utf8')) as { dirty: boolean };

  writeFileSync(file, `${original}\nexport function ledgerOnlyInTheLostVersion(): number {\n  return 7;\n}\n`);
  await recover(workspace, indexDir, 40);
  // On disk now: the new version's rows are committed, the catalog still records the old version
  // and is marked mid-pass — what a kill between the commit and the catalog write leaves.
  writeFileSync(catalogFile, JSON.stringify({ ...catalogBefore, dirty: true }));
  writeFileSync(file, original);

  await recover(workspace, indexDir, 40);
  assert.deepEqual(await readIndexRows(indexDir), clean);
});
