/** The row of citation chips under an answer, as an HTML string (pure, tested in Node). */
import type { Citation } from '../../server/src/shared/protocol';
import { escapeHtml } from './sanitize';

/** `path:start-end`, or `path:line` for a one-line range. */
export function citationLocation(c: Citation): string {
  return c.endLine > c.startLine ? `${c.path}:${c.startLine}-${c.endLine}` : `${c.path}:${c.startLine}`;
}

/** One button per citation, in marker order, each carrying only its number; the extension looks up the range. */
export function renderChips(citations: readonly Citation[]): string {
  const byNumber = new Map<number, Citation>();
  for (const c of citations) if (!byNumber.has(c.n)) byNumber.set(c.n, c);
  return [...byNumber.values()]
    .sort((a, b) => a.n - b.n)
    .map((c) => {
      const label = `[${c.n}] ${citationLocation(c)}`;
      const title = c.symbol ? `${c.symbol} — ${c.folder}/${c.path}` : `${c.folder}/${c.path}`;
      return `<button type="button" class="chip" data-cite="${c.n}" title="${escapeHtml(title)}">${escapeHtml(label)}</button>`;
    })
    .join('');
}
