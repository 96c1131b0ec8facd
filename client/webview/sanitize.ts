/**
 * A strict allow-list HTML sanitizer that works on strings, so it needs no DOM and is tested in
 * Node. It is the last step before anything reaches `innerHTML` in the chat webview: the Markdown
 * renderer already escapes raw HTML, and this pass makes sure that even if it did not, only the
 * tags and attributes listed here survive, every attribute is re-serialised from a decoded and
 * checked value, and no element can navigate or run script (links keep their target in
 * `data-href` only, for the extension to vet).
 */
import { classifyHref } from '../src/chat/linkPolicy';

type AttrRule = (value: string) => boolean;

const digits: AttrRule = (v) => /^\d{1,9}$/.test(v);
/** highlight.js token classes: `hljs-keyword`, and its scope suffixes such as `hljs-title function_`. */
const highlightClass: AttrRule = (v) => /^hljs-[a-z_-]{1,30}(?: [a-z]{1,20}_{1,2}){0,3}$/.test(v);

/** Tag → the attributes it may keep. `a` and `button` are handled separately. */
const allowed: Record<string, Record<string, AttrRule>> = {
  p: {}, br: {}, hr: {}, h1: {}, h2: {}, h3: {}, h4: {}, h5: {}, h6: {},
  strong: {}, em: {}, s: {}, del: {}, blockquote: {}, ul: {}, li: {}, pre: {},
  table: {}, thead: {}, tbody: {}, tr: {}, th: {}, td: {},
  ol: { start: digits },
  code: { class: (v) => /^language-[\w+#.-]{1,40}$/.test(v) },
  span: { class: highlightClass },
};
const voidTags = new Set(['br', 'hr']);
/** Elements whose content is not text to show (scripts, styles, embedded documents): dropped with the content. */
const dropWithContent = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'template', 'noscript', 'noembed',
  'noframes', 'textarea', 'title', 'xmp', 'plaintext', 'svg', 'math', 'select', 'head',
]);

// Attribute names exclude `<`, so a failed match stops at the next `<` and the scan stays linear.
const tagPattern = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/y;
const attrPattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const plainRun = /[^<>&]+/y;
const entityPattern = /^&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const namedEntities: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n', sol: '/', lpar: '(', rpar: ')', period: '.', num: '#',
};

/** Decodes the entities that matter for checking a URL or attribute value; unknown named ones stay literal. */
function decodeEntities(value: string): string {
  return value.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);?/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
    }
    return namedEntities[ref.toLowerCase()] ?? whole;
  });
}

function parseAttrs(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(attrPattern)) {
    const name = (m[1] ?? '').toLowerCase();
    // The first occurrence wins, as in a browser.
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

function openLink(attrs: Map<string, string>): string {
  const target = classifyHref(attrs.get('href') ?? '');
  if (!target) return '<a class="blocked-link" title="Link removed: only workspace files and web addresses can be opened">';
  const href = target.kind === 'web' ? target.url : (attrs.get('href') ?? '').trim();
  const title = target.kind === 'web' ? `${target.url} (asks before opening)` : `Open ${target.path}`;
  return `<a class="link" role="link" tabindex="0" data-href="${escapeHtml(href)}" title="${escapeHtml(title)}">`;
}

/** Only the citation markers the Markdown renderer emits survive as buttons, and never as submit buttons. */
function openCiteButton(attrs: Map<string, string>): string {
  const n = attrs.get('data-cite') ?? '';
  if (attrs.get('class') !== 'cite' || !digits(n)) return '';
  const label = attrs.get('aria-label');
  return `<button type="button" class="cite" data-cite="${n}"${label ? ` aria-label="${escapeHtml(label)}"` : ''}>`;
}

function serialiseTag(closing: boolean, name: string, attrSource: string): string {
  if (closing) return voidTags.has(name) ? '' : `</${name}>`;
  if (name === 'a') return openLink(parseAttrs(attrSource));
  if (name === 'button') return openCiteButton(parseAttrs(attrSource));
  const rules = allowed[name] ?? {};
  let out = `<${name}`;
  for (const [attr, value] of parseAttrs(attrSource)) {
    const rule = rules[attr];
    if (rule && rule(value)) out += ` ${attr}="${escapeHtml(value)}"`;
  }
  return `${out}>`;
}

/** Returns HTML holding only allow-listed tags and attributes; everything else becomes inert text or is dropped. */
export function sanitizeHtml(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const ch = html.charAt(i);
    if (ch === '<') {
      tagPattern.lastIndex = i;
      const m = tagPattern.exec(html);
      if (!m) {
        out += '&lt;';
        i += 1;
        continue;
      }
      const closing = m[1] === '/';
      const name = (m[2] ?? '').toLowerCase();
      i += m[0].length;
      if (dropWithContent.has(name)) {
        if (!closing) i = skipPast(html, i, name);
      } else if (name === 'a' || name === 'button' || name in allowed) {
        out += serialiseTag(closing, name, m[3] ?? '');
      }
      continue;
    }
    if (ch === '>') out += '&gt;';
    else if (ch === '&') out += entityPattern.test(html.slice(i, i + 40)) ? '&' : '&amp;';
    else {
      // Copy the run of plain text up to the next character that needs a decision.
      plainRun.lastIndex = i;
      const run = plainRun.exec(html)?.[0] ?? ch;
      out += run;
      i += run.length;
      continue;
    }
    i += 1;
  }
  return out;
}

/** Index just past the closing tag of `name` at or after `from`, or the end of the input when there is none. */
function skipPast(html: string, from: number, name: string): number {
  const close = new RegExp(`</${name}\\s*>`, 'ig');
  close.lastIndex = from;
  const m = close.exec(html);
  return m ? m.index + m[0].length : html.length;
}
