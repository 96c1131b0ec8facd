import { codeTokens } from '../text/codeTokens';

/** Words of a question that say nothing about the code it is after. */
const QUESTION_WORDS = new Set(
  'a an and are as at be by can code do does done file for from get gets how i in is it its me my of on or show that the their there this to use used uses using was what when where which who why with work works'.split(' '),
);

/** The code-aware terms of a query, without question words; falls back to all terms when nothing else is left. */
export function queryTerms(query: string): string[] {
  const all = [...new Set(codeTokens(query))];
  const meaningful = all.filter((t) => !QUESTION_WORDS.has(t));
  return meaningful.length ? meaningful : all;
}
