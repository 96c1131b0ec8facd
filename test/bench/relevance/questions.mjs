// The questions of one corpus, drawn deterministically:
// - `doc`: a documented function's first doc sentence; its doc comment is blanked out of the corpus
//   (line numbers kept), and the answer is the function's range. A sentence documenting one name in
//   several places (a .js and its .d.ts) is blanked everywhere and any place counts.
// - `identifier`: "where is NAME defined" for a name defined exactly once in the corpus.
// Each question falls in the tuning half or the held-out half by a seeded draw, so the halves are
// the same on every run; weights are chosen on `tune` and reported on `heldOut`.
import { seededRandom } from '../stats.mjs';

const SPLIT_SEED = 11;
/** Names worth asking for: plain identifiers of six characters or more (not `[Symbol.iterator]`, not `a`). */
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]{5,}$/u;
const PICK_SEED = 2024;

/** The top folder (package) of a corpus path, so no one package dominates the draw. */
const packageOf = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/');
const isTestPath = (path) => /(^|\/)(tests?|testing)(\/|$)|_test\.go$|(^|\/)test_[^/]*\.py$|\.(test|spec)\.[jt]s$/.test(path);

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Round-robin over packages, each shuffled with a fixed seed. */
function pickAcrossPackages(groups, count, keyOf) {
  const random = seededRandom(PICK_SEED);
  const byPackage = new Map();
  for (const group of [...groups].sort((a, b) => keyOf(a).localeCompare(keyOf(b)))) {
    const name = packageOf(group[0].path);
    byPackage.set(name, [...(byPackage.get(name) ?? []), group]);
  }
  const queues = [...byPackage.keys()].sort().map((name) => shuffle(byPackage.get(name), random));
  const picked = [];
  while (picked.length < count && queues.some((queue) => queue.length > 0)) {
    for (const queue of queues) if (queue.length > 0 && picked.length < count) picked.push(queue.shift());
  }
  return picked;
}

/**
 * Questions for one corpus. `texts` (path → text) is changed in place: the picked doc comments
 * are blanked (all documented ones with `stripAll`). Returns the questions with their answers.
 */
export function drawQuestions(texts, reader, { docCount, identifierCount, stripAll }) {
  const documented = [];
  const definedBy = new Map();
  for (const [path, text] of texts) {
    if (!isTestPath(path)) for (const doc of reader.documented(path, text)) documented.push({ ...doc, path });
    for (const def of reader.defined(path, text)) definedBy.set(def.name, [...(definedBy.get(def.name) ?? []), { ...def, path }]);
  }
  const bySentence = new Map();
  for (const doc of documented) bySentence.set(doc.sentence, [...(bySentence.get(doc.sentence) ?? []), doc]);
  const unambiguous = [...bySentence.values()].filter((group) => new Set(group.map((doc) => doc.name)).size === 1);
  const docGroups = pickAcrossPackages(unambiguous, docCount, (group) => group[0].sentence);
  blank(stripAll ? documented.map((doc) => [doc]) : docGroups, texts);

  const unique = [...definedBy.entries()]
    .filter(([name, defs]) => defs.length === 1 && IDENTIFIER.test(name) && !/^(_|test|Test|bench|Bench)/.test(name) && !isTestPath(defs[0].path))
    .map(([, defs]) => defs);
  const identifierGroups = pickAcrossPackages(unique, identifierCount, (group) => group[0].name);

  const questions = [
    ...docGroups.map((group) => ({ kind: 'doc', query: group[0].sentence, name: group[0].name, targets: group.map(targetOf) })),
    ...identifierGroups.map((group) => ({ kind: 'identifier', query: `where is ${group[0].name} defined`, name: group[0].name, targets: group.map(targetOf) })),
  ];
  const random = seededRandom(SPLIT_SEED);
  return questions.map((question) => ({ ...question, half: random() < 0.5 ? 'tune' : 'heldOut' }));
}

const targetOf = ({ path, range }) => ({ path, startLine: range[0], endLine: range[1] });

/** Replaces the comments by spaces, keeping every line break so targets keep their line numbers. */
function blank(groups, texts) {
  const byFile = new Map();
  for (const doc of groups.flat()) byFile.set(doc.path, [...(byFile.get(doc.path) ?? []), ...doc.blank]);
  for (const [path, ranges] of byFile) {
    let text = texts.get(path);
    const seen = new Set();
    for (const { start, end } of ranges.sort((a, b) => b.start - a.start)) {
      if (seen.has(start)) continue;
      seen.add(start);
      text = text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
    }
    texts.set(path, text);
  }
}
