import { codeTokens } from '../text/codeTokens';
import { PROSE_WORDS } from '../text/stopWords';

/** The code-aware terms of a query, without question words; falls back to all terms when nothing else is left. */
export function queryTerms(query: string): string[] {
  const all = [...new Set(codeTokens(query))];
  const meaningful = all.filter((t) => !PROSE_WORDS.has(t));
  return meaningful.length ? meaningful : all;
}
