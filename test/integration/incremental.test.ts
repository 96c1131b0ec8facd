import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createChunker, type Chunker } from '../../server/src/chunk/chunker';
import { resolveSettings } from '../../server/src/config/settings';
import type { Embedder } from '../../server/src/embed/embedder';
import { LocalEmbedder } from '../../server/src/embed/localEmbedder';
import { FolderIndex } from '../../server/src/index/folderIndex';
import type { Logger } from '../../server/src/log';
import { rankingWeights } from '../../server/src/retrieve/rankingWeights';
import { rankAcrossFolders } from '../../server/src/retrieve/search';
import { readIndexRows } from '../support/indexContents';
import { copyWorkspace } from '../support/workspaceCopy';

/** Counts what reaches the embedder, the expensive step incremental indexing must avoid. */
class CountingEmbedder implements Embedder {
  texts = 0;
  private readonly inner: Embedder;
  constructor(inner: Embedder = new LocalEmbedder()) {
    this.inner = inner;
  }
  get id() {
    return this.inner.id;
  }
  get dimensions() {
    return this.inner.dimensions;
  }
  ready() {
    return this.inner.ready();
  }
  embed(texts: string[], signal?: AbortSignal) {
    this.texts += texts.length;
    return this.inner.embed(texts, signal);
  }
}

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function openFolder(workspace: string, indexDir: string, embedder: Embedder, chunker: Chunker): Promise<FolderIndex> {
  const settings = resolveSettings({ indexDir, watch: false }, () => undefined);
  return FolderIndex.open(workspace, join(indexDir, 'folder'), { chunker, embedder, settings, log: quiet, onChange: () => undefined });
}

async function search(index: FolderIndex, query: string) {
  const request = { query, k: 5, paths: [], languages: [] };
  const weights = rankingWeights('local');
  const { candidates } = await index.search(request, undefined, weights);
  return candidates ? rankAcrossFolders([{ folder: index.folder, candidates }], request, weights) : [];
}

test('edits, additions, deletions, renames and restarts touch only what changed', async () => {
  const { workspace, indexDir } = copyWorkspace();
  const chunker = await createChunker();
  const embedder = new CountingEmbedder();
  let index = await openFolder(workspace, indexDir, embedder, chunker);

  const cold = await index.sync();
  assert.equal(cold.indexedFiles, 10);
  assert.equal(embedder.texts, cold.embeddedChunks);
  assert.ok(cold.embeddedChunks >= cold.chunks - 1, 'a cold build embeds each distinct chunk once');
  await index.close();

  embedder.texts = 0;
  index = await openFolder(workspace, indexDir, embedder, chunker);
  const restart = await index.sync();
  assert.deepEqual([restart.indexedFiles, restart.removedFiles, restart.embeddedChunks, embedder.texts], [0, 0, 0, 0], 'a restart with no change re-embeds nothing');

  const passwords = join(workspace, 'src/auth/passwords.ts');
  writeFileSync(passwords, readFileSync(passwords, 'utf8').replace('if (!salt || !digest) return false;', 'if (!salt || !digest) {\n    return false;\n  }'));
  const edit = await index.sync();
  assert.equal(edit.indexedFiles, 1);
  assert.equal(embedder.texts, edit.embeddedChunks);
  assert.ok(edit.embeddedChunks >= 1 && edit.reusedChunks >= 1, `only the edited chunk is embedded again (${edit.embeddedChunks} embedded, ${edit.reusedChunks} reused)`);

  writeFileSync(join(workspace, 'src/auth/tokens.ts'), 'export function signJsonWebToken(payload: object): string {\n  return JSON.stringify(payload);\n}\n');
  embedder.texts = 0;
  const add = await index.sync();
  assert.equal(add.indexedFiles, 1);
  assert.equal(embedder.texts, add.embeddedChunks);
  assert.equal((await search(index, 'signJsonWebToken'))[0]?.chunk.path, 'src/auth/tokens.ts');

  renameSync(join(workspace, 'src/auth/tokens.ts'), join(workspace, 'src/auth/jwt.ts'));
  const rename = await index.sync();
  assert.deepEqual([rename.indexedFiles, rename.removedFiles], [1, 1]);
  const paths = (await search(index, 'signJsonWebToken')).map((h) => h.chunk.path);
  assert.equal(paths[0], 'src/auth/jwt.ts');
  assert.ok(!paths.includes('src/auth/tokens.ts'), 'no stale rows under the old name');

  rmSync(join(workspace, 'cache/lru.go'));
  const removal = await index.sync();
  assert.equal(removal.removedFiles, 1);
  assert.equal(removal.files, 10);
  assert.ok(!(await search(index, 'evict least recently used')).some((h) => h.chunk.path === 'cache/lru.go'));

  utimesSync(join(workspace, 'config.yaml'), new Date(), new Date(Date.now() + 5_000));
  const touched = await index.sync();
  assert.equal(touched.embeddedChunks, 0, 'a touched but unchanged file is not re-embedded');
  await index.close();

  const rows = await readIndexRows(indexDir);
  assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no duplicate rows');
  assert.deepEqual(new Set(rows.map((r) => r.path)).size, 10);
  chunker.dispose();
});

test('a full reindex rebuilds from nothing and lands on the same rows', async () => {
  const { workspace, indexDir } = copyWorkspace();
  const chunker = await createChunker();
  const embedder = new CountingEmbedder();
  const index = await openFolder(workspace, indexDir, embedder, chunker);
  await index.sync();
  const before = await readIndexRows(indexDir);
  embedder.texts = 0;
  const full = await index.sync({ full: true });
  assert.equal(full.indexedFiles, 10);
  assert.ok(embedder.texts > 0);
  await index.close();
  assert.deepEqual(await readIndexRows(indexDir), before);
  chunker.dispose();
});

test('file names with quotes, spaces, backslashes, newlines and emoji index, update and delete cleanly', async () => {
  const { workspace, indexDir } = copyWorkspace();
  const names = [`src/it's "odd" ü 🦀.ts`, 'docs/with space/back\\slash.py', 'new\nline.rb', '100%_done.go'];
  const words = ['quokka', 'narwhal', 'axolotl', 'pangolin'];
  const sources = [
    'export function quokka(): number {\n  return 1;\n}\n',
    'def narwhal():\n    return 2\n',
    'def axolotl\n  3\nend\n',
    'package odd\n\nfunc pangolin() int {\n\treturn 4\n}\n',
  ];
  names.forEach((name, i) => {
    mkdirSync(join(workspace, dirname(name)), { recursive: true });
    writeFileSync(join(workspace, name), sources[i]!);
  });
  const chunker = await createChunker();
  const index = await openFolder(workspace, indexDir, new CountingEmbedder(), chunker);
  await index.sync();
  for (const [i, name] of names.entries()) {
    assert.equal((await search(index, words[i]!))[0]?.chunk.path, name);
  }
  writeFileSync(join(workspace, names[0]!), 'export function wombat(): number {\n  return 5;\n}\n');
  rmSync(join(workspace, names[1]!));
  renameSync(join(workspace, names[2]!), join(workspace, 'renamed\nline.rb'));
  const pass = await index.sync();
  assert.deepEqual([pass.indexedFiles, pass.removedFiles], [2, 2]);
  await index.close();
  const rows = await readIndexRows(indexDir);
  const paths = new Set(rows.map((r) => r.path));
  assert.ok(paths.has(names[0]!) && paths.has('renamed\nline.rb') && paths.has(names[3]!));
  assert.ok(!paths.has(names[1]!) && !paths.has(names[2]!), 'no rows left under removed or renamed names');
  assert.equal(rows.filter((r) => r.path === names[0]).length, 1, 'the edited file has only its new chunk');
  chunker.dispose();
});

test('an index of another schema or a corrupt one is rebuilt deliberately and said so once', async () => {
  const { workspace, indexDir } = copyWorkspace();
  const chunker = await createChunker();
  const embedder = new CountingEmbedder();
  const first = await openFolder(workspace, indexDir, embedder, chunker);
  await first.sync();
  await first.close();
  const meta = join(indexDir, 'folder', 'meta.json');
  for (const [damage, reason] of [
    [() => writeFileSync(meta, JSON.stringify({ ...JSON.parse(readFileSync(meta, 'utf8')), schemaVersion: 0 })), /written with index schema 0/],
    [() => writeFileSync(meta, '{"schemaVersion": 1, "gener'), /meta\.json could not be read/],
  ] as const) {
    damage();
    const warnings: string[] = [];
    const log: Logger = { ...quiet, warn: (m) => warnings.push(m) };
    const settings = resolveSettings({ indexDir, watch: false }, () => undefined);
    const index = await FolderIndex.open(workspace, join(indexDir, 'folder'), { chunker, embedder, settings, log, onChange: () => undefined });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, reason);
    const rebuilt = await index.sync();
    assert.equal(rebuilt.indexedFiles, 10, 'every file is indexed again');
    assert.equal((await search(index, 'hashPassword'))[0]?.chunk.path, 'src/auth/passwords.ts');
    await index.close();
    assert.equal((await readIndexRows(indexDir)).length, rebuilt.chunks);
  }
  chunker.dispose();
});
