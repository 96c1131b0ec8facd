/**
 * The one "N sources" list under an answer, as an HTML string (pure, tested in Node). Each entry
 * carries only its citation number; the extension looks the range up in its own state.
 */
import type { Citation } from '../../server/src/shared/protocol';
import { escapeHtml } from './sanitize';

/** `path:start-end`, or `path:line` for a one-line range. */
export function citationLocation(c: Pick<Citation, 'path' | 'startLine' | 'endLine'>): string {
  return c.endLine > c.startLine ? `${c.path}:${c.startLine}-${c.endLine}` : `${c.path}:${c.startLine}`;
}

/** The path escaped, with a break opportunity after every `/` so narrow views wrap between folders, not inside names. */
export function breakablePath(path: string): string {
  return path.split('/').map(escapeHtml).join('/<wbr>');
}

/** The citation numbers the answer text refers to as `[n]`. */
export function citedNumbers(answer: string): Set<number> {
  return new Set([...answer.matchAll(/\[(\d{1,4})\]/g)].map((m) => Number(m[1])));
}

/** Citations once per number, in number order. */
export function uniqueCitations(citations: readonly Citation[]): Citation[] {
  const byNumber = new Map<number, Citation>();
  for (const c of citations) if (!byNumber.has(c.n)) byNumber.set(c.n, c);
  return [...byNumber.values()].sort((a, b) => a.n - b.n);
}

function entry(c: Citation, cited: boolean): string {
  const lines = c.endLine > c.startLine ? `${c.startLine}-${c.endLine}` : `${c.startLine}`;
  const title = `${cited ? 'Cited in the answer. ' : ''}Open ${c.symbol ? `${c.symbol} in ` : ''}${c.path}, lines ${lines}`;
  const symbol = c.symbol ? ` <span class="source-symbol">${escapeHtml(c.symbol)}</span>` : '';
  return `<li><button type="button" class="source${cited ? ' cited' : ''}" data-cite="${c.n}" title="${escapeHtml(title)}">`
    + `<span class="source-n">${c.n}</span> <span class="source-path">${breakablePath(c.path)}:${lines}</span>${symbol}</button></li>`;
}

/**
 * The collapsible list: every source once, cited ones marked. Open when the answer is the sources
 * (no model answered), closed otherwise, where the inline `[n]` markers are the way in.
 */
export function renderSources(citations: readonly Citation[], answer: string, sourcesOnly: boolean): string {
  const list = uniqueCitations(citations);
  if (list.length === 0) return '';
  const cited = sourcesOnly ? new Set<number>() : citedNumbers(answer);
  const citedCount = list.filter((c) => cited.has(c.n)).length;
  const summary = `${list.length} source${list.length === 1 ? '' : 's'}${citedCount > 0 ? ` · ${citedCount} cited` : ''}`;
  return `<details class="sources"${sourcesOnly ? ' open' : ''}><summary>${summary}</summary>`
    + `<ol class="source-list">${list.map((c) => entry(c, cited.has(c.n))).join('')}</ol></details>`;
}
