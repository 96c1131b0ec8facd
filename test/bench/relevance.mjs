// `npm run bench:relevance`: does `ferret search` find code from a description of it, and does it
// beat plain BM25? Documented functions of real library code (this project's node_modules) are
// picked deterministically across packages; their doc comments are blanked out of a copy of the
// corpus (line numbers kept), and each comment's first sentence becomes the query whose answer
// is the function. A sentence documenting the same function in several files (a .js and its
// .d.ts) is blanked everywhere and any of those places counts as the answer.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bm25Index } from './bm25.mjs';
import { buildCorpus, REPO_ROOT } from './corpus.mjs';
import { documentedFunctions, loadParsers } from './docTargets.mjs';
import { fixed, seededRandom, table } from './stats.mjs';

const ROOT = process.env.FERRET_RELEVANCE_DIR ?? '/tmp/ferret-relevance';
const CORPUS = join(ROOT, 'corpus');
const INDEX = join(ROOT, 'index');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const QUERY_COUNT = Number(process.env.FERRET_RELEVANCE_QUERIES ?? 400);
const K = 10;

const log = (text) => process.stderr.write(`${text}\n`);
const packageOf = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');

/** Sentences that describe exactly one function name, possibly in several files. */
function unambiguousGroups(documented) {
  const bySentence = new Map();
  for (const doc of documented) bySentence.set(doc.sentence, [...(bySentence.get(doc.sentence) ?? []), doc]);
  return [...bySentence.values()].filter((group) => new Set(group.map((doc) => doc.name)).size === 1);
}

/** Round-robin over packages (each shuffled with a fixed seed), so no one package dominates. */
function pickAcrossPackages(groups, count) {
  const random = seededRandom(2024);
  const byPackage = new Map();
  for (const group of [...groups].sort((a, b) => a[0].sentence.localeCompare(b[0].sentence))) {
    const name = packageOf(group[0].path);
    byPackage.set(name, [...(byPackage.get(name) ?? []), group]);
  }
  const queues = [...byPackage.keys()].sort().map((name) => {
    const queue = byPackage.get(name);
    for (let i = queue.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [queue[i], queue[j]] = [queue[j], queue[i]];
    }
    return queue;
  });
  const picked = [];
  while (picked.length < count && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) if (queue.length > 0 && picked.length < count) picked.push(queue.shift());
  }
  return picked;
}

/** Replaces the picked comments by as many empty lines, so every target keeps its line numbers. */
function blankComments(groups, texts) {
  const byFile = new Map();
  for (const doc of groups.flat()) byFile.set(doc.path, [...(byFile.get(doc.path) ?? []), doc.comment]);
  for (const [path, comments] of byFile) {
    let text = texts.get(path);
    for (const { start, end } of comments.sort((a, b) => b.start - a.start)) {
      text = text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, '') + text.slice(end);
    }
    texts.set(path, text);
    writeFileSync(join(CORPUS, path), text);
  }
}

function cli(args, input) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, ...args, '--workspace', CORPUS, '--index-dir', INDEX, '--embedder', 'local'], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, LANCEDB_LOG: 'error' },
  });
  if (run.status !== 0) throw new Error(`ferret ${args[0]} exited with ${run.status}: ${run.stderr.trim()}`);
  return { stdout: run.stdout, ms: performance.now() - started };
}

/** hit@1, hit@5, hit@10 and MRR@10 from 1-based ranks (0: not in the top 10). */
function metrics(ranks) {
  const share = (k) => ranks.filter((rank) => rank > 0 && rank <= k).length / ranks.length;
  const mrr = ranks.reduce((sum, rank) => sum + (rank > 0 ? 1 / rank : 0), 0) / ranks.length;
  return [share(1), share(5), share(10), mrr].map((value) => fixed(value, 3));
}

const rankOf = (list, matches) => list.findIndex(matches) + 1;
const distinct = (items) => [...new Set(items)];

async function main() {
  log(`Copying the corpus to ${CORPUS} …`);
  // Ranking experiments keep the index: the corpus is rebuilt identically, so the pass only re-hashes.
  if (!process.env.FERRET_RELEVANCE_KEEP_INDEX) rmSync(INDEX, { recursive: true, force: true });
  const corpus = buildCorpus(CORPUS);
  const texts = new Map(corpus.files.map((file) => [file.path, readFileSync(join(CORPUS, file.path), 'utf8')]));

  log('Finding documented functions …');
  const parsers = await loadParsers();
  const documented = corpus.files.flatMap((file) =>
    documentedFunctions(parsers, file.path, texts.get(file.path))
      .filter((doc) => texts.get(file.path).slice(doc.comment.start, doc.comment.end).startsWith('/**'))
      .map((doc) => ({ ...doc, path: file.path })),
  );
  const groups = pickAcrossPackages(unambiguousGroups(documented), QUERY_COUNT);
  blankComments(groups, texts);
  const queries = groups.map((group) => group[0].sentence);
  const packages = new Set(groups.map((group) => packageOf(group[0].path)));
  log(`${queries.length} queries from ${packages.size} packages. Indexing with ferret …`);

  const indexed = cli(['index', '--json']);
  const summary = JSON.parse(indexed.stdout).summaries[0];
  const searched = cli(['search', '--stdin', '--json', '--k', String(K)], `${queries.join('\n')}\n`);
  const answers = searched.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
  if (answers.length !== queries.length) throw new Error(`Expected ${queries.length} answers, got ${answers.length}.`);

  log('BM25 baseline …');
  const bm25 = new Bm25Index([...texts].map(([id, text]) => ({ id, text })));

  const ferretFile = [];
  const ferretRange = [];
  const bm25File = [];
  const details = groups.map((targets, i) => {
    const files = new Set(targets.map((target) => target.path));
    const hits = answers[i].results;
    const bm25Files = bm25.search(queries[i], K);
    ferretFile.push(rankOf(distinct(hits.map((hit) => hit.path)), (path) => files.has(path)));
    ferretRange.push(
      rankOf(hits, (hit) => targets.some((t) => t.path === hit.path && hit.startLine <= t.endLine && hit.endLine >= t.startLine)),
    );
    bm25File.push(rankOf(bm25Files, (path) => files.has(path)));
    return {
      query: queries[i],
      targets: targets.map(({ path, startLine, endLine, name }) => ({ path, startLine, endLine, name })),
      ranks: { ferretFile: ferretFile[i], ferretRange: ferretRange[i], bm25File: bm25File[i] },
      ferret: hits.map((hit) => `${hit.path}:${hit.startLine}-${hit.endLine}`),
      bm25: bm25Files,
    };
  });
  // Per-query detail, to study misses.
  writeFileSync(join(ROOT, 'results.jsonl'), details.map((detail) => JSON.stringify(detail)).join('\n') + '\n');

  const header = ['', 'hit@1', 'hit@5', 'hit@10', 'MRR'];
  const rows = [
    ['ferret search, file', ...metrics(ferretFile)],
    ['ferret search, range', ...metrics(ferretRange)],
    ['BM25 whole files, file', ...metrics(bm25File)],
  ];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => row[c].length)));
  const format = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  console.log(
    table('Ferret relevance (embedder: local, k = 10)', [
      ['corpus', `${summary.files} files, ${summary.chunks} chunks (${corpus.files.length} copied)`],
      ['queries', `${queries.length} doc-comment first sentences from ${packages.size} packages`],
      ['ferret index', `${fixed(indexed.ms / 1000)} s`],
      ['ferret search --stdin', `${fixed(searched.ms / 1000)} s for ${queries.length} queries (incl. daemon start)`],
      ['per-query detail', join(ROOT, 'results.jsonl')],
    ]),
  );
  console.log(['', format(header), ...rows.map(format)].join('\n'));
}

main().catch((error) => {
  console.error(`Relevance benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
