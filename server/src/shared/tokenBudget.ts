/**
 * Token counts estimated from characters. Code tokenises densely (punctuation, short
 * identifiers), so ~3.2 characters per token errs on the side of fitting; an estimate that
 * overshoots wastes a little context, one that undershoots gets the prompt truncated by the
 * server, losing the question at its end.
 */
const CHARS_PER_TOKEN = 3.2;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** The longest prefix of `text` that fits `tokens`, cut at a line end when one is near. */
export function truncateToTokens(text: string, tokens: number): string {
  const limit = Math.floor(tokens * CHARS_PER_TOKEN);
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf('\n', limit);
  return text.slice(0, cut > limit * 0.8 ? cut : limit);
}
