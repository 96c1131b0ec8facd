import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, usingDaemon, type Daemon, type DaemonOptions } from '../support/daemonHarness';
import { copyWorkspace } from '../support/workspaceCopy';

const TIMEOUT = { timeout: 120_000 };
/** Folders of the fixture workspace, root included: each takes one inotify watch. */
const FOLDERS = 7;

/**
 * Starts the daemon in a user namespace whose inotify watch budget is `budget`: a real ENOSPC
 * from inotify_add_watch, without root and without touching the machine's own limit.
 */
const limited = (budget: number): DaemonOptions => ({
  launcher: ['unshare', '-U', '-r', 'sh', '-c', `echo ${budget} > /proc/sys/user/max_inotify_watches && exec "$0" "$@"`],
});

async function withDaemon(options: DaemonOptions, fn: (daemon: Daemon, workspace: string) => Promise<void>): Promise<void> {
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'local', watch: true, autoIndex: true }, {}, options);
  await usingDaemon(daemon, () => fn(daemon, workspace));
}

function assertUnshareWorks(): void {
  const [command, ...args] = limited(1).launcher!;
  const probe = spawnSync(command!, [...args, 'true'], { encoding: 'utf8' });
  assert.equal(probe.status, 0, `unshare -U -r must work to provoke a real inotify limit without root: ${probe.stderr}`);
}

/** Raises the watch budget of the daemon's user namespace, as a user raising the limit would. */
function raiseLimit(daemon: Daemon, budget: number): void {
  const raised = spawnSync('nsenter', ['-t', String(daemon.child.pid), '-U', 'sh', '-c', `echo ${budget} > /proc/sys/user/max_inotify_watches`], { encoding: 'utf8' });
  assert.equal(raised.status, 0, `nsenter must reach the daemon's user namespace to raise its limit: ${raised.stderr}`);
}

async function paths(daemon: Daemon, query: string): Promise<string[]> {
  const found = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query, k: 10 });
  return found.results.filter((r) => r.text.includes(query)).map((r) => r.path);
}

/** Waits, one index revision at a time, until `done` holds; a change may take more than one rescan. */
async function untilSearch(daemon: Daemon, done: () => Promise<boolean>): Promise<StatusReport> {
  let status = await daemon.statusWhere((s) => s.quiescent);
  while (!(await done())) {
    const revision = status.folders[0]!.revision;
    status = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.revision > revision);
  }
  return status;
}

test('a folder deleted or renamed while watching leaves search with everything it held', TIMEOUT, async () => {
  await withDaemon({}, async (daemon, workspace) => {
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 10);
    mkdirSync(join(workspace, 'lib/deep'), { recursive: true });
    writeFileSync(join(workspace, 'lib/a.ts'), 'export const wombatAlpha = 1;\n');
    writeFileSync(join(workspace, 'lib/deep/b.ts'), 'export const wombatBeta = 2;\n');
    await untilSearch(daemon, async () => (await paths(daemon, 'wombatBeta')).includes('lib/deep/b.ts'));

    renameSync(join(workspace, 'lib'), join(workspace, 'moved'));
    await untilSearch(daemon, async () => (await paths(daemon, 'wombatBeta')).join() === 'moved/deep/b.ts');
    assert.deepEqual(await paths(daemon, 'wombatAlpha'), ['moved/a.ts']);

    rmSync(join(workspace, 'moved'), { recursive: true });
    const status = await untilSearch(daemon, async () => (await paths(daemon, 'wombatAlpha')).length === 0);
    assert.deepEqual(await paths(daemon, 'wombatBeta'), []);
    assert.equal(status.folders[0]!.files, 10);
    assert.equal(status.folders[0]!.watching, undefined);
  });
});

test('past the inotify limit the daemon says so and finds edits, additions and deletions by rescanning', TIMEOUT, async () => {
  assertUnshareWorks();
  await withDaemon(limited(3), async (daemon, workspace) => {
    const ready = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 10 && s.folders[0]!.watching !== undefined);
    const sentence = ready.folders[0]!.watching!;
    assert.match(sentence, new RegExp(`^Watching ${workspace} hit the system limit of inotify watches \\(fs\\.inotify\\.max_user_watches\\); changes are found by rescanning every \\d+ s\\. Raise the limit and Ferret watches instantly again from its next rescan\\.$`));
    assert.equal(ready.health, 'warning');
    await daemon.logWhere(/hit the system limit of inotify watches/);

    appendFileSync(join(workspace, 'src/http/router.ts'), '\nexport function numbatEdit(): number {\n  return 1;\n}\n');
    mkdirSync(join(workspace, 'src/fresh'));
    writeFileSync(join(workspace, 'src/fresh/added.ts'), 'export const numbatAdded = 2;\n');
    unlinkSync(join(workspace, 'scripts/tokenize.rs'));
    const status = await untilSearch(daemon, async () => {
      const [edited, added, deleted] = await Promise.all([paths(daemon, 'numbatEdit'), paths(daemon, 'numbatAdded'), paths(daemon, 'tokenize')]);
      return edited.includes('src/http/router.ts') && added.includes('src/fresh/added.ts') && !deleted.includes('scripts/tokenize.rs');
    });
    assert.equal(status.folders[0]!.files, 10);
    assert.match(status.folders[0]!.watching ?? '', /hit the system limit of inotify watches/);
  });
});

test('a limit hit by a new folder while watching loses none of the files written into it', TIMEOUT, async () => {
  assertUnshareWorks();
  await withDaemon(limited(FOLDERS), async (daemon, workspace) => {
    const ready = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 10);
    assert.equal(ready.folders[0]!.watching, undefined, 'every folder of the workspace is watched');
    mkdirSync(join(workspace, 'src/extra'));
    writeFileSync(join(workspace, 'src/extra/late.ts'), 'export const quollLate = 1;\n');
    const status = await untilSearch(daemon, async () => (await paths(daemon, 'quollLate')).includes('src/extra/late.ts'));
    assert.match(status.folders[0]!.watching ?? '', /hit the system limit of inotify watches/);
    assert.equal(status.folders[0]!.files, 11);
  });
});

test('raising the inotify limit while rescanning brings instant watching back', TIMEOUT, async () => {
  assertUnshareWorks();
  await withDaemon(limited(3), async (daemon, workspace) => {
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 10 && s.folders[0]!.watching !== undefined);
    raiseLimit(daemon, 10_000);
    const watching = await daemon.statusWhere((s) => s.folders[0]!.watching === undefined);
    assert.notEqual(watching.health, 'warning');
    await daemon.logWhere(/Watching .* instantly again: the inotify limit was raised\./);
    // The switch syncs the folder once; a file that sync may catch is searchable only once it is over.
    writeFileSync(join(workspace, 'src/first.ts'), 'export const bilbyFirst = 1;\n');
    await untilSearch(daemon, async () => (await paths(daemon, 'bilbyFirst')).includes('src/first.ts'));
    // Rescanning has stopped: only the folders' watches can find a file in a folder made now.
    mkdirSync(join(workspace, 'src/later'));
    writeFileSync(join(workspace, 'src/later/after.ts'), 'export const bilbyAfter = 2;\n');
    const status = await untilSearch(daemon, async () => (await paths(daemon, 'bilbyAfter')).includes('src/later/after.ts'));
    assert.equal(status.folders[0]!.files, 12);
    assert.equal(status.folders[0]!.watching, undefined);
  });
});
