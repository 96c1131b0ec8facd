/**
 * A light English stemmer for meeting question words with code words: "parsing", "parsed",
 * "parser" and "parse" become one stem, "entries" meets "entry", "matches" meets "match". Only
 * inflections are removed; stems need not be words, only agree on both sides, so the index and the
 * query must go through this same function.
 */

import { detach } from './detach';

const MIN_LENGTH = 4;
const VOWEL = /[aeiouy]/;

function undouble(word: string): string {
  const last = word[word.length - 1];
  return word.length > 3 && last === word[word.length - 2] && !'lsz'.includes(last!) ? word.slice(0, -1) : word;
}

/** Workspaces repeat the same few hundred thousand tokens; stemming each once is most of the cost. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 40_000;

export function stem(token: string): string {
  let stemmed = cache.get(token);
  if (stemmed === undefined) {
    stemmed = detach(stemWord(token));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(detach(token), stemmed);
  }
  return stemmed;
}

function stemWord(token: string): string {
  if (token.length < MIN_LENGTH || !/^[a-z]+$/.test(token)) return token;
  let word = token;
  if (word.endsWith('ies') && word.length > 4) word = `${word.slice(0, -3)}y`;
  else if (word.endsWith('sses') || /(x|ch|sh)es$/.test(word)) word = word.slice(0, -2);
  else if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
  if (word.endsWith('ing') && word.length > 5 && VOWEL.test(word.slice(0, -3))) word = undouble(word.slice(0, -3));
  else if (word.endsWith('ed') && word.length > 4 && VOWEL.test(word.slice(0, -2))) word = undouble(word.slice(0, -2));
  else if (word.endsWith('er') && word.length > 5) word = undouble(word.slice(0, -2));
  else if (word.endsWith('ly') && word.length > 5) word = word.slice(0, -2);
  if (word.endsWith('e') && word.length > MIN_LENGTH) word = word.slice(0, -1);
  return word;
}
