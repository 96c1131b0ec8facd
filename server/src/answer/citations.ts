import type { Citation } from '../shared/protocol';
import type { NumberedSource } from './promptBuilder';

/** `[n]` after a space, punctuation or another marker; `args[1]` is an index, not a citation. */
const MARKER = /( ?)(?<![\w)])\[(\d{1,3})\]/g;
/** Fenced blocks and inline code spans, where brackets are code. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/**
 * Maps `[n]` markers of an answer to the sources they name, in order of first mention, and
 * removes markers that name no source: a citation that leads nowhere is worse than none.
 */
export function resolveCitations(answer: string, sources: readonly NumberedSource[]): { answer: string; citations: Citation[] } {
  const byNumber = new Map(sources.map((s) => [s.n, s]));
  const cited = new Map<number, Citation>();
  const prose = (segment: string) =>
    segment.replace(MARKER, (marker, space: string, digits: string) => {
      const source = byNumber.get(Number(digits));
      if (!source) return '';
      if (!cited.has(source.n)) {
        const { hit } = source;
        cited.set(source.n, { n: source.n, folder: hit.folder, path: hit.path, startLine: hit.startLine, endLine: hit.endLine, symbol: hit.symbol });
      }
      return `${space}${marker.trimStart()}`;
    });
  let text = '';
  let last = 0;
  for (const match of answer.matchAll(CODE)) {
    text += prose(answer.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  text += prose(answer.slice(last));
  return { answer: text, citations: [...cited.values()] };
}
