// Commit → files: the one corpus here with real history is this repository. Each commit's subject
// is a question whose answers are the files it changed (those still in HEAD), scored at file level
// against BM25 over whole files. Small and self-referential, so it is reported apart: a check that
// the ranking did not lose what it had on whole-file questions, not a figure to tune on.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSource } from '../../../server/src/watch/contentSniffer.ts';
import { seededRandom } from '../stats.mjs';

const MAX_FILES_PER_COMMIT = 20;
const SPLIT_SEED = 11;

const git = (repo, args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** The files of HEAD (text the daemon would index, lock files aside) and one question per commit. */
export function commitCorpus(repo) {
  const texts = new Map();
  for (const path of git(repo, ['ls-files']).split('\n').filter(Boolean)) {
    if (/(^|\/)package-lock\.json$/.test(path)) continue;
    let bytes;
    try {
      bytes = readFileSync(join(repo, path));
    } catch {
      continue;
    }
    const decoded = decodeSource(bytes, path);
    if (!('skip' in decoded)) texts.set(path, decoded.text);
  }
  const random = seededRandom(SPLIT_SEED);
  const questions = [];
  for (const line of git(repo, ['log', '--no-merges', '--format=%H%x09%s']).split('\n').filter(Boolean)) {
    const [sha, subject] = line.split('\t');
    const changed = git(repo, ['show', '--name-only', '--format=', sha]).split('\n').filter((path) => texts.has(path));
    if (changed.length === 0 || changed.length > MAX_FILES_PER_COMMIT) continue;
    questions.push({ kind: 'commit', query: subject, name: sha.slice(0, 8), targets: changed.map((path) => ({ path, startLine: 1, endLine: Number.MAX_SAFE_INTEGER })), half: random() < 0.5 ? 'tune' : 'heldOut' });
  }
  return { texts, questions };
}
