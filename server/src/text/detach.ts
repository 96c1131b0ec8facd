/**
 * A copy of `text` that does not keep alive the string it was cut from. V8 makes a slice of 13 or
 * more characters a view into its whole parent, so an identifier sliced from a chunk and kept as a
 * cache key holds the chunk's, or the file's, entire text: caches of a few hundred thousand tokens
 * kept hundreds of megabytes of source alive. Prepending a character forces a flat copy, of which
 * the slice is a view of just one character more than `text`.
 */
export function detach(text: string): string {
  return ` ${text}`.slice(1);
}
