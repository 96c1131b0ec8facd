/**
 * The prose of a piece of code: its comments and docstrings, where people say in words what the
 * names do. Line-based and forgiving: a `//` inside a string literal adds a few words of noise, which
 * counting over a whole workspace absorbs.
 */

/** Languages whose line comments start with `#`. */
const HASH_COMMENTS = new Set(['python', 'ruby', 'shell', 'perl', 'r', 'yaml', 'toml', 'powershell', 'elixir', 'makefile', 'dockerfile', 'cmake']);
/** Languages with `//` and `/* … *\/` comments. */
const SLASH_COMMENTS = new Set(['typescript', 'tsx', 'javascript', 'go', 'rust', 'java', 'c', 'cpp', 'csharp', 'php', 'kotlin', 'swift', 'scala', 'dart', 'groovy', 'protobuf']);
const DOCSTRING = /"""|'''/g;

/** Where a `//` comment starts, skipping the `//` of a URL (`http://`). */
function lineComment(line: string): number {
  for (let at = line.indexOf('//'); at >= 0; at = line.indexOf('//', at + 2)) if (line[at - 1] !== ':') return at;
  return -1;
}

export function commentText(text: string, language: string): string {
  const hash = HASH_COMMENTS.has(language);
  const slash = SLASH_COMMENTS.has(language) || language === 'php';
  if (!hash && !slash) return '';
  const prose: string[] = [];
  let inBlock = false;
  let inDocstring = false;
  for (const line of text.split('\n')) {
    if (inBlock) {
      const end = line.indexOf('*/');
      prose.push(end < 0 ? line : line.slice(0, end));
      if (end >= 0) inBlock = false;
      continue;
    }
    if (hash && language === 'python') {
      const quotes = line.match(DOCSTRING)?.length ?? 0;
      if (inDocstring || quotes > 0) {
        prose.push(line);
        if (quotes % 2 === 1) inDocstring = !inDocstring;
        continue;
      }
    }
    if (slash) {
      const block = line.indexOf('/*');
      const comment = lineComment(line);
      if (comment >= 0 && (block < 0 || comment < block)) {
        prose.push(line.slice(comment + 2));
        continue;
      }
      if (block >= 0) {
        const end = line.indexOf('*/', block + 2);
        prose.push(end < 0 ? line.slice(block + 2) : line.slice(block + 2, end));
        inBlock = end < 0;
        continue;
      }
    }
    if (hash) {
      const comment = line.indexOf('#');
      if (comment >= 0 && line[comment + 1] !== '[' && line[comment + 1] !== '!') prose.push(line.slice(comment + 1));
    }
  }
  return prose.join('\n');
}
