/**
 * Code-aware tokens, shared by the full-text column, the query and the local embedder,
 * so that all three agree on what a word is: `parseConfigFile` is found by `parse`,
 * `config file` and `parseConfigFile` alike.
 */

const IDENTIFIER = /[\p{L}_$][\p{L}\p{N}_$]*|\p{N}+/gu;
// lowercase→Upper, UPPER→Upper+lower (HTTPServer → HTTP Server), letter↔digit boundaries.
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;

/** Splits one identifier into lower-case parts: `HTTPServer_v2` → `http server v 2`. */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  for (const piece of identifier.split(/[_$]+/)) {
    if (!piece) continue;
    for (const part of piece.split(CAMEL_BOUNDARY)) {
      if (part) parts.push(part.toLowerCase());
    }
  }
  return parts;
}

/** Every identifier of `text`, lower-cased whole, followed by its parts when it has more than one. */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    const word = match[0];
    const whole = word.toLowerCase().replace(/^[_$]+|[_$]+$/g, '');
    if (!whole) continue;
    tokens.push(whole);
    const parts = splitIdentifier(word);
    if (parts.length > 1) tokens.push(...parts);
  }
  return tokens;
}

/** Path segments and their identifier parts: `src/authService.ts` → `src authservice auth service ts`. */
export function pathTokens(path: string): string[] {
  return codeTokens(path.replace(/[/\\.\-]+/g, ' '));
}
