/**
 * How every count a person reads is written: status bar, its tooltip, Show Status, the CLI and
 * the MCP tools all use these, so one number never shows as `2815` in one place and `2,815` in
 * another. Grouping is fixed to `en-US` (`2,815`): the messages around it are English.
 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 file`, `2,815 files`: a count with its noun, plural unless exactly one. */
export function countOf(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** `3/40`, `1,200/2,815`: progress through a known total. */
export function formatProgress(done: number, total: number): string {
  return `${formatCount(done)}/${formatCount(total)}`;
}
