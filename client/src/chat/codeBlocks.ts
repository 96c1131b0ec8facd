/**
 * The code blocks of an answer, in the order the webview renders them as `<pre>`. Copy and Insert
 * name a block by its index; the code itself is read here, from the extension's own copy of the
 * answer, so the webview cannot make the extension write text the model did not.
 */
import MarkdownIt from 'markdown-it';

// Same block rules as the webview renderer (client/webview/markdown.ts): fences and indented code.
const md = new MarkdownIt({ html: false });

export function codeBlocks(markdown: string): string[] {
  return md.parse(markdown, {}).filter((t) => t.type === 'fence' || t.type === 'code_block').map((t) => t.content);
}
