// `npm run bench:relevance`: does `ferret search` find the code a question is about, in four
// languages, better than plain BM25? Each corpus (relevance/corpora.mjs) becomes its own workspace;
// questions (relevance/questions.mjs) are doc-comment first sentences with the comments blanked
// out of the indexed copy, and identifier questions. Every result is scored at range level: a hit
// is a returned range overlapping the documented unit. Ferret runs through the CLI exactly as a
// user runs it; the BM25 baselines are computed in the same run over the same files.
//
// FERRET_RELEVANCE_LANGUAGES=python,go   only these corpora (also `history`: this repository's commits → files)
// FERRET_RELEVANCE_STRIP=questions       blank only the questioned doc comments, not every one
// FERRET_RELEVANCE_KEEP_INDEX=1          reuse the index of the last run (ranking experiments)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeSource } from '../../server/src/watch/contentSniffer.ts';
import { REPO_ROOT } from './corpus.mjs';
import { ablate } from './relevance/ablation.mjs';
import { BASELINES, windowBaseline } from './relevance/baselines.mjs';
import { commitCorpus } from './relevance/commitQuestions.mjs';
import { LANGUAGES, languageSources } from './relevance/corpora.mjs';
import { unitReader } from './relevance/docUnits.mjs';
import { drawQuestions } from './relevance/questions.mjs';
import { metricsOf, printReport, rankOf } from './relevance/scoring.mjs';

const ROOT = process.env.FERRET_RELEVANCE_DIR ?? '/tmp/ferret-relevance';
const ARTIFACT = join(REPO_ROOT, 'test', 'artifacts', 'relevance.json');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const DOC_QUESTIONS = Number(process.env.FERRET_RELEVANCE_QUERIES ?? 600);
const IDENTIFIER_QUESTIONS = 120;
const K = 10;
// Every doc comment is blanked by default: with only the questioned ones blanked, a neighbour's doc
// comment that paraphrases the question rewards any range wide enough to hold both.
const STRIP_ALL = process.env.FERRET_RELEVANCE_STRIP !== 'questions';
const languages = process.env.FERRET_RELEVANCE_LANGUAGES?.split(',') ?? [...LANGUAGES, 'history'];

const log = (text) => process.stderr.write(`${text}\n`);

function cli(workspace, index, args, input) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, ...args, '--workspace', workspace, '--index-dir', index, '--embedder', 'local'], {
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, LANCEDB_LOG: 'error' },
  });
  if (run.status !== 0) throw new Error(`ferret ${args[0]} exited with ${run.status}: ${run.stderr.trim()}`);
  return { stdout: run.stdout, ms: performance.now() - started };
}

/** The language's sources that the daemon would index (text, not minified), by corpus path. */
function readSources(language) {
  const texts = new Map();
  for (const file of languageSources(language)) {
    const decoded = decodeSource(readFileSync(file.source), file.path);
    if (!('skip' in decoded)) texts.set(file.path, decoded.text);
  }
  return texts;
}

/** A corpus's files (with the questioned doc comments blanked) and its questions. */
async function corpusFor(language) {
  if (language === 'history') return commitCorpus(REPO_ROOT);
  const texts = readSources(language);
  const questions = drawQuestions(texts, await unitReader(language), { docCount: DOC_QUESTIONS, identifierCount: IDENTIFIER_QUESTIONS, stripAll: STRIP_ALL });
  return { texts, questions };
}

function writeCorpus(texts, corpusDir) {
  rmSync(corpusDir, { recursive: true, force: true });
  for (const [path, text] of texts) {
    const target = join(corpusDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

const overlaps = (hit, target) => hit.path === target.path && hit.startLine <= target.endLine && hit.endLine >= target.startLine;
const distinct = (items) => [...new Set(items)];
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};

async function runLanguage(language) {
  const dir = join(ROOT, language);
  const corpusDir = join(dir, 'corpus');
  const indexDir = join(dir, 'index');
  log(`[${language}] reading sources …`);
  const { texts, questions } = await corpusFor(language);
  writeCorpus(texts, corpusDir);
  if (!process.env.FERRET_RELEVANCE_KEEP_INDEX) rmSync(indexDir, { recursive: true, force: true });
  log(`[${language}] ${texts.size} files, ${questions.length} questions; indexing with ferret …`);
  const indexed = cli(corpusDir, indexDir, ['index', '--json']);
  const summary = JSON.parse(indexed.stdout).summaries[0];
  const searched = cli(corpusDir, indexDir, ['search', '--stdin', '--json', '--k', String(K)], `${questions.map((q) => q.query).join('\n')}\n`);
  const lines = searched.stdout.trimEnd().split('\n');
  const stray = lines.filter((line) => !line.startsWith('{"query"'));
  if (stray.length) log(`[${language}] ${stray.length} stray stdout lines, first: ${stray[0].slice(0, 200)}`);
  const answers = lines.filter((line) => line.startsWith('{"query"')).map((line) => JSON.parse(line));
  if (answers.length !== questions.length) throw new Error(`Expected ${questions.length} answers, got ${answers.length}.`);

  log(`[${language}] BM25 baselines …`);
  const systems = { ferret: answers.map((answer) => answer.results) };
  for (const baseline of BASELINES) {
    const index = windowBaseline(texts, baseline.lines);
    systems[baseline.name] = questions.map((question) => index.search(question.query, K));
  }
  log(`[${language}] ablations …`);
  for (const [name, lists] of Object.entries(await ablate(indexDir, K, questions))) systems[`ferret, ${name}`] = lists;
  const ranks = Object.fromEntries(
    Object.entries(systems).map(([name, lists]) => [name, lists.map((hits, i) => rankOf(hits, (hit) => questions[i].targets.some((t) => overlaps(hit, t))))]),
  );
  // Whole files are a file-level baseline: they are compared with the files of Ferret's ranges.
  ranks['ferret-file'] = systems.ferret.map((hits, i) => rankOf(distinct(hits.map((hit) => hit.path)), (path) => questions[i].targets.some((t) => t.path === path)));
  const resultLines = Object.fromEntries(Object.entries(systems).map(([name, lists]) => [name, median(lists.flat().map((hit) => hit.endLine - hit.startLine + 1))]));
  writeFileSync(
    join(dir, 'results.jsonl'),
    questions
      .map((question, i) =>
        JSON.stringify({
          ...question,
          ranks: Object.fromEntries(Object.keys(ranks).map((name) => [name, ranks[name][i]])),
          ferret: systems.ferret[i].map((hit) => `${hit.path}:${hit.startLine}-${hit.endLine} ${hit.symbol}`),
          bm25: systems['bm25-60'][i].map((hit) => `${hit.path}:${hit.startLine}-${hit.endLine}`),
        }),
      )
      .join('\n') + '\n',
  );
  return {
    language,
    files: summary.files,
    chunks: summary.chunks,
    indexSeconds: indexed.ms / 1000,
    searchSeconds: searched.ms / 1000,
    questions: questions.map(({ kind, half }, i) => ({ kind, half, ranks: Object.fromEntries(Object.keys(ranks).map((name) => [name, ranks[name][i]])) })),
    resultLines,
  };
}

async function main() {
  const runs = [];
  for (const language of languages) runs.push(await runLanguage(language));
  const report = {
    date: new Date().toISOString(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim(),
    embedder: 'local',
    k: K,
    strip: STRIP_ALL ? 'every function doc comment' : 'the questioned doc comments',
    languages: Object.fromEntries(runs.map((run) => [run.language, { files: run.files, chunks: run.chunks, indexSeconds: run.indexSeconds, searchSeconds: run.searchSeconds, resultLines: run.resultLines, metrics: metricsOf(run.questions) }])),
    pooled: metricsOf(runs.flatMap((run) => run.questions)),
  };
  mkdirSync(dirname(ARTIFACT), { recursive: true });
  writeFileSync(ARTIFACT, JSON.stringify(report, null, 2));
  console.log(printReport(report));
  log(`Per-question detail in ${ROOT}/<language>/results.jsonl; figures in ${ARTIFACT}.`);
}

main().catch((error) => {
  console.error(`Relevance benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
