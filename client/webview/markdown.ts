/**
 * Renders an answer's Markdown to HTML that is safe for `innerHTML` in the chat webview. Pure (no
 * DOM), so Node tests feed it hostile model output. Raw HTML in the Markdown is escaped by
 * markdown-it (`html: false`), images are not rendered (they would fetch remote content), and the
 * result always goes through the allow-list sanitizer.
 */
import MarkdownIt from 'markdown-it';
import type { Citation } from '../../server/src/shared/protocol';
import { highlightCode } from './highlight';
import { escapeHtml, sanitizeHtml } from './sanitize';
import { citationLocation } from './sources';

interface RenderEnv {
  citations: ReadonlyMap<number, Citation>;
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, highlight: highlightCode });
md.disable(['image']);
/** For one-line texts from the extension (banners, the sources-only reason): inline Markdown only, so `code` renders. */
const inline = new MarkdownIt('zero', { html: false }).enable(['backticks', 'emphasis']);

// Citation markers `[n]` become buttons that open the cited range; unknown numbers stay text.
md.renderer.rules.text = (tokens, idx, _options, env: RenderEnv) =>
  escapeHtml(tokens[idx]?.content ?? '').replace(/\[(\d{1,4})\]/g, (marker, n: string) => {
    const citation = env.citations.get(Number(n));
    if (!citation) return marker;
    const label = escapeHtml(`Source ${n}: ${citationLocation(citation)}`);
    return `<button type="button" class="cite" data-cite="${n}" aria-label="${label}">[${n}]</button>`;
  });

/** HTML for an answer; `citations` are those of the finished answer (none while it streams). */
export function renderAnswer(markdown: string, citations: readonly Citation[]): string {
  const env: RenderEnv = { citations: new Map(citations.map((c) => [c.n, c])) };
  return sanitizeHtml(md.render(markdown, env));
}

/** Inline Markdown (code spans, emphasis) of a one-line text as safe HTML; backticks never show literally. */
export function renderInline(text: string): string {
  return sanitizeHtml(inline.renderInline(text));
}
