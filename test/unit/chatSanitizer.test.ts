// Hostile model output through the chat webview's Markdown renderer and sanitizer. The output is
// parsed with a real HTML5 parser (parse5) and every element and attribute is checked against the
// allow-list, so a parser trick that a regex check would miss still fails the test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFragment } from 'parse5';
import type { Citation } from '../../server/src/shared/protocol';
import { classifyHref } from '../../client/src/chat/linkPolicy';
import { renderAnswer, renderInline } from '../../client/webview/markdown';
import { sanitizeHtml } from '../../client/webview/sanitize';

interface Node { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; content?: Node; value?: string }

const allowedTags = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'del', 'blockquote', 'ul', 'ol', 'li',
  'pre', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'a', 'button',
]);
const allowedAttrs = new Set(['class', 'role', 'tabindex', 'data-href', 'title', 'type', 'data-cite', 'aria-label', 'start']);

/** Every element of the parsed output, flattened. */
function elements(html: string): Node[] {
  const out: Node[] = [];
  const walk = (node: Node): void => {
    if (node.attrs) out.push(node);
    for (const child of node.childNodes ?? []) walk(child);
    if (node.content) walk(node.content);
  };
  walk(parseFragment(html) as unknown as Node);
  return out;
}

/** Asserts the HTML can neither run script nor navigate: allow-listed tags and attributes only, links vetted. */
function assertInert(html: string, input: string): void {
  for (const el of elements(html)) {
    assert.ok(allowedTags.has(el.nodeName), `element <${el.nodeName}> from ${JSON.stringify(input)} in ${html}`);
    for (const { name, value } of el.attrs ?? []) {
      assert.ok(allowedAttrs.has(name), `attribute ${name} on <${el.nodeName}> from ${JSON.stringify(input)}`);
      if (name === 'data-href') assert.ok(classifyHref(value), `data-href ${value} is not an allowed link`);
    }
    if (el.nodeName === 'button') {
      const type = el.attrs?.find((a) => a.name === 'type')?.value;
      assert.equal(type, 'button', 'a button must never submit');
    }
  }
  // A second, parser-independent look at the markup itself (escaped text like `&lt;img onerror=…&gt;` is fine).
  for (const tag of html.match(/<[a-z/][^>]*>/gi) ?? []) {
    assert.doesNotMatch(tag, /^<\/?(script|iframe|style|img|svg|object|embed|form|input|meta|link|base)\b/i, tag);
    assert.doesNotMatch(tag, /\s(href|src|srcdoc|style|action|formaction|xlink:href|on[a-z]+)\s*=/i, tag);
  }
}

const citations: Citation[] = [{ n: 1, folder: '/ws', path: 'src/auth.ts', startLine: 10, endLine: 24, symbol: 'login' }];

const hostile = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)"/>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](java\tscript:alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript:alert(1))',
  '[x](vbscript:msgbox(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[p](file:///etc/passwd)',
  '[c](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D)',
  '[v](vscode://ms-vscode.something/x)',
  '[proto](//evil.example/x)',
  '<a href="command:workbench.action.openSettings">settings</a>',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<style>body{background:url(https://evil.example/track)}</style>',
  '<svg><script>alert(1)</script></svg>',
  '<svg onload=alert(1)><circle r=5 /></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form action="https://evil.example"><input type=submit></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<base href="https://evil.example/">',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '<<script>script>alert(1)<</script>/script>',
  '<!--<img src=x onerror=alert(1)>-->',
  '![tracker](https://evil.example/pixel.png)',
  '![x](javascript:alert(1))',
  '[ok](https://example.com/a?b=1&c=2 "title\\" onmouseover=\\"alert(1)")',
  '```html" onmouseover="alert(1)\n<script>alert(1)</script>\n```',
  '`<img src=x onerror=alert(1)>`',
  '<details open ontoggle=alert(1)>',
  '<button formaction="javascript:alert(1)">x</button>',
  '[x]: javascript:alert(1)\n\n[link][x]',
  'Auth is in [1] <img src=x onerror=alert(1)> and [2].',
];

test('hostile model output renders to inert HTML', () => {
  for (const input of hostile) assertInert(renderAnswer(input, citations), input);
});

test('hostile raw HTML is made inert by the sanitizer alone (defence if the renderer ever passed HTML through)', () => {
  for (const input of hostile) assertInert(sanitizeHtml(input), input);
});

test('script and style content is dropped with the element, other unknown tags keep only their text', () => {
  assert.equal(sanitizeHtml('a<script>alert(1)</script>b'), 'ab');
  assert.equal(sanitizeHtml('a<style>p{}</style>b<svg><script>x</script></svg>c'), 'abc');
  assert.equal(sanitizeHtml('<div onclick="x()">hi</div>'), 'hi');
  assert.equal(sanitizeHtml('<p class="x" onclick="y">t</p>'), '<p>t</p>');
  assert.equal(sanitizeHtml('1 < 2 > 0 & ok &amp; &lt;b&gt;'), '1 &lt; 2 &gt; 0 &amp; ok &amp; &lt;b&gt;');
});

test('raw HTML in Markdown is shown as text, not parsed', () => {
  assert.equal(renderAnswer('<b>bold</b>', []), '<p>&lt;b&gt;bold&lt;/b&gt;</p>\n');
});

test('workspace and web links survive as data-href only; other schemes become inert', () => {
  const html = renderAnswer('[a](src/auth.ts#L10-L24) [w](https://example.com/x) [c](command:x) [f](file:///etc/passwd)', []);
  assert.match(html, /<a class="link" role="link" tabindex="0" data-href="src\/auth.ts#L10-L24" title="Open src\/auth.ts">a<\/a>/);
  assert.match(html, /data-href="https:\/\/example.com\/x" title="https:\/\/example.com\/x \(asks before opening\)">w<\/a>/);
  assert.match(html, /<a class="blocked-link"[^>]*>c<\/a>/);
  // markdown-it refuses file: links outright, so they stay literal text.
  assert.match(html, /\[f\]\(file:\/\/\/etc\/passwd\)/);
  assertInert(html, 'links');
});

test('entity-encoded schemes are decoded before they are checked', () => {
  for (const href of ['javascript&#58;alert(1)', 'javascript&colon;alert(1)', '&#x6a;avascript:alert(1)', 'java&Tab;script:alert(1)', 'command&#x3A;x']) {
    const html = sanitizeHtml(`<a href="${href}">x</a>`);
    assert.match(html, /^<a class="blocked-link"/, `${href} → ${html}`);
  }
});

test('code blocks keep a safe language class and escape their content', () => {
  assert.equal(renderAnswer('```text\nconst a = "<b>";\n```', []), '<pre><code class="language-text">const a = &quot;&lt;b&gt;&quot;;\n</code></pre>\n');
  assert.equal(renderAnswer('```ts" onclick="x\nx\n```', []), '<pre><code>x\n</code></pre>\n');
});

test('fenced code in a known language is highlighted with token classes only, its text still escaped', () => {
  const html = renderAnswer('```ts\nconst a = "<b>"; // hi\n```', []);
  assert.equal(
    html,
    '<pre><code class="language-ts"><span class="hljs-keyword">const</span> a = <span class="hljs-string">&quot;&lt;b&gt;&quot;</span>; <span class="hljs-comment">// hi</span>\n</code></pre>\n',
  );
  assert.match(renderAnswer('```python\ndef f(): pass\n```', []), /<span class="hljs-title function_">f<\/span>/);
});

test('a span the highlighter did not make loses its attributes', () => {
  assert.equal(sanitizeHtml('<span class="hljs-x" style="color:red" onclick="x">a</span>'), '<span class="hljs-x">a</span>');
  assert.equal(sanitizeHtml('<span class="evil hljs-x">a</span>'), '<span>a</span>');
});

test('one-line texts render inline code instead of literal backticks, and nothing else', () => {
  assert.equal(renderInline('Start Ollama (`ollama serve`) and *pull* a model.'), 'Start Ollama (<code>ollama serve</code>) and <em>pull</em> a model.');
  assert.equal(renderInline('<img src=x onerror=alert(1)> [a](javascript:x) # not a heading'), '&lt;img src=x onerror=alert(1)&gt; [a](javascript:x) # not a heading');
});
