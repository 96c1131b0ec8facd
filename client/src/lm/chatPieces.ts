/**
 * What `@ferret` writes into VS Code's chat around the model's streamed text: lists of ranges as
 * anchors, the sources an answer cites, the sources-only notice. Plain data (Markdown strings and
 * anchors), so it is unit-tested without VS Code; the participant turns pieces into stream calls.
 */
import type { AskResult, Citation, SearchResult } from '../../../server/src/shared/protocol';
import type { FileRange } from '../citations/locations';

/** A range with the symbol it holds, as hits and citations both carry. */
export type NamedRange = FileRange & { symbol: string };

/**
 * Markdown to render, or an anchor that opens a range. Markdown written by Ferret escapes whatever
 * it quotes; model text stays as the model wrote it and relies on VS Code rendering chat Markdown
 * untrusted (no command links, no raw HTML).
 */
export type ChatPiece = { markdown: string } | { anchor: NamedRange; title: string };

/** Escapes Markdown so quoted text (a symbol, a query, a reason) renders as written. */
export function plainMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, '\\$&');
}

/**
 * Ranges as a list, each line `[n]` (escaped, so a reference definition in model text above it
 * cannot turn it into a link) followed by an anchor to the range and its symbol.
 */
export function rangeList(ranges: readonly { n: number; range: NamedRange }[]): ChatPiece[] {
  return ranges.flatMap(({ n, range }): ChatPiece[] => [
    { markdown: `\n- \\[${n}\\] ` },
    { anchor: range, title: `${range.path}:${range.startLine}-${range.endLine}` },
    ...(range.symbol ? [{ markdown: ` ${plainMarkdown(range.symbol)}` }] : []),
  ]);
}

const numbered = (citations: readonly Citation[]) => citations.map((c) => ({ n: c.n, range: c }));

/** `/search`: the ranges that match, best first, each an anchor. */
export function searchPieces(result: SearchResult): ChatPiece[] {
  if (result.results.length === 0) return [{ markdown: `No code in the index matches "${plainMarkdown(result.query)}".` }];
  const count = result.results.length;
  const how = result.mode === 'fulltext' ? ` Full-text search only${result.modeReason ? `: ${plainMarkdown(result.modeReason)}` : '.'}` : '';
  return [
    { markdown: `${count} range${count === 1 ? '' : 's'} match, best first.${how}\n` },
    ...rangeList(result.results.map((hit, i) => ({ n: i + 1, range: hit }))),
  ];
}

/**
 * Everything after the streamed text of an answer. `streamed` is what was shown while the model
 * wrote; when nothing streamed, the daemon's answer is shown whole. A sources-only result says so
 * first and lists the ranges instead of an answer. `citations` are those the editor may open.
 */
export function answerEndPieces(result: AskResult, streamed: string, citations: readonly Citation[]): ChatPiece[] {
  if (result.sourcesOnly) {
    const why = result.sourcesOnlyReason ? `\n\n*Why:* ${plainMarkdown(result.sourcesOnlyReason)}` : '';
    if (citations.length === 0) return [{ markdown: `**Sources only:** no language model answered, and the index has nothing matching this question.${why}` }];
    return [{ markdown: `**Sources only:** no language model answered, so here are the ranges that match best.${why}\n` }, ...rangeList(numbered(citations))];
  }
  // The daemon's answer already ends with the interruption notice; streamed text does not.
  const pieces: ChatPiece[] = streamed === '' ? [{ markdown: result.answer }] : [];
  const fence = unclosedFence(streamed === '' ? result.answer : streamed);
  if (fence) pieces.push({ markdown: fence });
  if (streamed !== '' && result.interrupted) pieces.push({ markdown: `\n\n*The answer stopped early: ${plainMarkdown(result.interrupted)}*` });
  if (citations.length > 0) pieces.push({ markdown: '\n\n**Sources**\n' }, ...rangeList(numbered(citations)));
  if (result.model) pieces.push({ markdown: `\n\n*Answered by ${plainMarkdown(result.model)} via ${plainMarkdown(result.provider)}.*` });
  return pieces;
}

/**
 * The fence to append when Markdown ended inside a fenced code block (an answer cut off mid-code),
 * so what follows is not swallowed by the block; '' when every block is closed.
 */
export function unclosedFence(markdown: string): string {
  let open: string | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (!fence) continue;
    if (open === undefined) open = fence;
    else if (fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
  }
  return open === undefined ? '' : `\n${open}\n`;
}
