// How well do Ferret's definitions (server/src/symbols) agree with universal-ctags, an independent
// tagger, on the four corpora of the relevance bench? Run with
//   node --import tsx test/bench/symbolsAgreement.mjs [--files 300] [--seed 13] [--show 12] [--languages python,go]
// Corpora are /tmp/ferret-relevance/<language>/corpus when a relevance run left them there (doc
// comments blanked, lines kept), else the bench's sources (relevance/corpora.mjs). A seeded sample
// of files per corpus (ctags reads the same list with -L, not the whole tree with -R) keeps the
// run to a minute or two.
//
// A definition is the triple (path, name, start line). Recall: share of ctags's tags of the kinds
// below that Ferret defines too. Precision: share of Ferret's definitions (constants aside, which
// ctags reads differently per language) that ctags tags, under any kind, since the two classify
// differently (`const f = () => …` is a function to Ferret, a constant to ctags' TypeScript
// parser). For JavaScript and TypeScript, where ctags errs most, the TypeScript compiler judges
// each disagreement (symbols/tscJudge.mjs) and judged figures are given too. Also reported:
// container agreement on matched pairs, constants, and extraction cost.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { locateGrammar } from '../../server/src/chunk/grammarLocator.ts';
import { languageOf, SYNTAX_RULES } from '../../server/src/chunk/languages.ts';
import { TreeParser } from '../../server/src/chunk/treeParser.ts';
import { extractSymbols } from '../../server/src/symbols/extractor.ts';
import { languageSources } from './relevance/corpora.mjs';
import { sample, seededRandom } from './stats.mjs';
import { compilerDefinitions } from './symbols/tscJudge.mjs';

/** The ctags kinds compared, per ctags language: functions, methods, classes, types and their kin. */
const CTAGS_KINDS = {
  Python: ['class', 'function', 'member'],
  Go: ['func', 'struct', 'interface', 'type', 'talias', 'methodSpec'],
  // An `implementation` (impl block) names a type that is defined elsewhere; it defines nothing.
  Rust: ['function', 'method', 'struct', 'enum', 'interface', 'typedef', 'module', 'macro'],
  TypeScript: ['function', 'class', 'interface', 'enum', 'method', 'namespace', 'alias', 'generator'],
  JavaScript: ['function', 'class', 'method', 'generator', 'getter', 'setter'],
};
const CTAGS_LANGUAGE = { python: 'Python', go: 'Go', rust: 'Rust', typescript: 'TypeScript', javascript: 'JavaScript' };
/** Names ctags makes up for anonymous things. */
const ANONYMOUS = /^(__anon|Anonymous(Function|Class))/;
const CORPORA = ['python', 'go', 'rust', 'typescript'];
const CORPUS_ROOT = process.env.FERRET_RELEVANCE_DIR ?? '/tmp/ferret-relevance';
const MAX_FILE_BYTES = 1024 * 1024;
const PARSE_TIMEOUT_MS = 5000;
const PASSES = 3;

const args = parseArgs(process.argv.slice(2));
const log = (text) => process.stdout.write(`${text}\n`);

function parseArgs(argv) {
  const options = { files: 300, seed: 13, show: 12, languages: CORPORA };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--files') options.files = Number(value);
    else if (flag === '--seed') options.seed = Number(value);
    else if (flag === '--show') options.show = Number(value);
    else if (flag === '--languages') options.languages = value.split(',');
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

/** `{ file, path }` of a corpus: `file` on disk, `path` relative to the corpus. */
function corpusFiles(corpus) {
  const root = join(CORPUS_ROOT, corpus, 'corpus');
  if (!existsSync(root)) return languageSources(corpus).map(({ source, path }) => ({ file: source, path }));
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && CTAGS_LANGUAGE[languageOf(entry.name)] && statSync(file).size <= MAX_FILE_BYTES) found.push({ file, path: relative(root, file) });
    }
  };
  walk(root);
  return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** ctags's tags of the files, by path. */
function ctagsOf(files) {
  const dir = mkdtempSync(join(tmpdir(), 'ferret-ctags-'));
  try {
    const list = join(dir, 'files');
    writeFileSync(list, files.map((f) => f.file).join('\n'));
    const out = execFileSync(
      'ctags',
      ['--output-format=json', '--fields=+neKZ', '--map-TypeScript=+.cts', '--map-TypeScript=+.mts', '--map-JavaScript=+.cjs', '-L', list, '-o', '-'],
      { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
    );
    const pathOf = new Map(files.map((f) => [f.file, f.path]));
    const tags = [];
    for (const line of out.split('\n')) {
      if (!line) continue;
      const tag = JSON.parse(line);
      if (tag._type === 'tag' && !ANONYMOUS.test(tag.name)) tags.push({ ...tag, path: pathOf.get(tag.path) });
    }
    return tags;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Ferret's definitions of the files, and what extracting them cost. Of three passes the fastest
 * counts (parse and extraction apart): the first pays for loading grammars, compiling queries and
 * the JIT's warm-up, and on a shared machine the fastest is the least disturbed.
 */
async function ferretOf(files, parser) {
  const inputs = files.map(({ file, path }) => ({ path, language: languageOf(path), text: readFileSync(file, 'utf8') }));
  const definitions = [];
  const cost = { parseMs: Infinity, extractMs: Infinity, bytes: 0, files: 0, failures: 0, references: 0 };
  for (let pass = 0; pass < PASSES; pass++) {
    let [parseMs, extractMs] = [0, 0];
    for (const { path, language, text } of inputs) {
      let started = performance.now();
      const outcome = await parser.parse(SYNTAX_RULES[language].grammar, text, PARSE_TIMEOUT_MS);
      parseMs += performance.now() - started;
      if ('failure' in outcome) {
        if (pass === 0) cost.failures++;
        continue;
      }
      started = performance.now();
      const symbols = extractSymbols(outcome.tree, language, text.split('\n').length);
      extractMs += performance.now() - started;
      outcome.tree.delete();
      if (pass > 0) continue;
      cost.bytes += Buffer.byteLength(text);
      cost.files++;
      cost.references += symbols.references.length;
      for (const definition of symbols.definitions) definitions.push({ ...definition, path });
    }
    cost.parseMs = Math.min(cost.parseMs, parseMs);
    cost.extractMs = Math.min(cost.extractMs, extractMs);
  }
  return { definitions, cost };
}

const keyOf = (path, name, line) => `${path}\0${name}\0${line}`;
const percent = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a');

function sourceLine(files, path, line) {
  const file = files.find((f) => f.path === path)?.file;
  return file ? (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '').trim().slice(0, 90) : '';
}

/**
 * For JavaScript and TypeScript, the TypeScript compiler's verdict on each disagreement: ctags-only
 * tags it sees no definition for, and Ferret-only definitions it confirms, are ctags's errors.
 */
function judgeOf(ctagsLanguage, files) {
  if (ctagsLanguage !== 'TypeScript' && ctagsLanguage !== 'JavaScript') return null;
  const cache = new Map();
  return (path, name, line) => {
    if (!cache.has(path)) cache.set(path, compilerDefinitions(path, readFileSync(files.find((f) => f.path === path).file, 'utf8')));
    return cache.get(path).has(`${name}\0${line}`);
  };
}

/** Recall, precision and samples of disagreement for one ctags language of a corpus. */
function compare(label, ctagsLanguage, tags, definitions, files) {
  const kinds = new Set(CTAGS_KINDS[ctagsLanguage]);
  const anyTag = new Map(tags.map((tag) => [keyOf(tag.path, tag.name, tag.line), tag]));
  const ferret = new Map(definitions.map((d) => [keyOf(d.path, d.name, d.startLine), d]));
  const wanted = tags.filter((tag) => kinds.has(tag.kind));
  const found = wanted.filter((tag) => ferret.has(keyOf(tag.path, tag.name, tag.line)));
  const missed = wanted.filter((tag) => !ferret.has(keyOf(tag.path, tag.name, tag.line)));
  const ours = definitions.filter((d) => d.kind !== 'constant');
  const extra = ours.filter((d) => !anyTag.has(keyOf(d.path, d.name, d.startLine)));
  const containerOf = (tag) => ferret.get(keyOf(tag.path, tag.name, tag.line)).container;
  const otherContainer = found.filter((tag) => lastSegment(containerOf(tag)) !== lastSegment(scopeOf(tag)));
  const sameContainer = found.length - otherContainer.length;
  const ourConstants = definitions.filter((d) => d.kind === 'constant');
  log(`\n## ${label} (${ctagsLanguage}, ${new Set(definitions.map((d) => d.path)).size} files with definitions)`);
  log(`recall    ${percent(found.length, wanted.length)}  (${found.length}/${wanted.length} ctags tags of kinds ${[...kinds].join(', ')})`);
  log(`precision ${percent(ours.length - extra.length, ours.length)}  (${ours.length - extra.length}/${ours.length} Ferret definitions, constants aside)`);
  log(`container ${percent(sameContainer, found.length)} of matched definitions have ctags's scope (last segment)`);
  // No recall for constants: what ctags tags as a top-level constant is, as often as not, a local
  // whose function it lost track of.
  const taggedConstants = ourConstants.filter((d) => anyTag.has(keyOf(d.path, d.name, d.startLine))).length;
  log(`constants ${percent(taggedConstants, ourConstants.length)} of Ferret's ${ourConstants.length} tagged by ctags`);
  const asRow = (tag) => ({ path: tag.path, line: tag.line, kind: tag.kind, name: tag.name });
  const ourRow = (d) => ({ path: d.path, line: d.startLine, kind: d.kind, name: d.name, shown: d.container ? `${d.container}.${d.name}` : d.name });
  const show = (title, rows) => {
    log(`${title} (${rows.length}):`);
    for (const row of sample(rows, args.show, seededRandom(args.seed))) log(`  ${row.path}:${row.line} ${row.kind} ${row.shown ?? row.name}  | ${sourceLine(files, row.path, row.line)}`);
  };
  show('containers that differ', otherContainer.map((tag) => ({ ...asRow(tag), shown: `${tag.name} in Ferret's ${containerOf(tag) || "''"}, ctags's ${tag.scope ?? "''"}` })));
  const judge = judgeOf(ctagsLanguage, files);
  const result = { recall: found.length / wanted.length, precision: (ours.length - extra.length) / ours.length };
  if (!judge) {
    show('ctags only', missed.map(asRow));
    show('Ferret only', extra.map(ourRow));
    return result;
  }
  const confirmed = (row) => judge(row.path, row.name, row.line);
  const [missedReal, missedWrong] = split(missed.map(asRow), confirmed);
  const [extraReal, extraWrong] = split(extra.map(ourRow), confirmed);
  const judged = { recall: found.length / (wanted.length - missedWrong.length), precision: (ours.length - extraWrong.length) / ours.length };
  log(`judged by the TypeScript compiler: recall ${percent(judged.recall, 1)}, precision ${percent(judged.precision, 1)}` +
    ` (${missedWrong.length} ctags-only tags are no definition, ${extraReal.length} Ferret-only definitions are real)`);
  show('ctags only, and the compiler agrees', missedReal);
  show('ctags only, and the compiler sees no definition', missedWrong);
  show('Ferret only, and the compiler agrees', extraReal);
  show('Ferret only, and the compiler sees no definition', extraWrong);
  return { ...result, judged };
}

function split(rows, test) {
  const yes = [];
  const no = [];
  for (const row of rows) (test(row) ? yes : no).push(row);
  return [yes, no];
}

function scopeOf(tag) {
  // ctags scopes Go's top-level names in their package; Ferret's container is then ''.
  if (!tag.scope || tag.scopeKind === 'package') return '';
  // ctags names Rust impl scopes `Trait for Type`, Ferret's container is the type; paths use `::`.
  const scope = tag.scope.replace(/^.* for /, '').replace(/<.*$/, '').replace(/::/g, '.');
  return ANONYMOUS.test(lastSegment(scope)) ? '' : scope;
}

function lastSegment(name) {
  return name.slice(name.lastIndexOf('.') + 1);
}

async function main() {
  const parser = new TreeParser(locateGrammar);
  const summary = [];
  for (const corpus of args.languages) {
    const all = corpusFiles(corpus);
    const files = sample(all, args.files, seededRandom(args.seed));
    log(`\n# ${corpus}: ${files.length} of ${all.length} files (seed ${args.seed})`);
    const tags = ctagsOf(files);
    const { definitions, cost } = await ferretOf(files, parser);
    const [parse, extract] = [cost.parseMs / cost.files, cost.extractMs / cost.files];
    log(`cost on one core: extract ${extract.toFixed(2)} ms/file (${(1000 / extract).toFixed(0)} files/s) after a parse of ${parse.toFixed(2)} ms/file` +
      ` (${(1000 / (parse + extract)).toFixed(0)} files/s both); ${(cost.bytes / cost.files / 1024).toFixed(1)} KB,` +
      ` ${(definitions.length / cost.files).toFixed(0)} definitions and ${(cost.references / cost.files).toFixed(0)} references per file; ${cost.failures} parse failures`);
    const byLanguage = new Map();
    for (const file of files) {
      const ctagsLanguage = CTAGS_LANGUAGE[languageOf(file.path)];
      if (!byLanguage.has(ctagsLanguage)) byLanguage.set(ctagsLanguage, new Set());
      byLanguage.get(ctagsLanguage).add(file.path);
    }
    for (const [ctagsLanguage, paths] of byLanguage) {
      const result = compare(corpus, ctagsLanguage, tags.filter((t) => paths.has(t.path)), definitions.filter((d) => paths.has(d.path)), files);
      summary.push({ corpus, language: ctagsLanguage, ...result });
    }
  }
  parser.dispose();
  log('\n# summary');
  for (const row of summary) {
    const judged = row.judged ? `  judged by tsc: recall ${percent(row.judged.recall, 1).padStart(6)}  precision ${percent(row.judged.precision, 1).padStart(6)}` : '';
    log(`${row.corpus.padEnd(11)} ${row.language.padEnd(11)} recall ${percent(row.recall, 1).padStart(6)}  precision ${percent(row.precision, 1).padStart(6)}${judged}`);
  }
}

await main();
