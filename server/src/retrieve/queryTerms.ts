import { codeTokens } from '../text/codeTokens';

/**
 * Words of a question that say nothing about the code it is after. Words that are also names in
 * code (`get`, `use`, `file`, `code`, `show`, `work`) stay: BM25 already weighs them by rarity, and
 * dropping them lost questions such as "called for each visible code lens" (bench:relevance).
 */
const QUESTION_WORDS = new Set(
  'a an and are as at be by can do does done for from how i in is it its me my of on or that the their there this to was what when where which who why with'.split(' '),
);

/** The code-aware terms of a query, without question words; falls back to all terms when nothing else is left. */
export function queryTerms(query: string): string[] {
  const all = [...new Set(codeTokens(query))];
  const meaningful = all.filter((t) => !QUESTION_WORDS.has(t));
  return meaningful.length ? meaningful : all;
}
