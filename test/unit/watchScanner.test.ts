import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, test } from 'node:test';
import type { SkipReason } from '../../server/src/shared/protocol';
import { scanFolder, type ScanResult } from '../../server/src/watch/folderScanner';
import { IgnoreRules } from '../../server/src/watch/ignoreRules';
import { makeTree, removeTree, type Tree } from './watchFixture';

const roots: string[] = [];
after(() => Promise.all(roots.map(removeTree)));

async function tree(files: Tree): Promise<string> {
  const root = await makeTree(files);
  roots.push(root);
  return root;
}

async function scan(root: string, maxFileSize = 1 << 20): Promise<ScanResult> {
  return scanFolder(root, await IgnoreRules.load(root, { exclude: [] }), { maxFileSize });
}

function skippedMap(result: ScanResult): Map<string, SkipReason> {
  return new Map(result.skipped.map(({ path, reason }) => [path, reason]));
}

const sorted = (paths: Iterable<string>): string[] => [...paths].sort();

test('scanFolder: lists sources, prunes ignored folders, records skipped files with their reason', async () => {
  const root = await tree({
    'src/a.ts': 'export const a = 1;\n',
    'src/lib/b.ts': 'export const b = 2;\n',
    'README.md': '# hi\n',
    '.gitignore': 'debug.log\ntmp/\n',
    'debug.log': 'log\n',
    'tmp/x.ts': 'x\n',
    'node_modules/pkg/index.js': 'module.exports = 1;\n',
    'sub/node_modules/pkg/index.js': 'module.exports = 1;\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'dist/out.js': 'out\n',
    'package-lock.json': '{}\n',
    '.env': 'TOKEN=1\n',
    '.env.example': 'TOKEN=\n',
    'keys/server.pem': '-----BEGIN-----\n',
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    'app.min.js': 'x\n',
    'big.txt': 'b'.repeat(2000),
  });
  const result = await scan(root, 1000);
  assert.deepEqual(sorted(result.files.keys()), ['.gitignore', 'README.md', 'src/a.ts', 'src/lib/b.ts']);
  assert.deepEqual(result.files.get('src/a.ts')?.size, 20);
  assert.ok((result.files.get('src/a.ts')?.mtimeMs ?? 0) > 0);
  assert.deepEqual(
    new Map([...skippedMap(result)].sort()),
    new Map<string, SkipReason>([
      ['.env', 'secret'], ['.env.example', 'secret'], ['app.min.js', 'minified'], ['big.txt', 'too-large'],
      ['debug.log', 'ignored'], ['keys/server.pem', 'secret'], ['logo.png', 'binary'], ['package-lock.json', 'lockfile'],
    ]),
  );
});

test('scanFolder: names with spaces, quotes, backslashes, a newline, unicode and emoji keep their exact spelling', async () => {
  const names = ['with space.ts', `quo'te"s.ts`, 'back\\slash.ts', 'new\nline.ts', 'ünïcödé/código.ts', '🦀 crab/emoji 🎉.ts',
    '#hash.ts', '!bang.ts', '[brackets].ts', ' leading.ts', 'trailing .ts'];
  const root = await tree(Object.fromEntries(names.map((name) => [name, 'x\n'])));
  const result = await scan(root);
  assert.deepEqual(sorted(result.files.keys()), sorted(names));
  assert.deepEqual(result.skipped, []);
});

test('scanFolder: symlink loops terminate and content is listed once, under its real path', { timeout: 10_000 }, async () => {
  const root = await tree({ 'a/x.ts': 'x\n', 'b/y.ts': 'y\n' });
  await symlink('..', join(root, 'a', 'loop'));
  await symlink('self', join(root, 'self'));
  await symlink('../a', join(root, 'b', 'to-a'));
  await symlink('a', join(root, 'alias'));
  await symlink('b/y.ts', join(root, 'y-link.ts'));
  await symlink('missing.ts', join(root, 'dangling.ts'));
  const result = await scan(root);
  assert.deepEqual(sorted(result.files.keys()), ['a/x.ts', 'b/y.ts']);
  assert.deepEqual(result.skipped, [{ path: 'self', reason: 'unreadable' }]);
});

test('scanFolder: a link to outside the workspace is recorded and not followed; links cannot smuggle in ignored files', async () => {
  const outside = await tree({ 'secret-project/code.ts': 'x\n', 'file.ts': 'y\n' });
  const root = await tree({ 'src/a.ts': 'a\n', 'node_modules/pkg/index.js': 'n\n', 'config/.env': 'T=1\n', 'docs/guide.ts': 'g\n' });
  await symlink(join(outside, 'secret-project'), join(root, 'ext'));
  await symlink(join(outside, 'file.ts'), join(root, 'src', 'ext-file.ts'));
  await symlink('node_modules/pkg/index.js', join(root, 'lib.js'));
  await symlink('config/.env', join(root, 'settings.ts'));
  await symlink('docs/guide.ts', join(root, '.env.link'));
  const result = await scan(root);
  assert.deepEqual(sorted(result.files.keys()), ['docs/guide.ts', 'src/a.ts']);
  assert.deepEqual(
    new Map([...skippedMap(result)].sort()),
    new Map<string, SkipReason>([
      ['.env.link', 'secret'], ['config/.env', 'secret'], ['ext', 'outside-workspace'], ['lib.js', 'ignored'],
      ['src/ext-file.ts', 'outside-workspace'],
    ]),
  );
});

test('scanFolder: a link into a folder the walk cannot reach by its real path is walked under the link', async () => {
  const root = await tree({ 'private/inner/code.ts': 'x\n', 'ok.ts': 'o\n' });
  await symlink('private/inner', join(root, 'shared'));
  await chmod(join(root, 'private'), 0o311); // enter but not list
  try {
    const result = await asUnprivileged(root);
    assert.deepEqual(result.files, ['ok.ts', 'shared/code.ts']);
    assert.deepEqual(result.skipped, [{ path: 'private', reason: 'unreadable' }]);
  } finally {
    await chmod(join(root, 'private'), 0o755);
  }
});

test('scanFolder: unreadable files and folders are recorded and the scan goes on', async (t) => {
  const root = await tree({ 'ok.ts': 'o\n', 'locked.ts': 'l\n', 'closed/inner.ts': 'i\n', 'open/fine.ts': 'f\n' });
  await chmod(join(root, 'locked.ts'), 0o000);
  await chmod(join(root, 'closed'), 0o000);
  try {
    const unprivileged = await asUnprivileged(root);
    assert.deepEqual(unprivileged.files, ['ok.ts', 'open/fine.ts']);
    assert.deepEqual(
      sorted(unprivileged.skipped.map(({ path, reason }) => `${path}:${reason}`)),
      ['closed:unreadable', 'locked.ts:unreadable'],
    );
    if (process.getuid?.() === 0) {
      // Root reads through mode 000, so in this process the same files are simply readable.
      t.diagnostic('running as root: modes do not stop this process; checked above as uid 65534');
      const privileged = await scan(root);
      assert.deepEqual(sorted(privileged.files.keys()), ['closed/inner.ts', 'locked.ts', 'ok.ts', 'open/fine.ts']);
    }
  } finally {
    await chmod(join(root, 'closed'), 0o755);
  }
});

test('scanFolder: FIFOs are passed over without blocking', async (t) => {
  const root = await tree({ 'a.ts': 'a\n' });
  const made = spawnSync('mkfifo', [join(root, 'pipe.ts')]);
  if (made.status !== 0) return t.skip(`mkfifo unavailable: ${String(made.stderr)}`);
  const result = await scan(root);
  assert.deepEqual(sorted(result.files.keys()), ['a.ts']);
});

test('scanFolder: an abort signal stops the scan; a missing root is an error', async () => {
  const root = await tree({ 'a/b.ts': 'b\n' });
  const rules = await IgnoreRules.load(root, { exclude: [] });
  await assert.rejects(scanFolder(root, rules, { maxFileSize: 1000, signal: AbortSignal.abort() }), { name: 'AbortError' });
  await assert.rejects(scanFolder(join(root, 'nope'), rules, { maxFileSize: 1000 }), { code: 'ENOENT' });
});

test('scanFolder: 5,000 files in well under a second', async (t) => {
  const files: Tree = {};
  for (let dir = 0; dir < 50; dir++) {
    for (let file = 0; file < 100; file++) files[`pkg${dir % 5}/mod${dir}/file${file}.ts`] = `export const v = ${file};\n`;
  }
  files['.gitignore'] = '*.gen.ts\n!keep.gen.ts\n';
  const root = await tree(files);
  // Best of three, so that a moment of load from other tests does not fail the bound.
  let best = Infinity;
  let result: ScanResult | undefined;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    result = await scanFolder(root, await IgnoreRules.load(root, { exclude: ['**/fixtures/'] }), { maxFileSize: 1 << 20 });
    best = Math.min(best, performance.now() - started);
  }
  t.diagnostic(`scanned ${result?.files.size} files in ${best.toFixed(0)} ms (best of 3)`);
  assert.equal(result?.files.size, 5001);
  assert.ok(best < 1000, `took ${best} ms`);
});

const SCAN_CHILD = `
const { scanFolder } = require(${JSON.stringify(resolve('server/src/watch/folderScanner.ts'))});
const { IgnoreRules } = require(${JSON.stringify(resolve('server/src/watch/ignoreRules.ts'))});
const root = process.env.FERRET_SCAN_ROOT;
IgnoreRules.load(root, { exclude: [] })
  .then((rules) => scanFolder(root, rules, { maxFileSize: 1 << 20 }))
  .then((result) => process.stdout.write(JSON.stringify({ files: [...result.files.keys()].sort(), skipped: result.skipped })));
`;

/** Scans as an unprivileged user: as root, file modes do not stop reads, so a child drops to uid 65534. */
async function asUnprivileged(root: string): Promise<{ files: string[]; skipped: ScanResult['skipped'] }> {
  if (process.getuid?.() !== 0) {
    const result = await scan(root);
    return { files: sorted(result.files.keys()), skipped: result.skipped };
  }
  await chmod(root, 0o755); // mkdtemp makes it 0700
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', SCAN_CHILD], {
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
    env: { ...process.env, FERRET_SCAN_ROOT: root },
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { files: string[]; skipped: ScanResult['skipped'] };
}

test('scanFolder: a subfolder removed before the walk reaches it is not reported', async () => {
  const root = await tree({ 'a.ts': 'a\n' });
  await mkdir(join(root, 'gone'));
  await writeFile(join(root, 'gone', 'x.ts'), 'x\n');
  const rules = await IgnoreRules.load(root, { exclude: [] });
  const probe = rules.check.bind(rules);
  // The walk asks the rules about each folder just before reading it: remove it at that moment.
  rules.check = (relPath, isDirectory) => {
    if (relPath === 'gone') rmSync(join(root, 'gone'), { recursive: true });
    return probe(relPath, isDirectory);
  };
  const result = await scanFolder(root, rules, { maxFileSize: 1000 });
  assert.deepEqual(sorted(result.files.keys()), ['a.ts']);
  assert.deepEqual(result.skipped, []);
});
