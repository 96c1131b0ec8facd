/**
 * Syntax highlighting for fenced code in answers: highlight.js core with the languages developers
 * ask about most, bundled (no CDN). It emits only `<span class="hljs-…">`, so the strict CSP holds
 * (no inline styles) and the theme colours come from chat.css.
 */
import hljs from './hljsLanguages';

/** Highlighted HTML for a fence's body, or '' (markdown-it then escapes it as plain text) for an unknown or missing language. */
export function highlightCode(code: string, info: string): string {
  const language = info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (language === '' || !hljs.getLanguage(language)) return '';
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
