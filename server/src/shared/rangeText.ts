/**
 * How a range of code reads as text for a model or a person: its one-line heading and its code in
 * a fence. Shared by the MCP tools and the VS Code language-model tool, so both read the same.
 */

/** `src/auth/passwords.ts:12-30  verifyPassword`: path, 1-based inclusive lines, and the symbol if any. */
export function rangeHeading(range: { path: string; startLine: number; endLine: number; symbol: string }): string {
  return `${range.path}:${range.startLine}-${range.endLine}${range.symbol ? `  ${range.symbol}` : ''}`;
}

/** Code in a Markdown fence longer than any backtick run inside it, so the code cannot close it early. */
export function fencedCode(text: string, language: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language === 'text' ? '' : language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** Lines that introduce code rather than being it: comments, doc comments, decorators, attributes. */
const PREAMBLE = /^(\/\/|\/\*|\*|#(?!include|define|if|else|endif)|--|"""|\'\'\'|@[\w.]+(\(.*\))?$|#\[|\[[\w.]+(\(.*\))?\]$)/;
const MAX_SIGNATURE = 120;

/**
 * The line of a range a person recognises it by: its first line of code, past doc comments,
 * decorators and attributes (`async login(email: string)`, not `/**`). The first non-blank line
 * when the range is all comments.
 */
export function signatureLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const code = lines.find((line) => !PREAMBLE.test(line)) ?? lines[0] ?? '';
  return code.length > MAX_SIGNATURE ? `${code.slice(0, MAX_SIGNATURE - 1)}…` : code;
}
