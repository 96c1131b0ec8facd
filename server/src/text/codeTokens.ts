/**
 * Code-aware tokens, shared by the full-text column, the query and the local embedder,
 * so that all three agree on what a word is: `parseConfigFile` is found by `parse`,
 * `config file` and `parseConfigFile` alike.
 */

const IDENTIFIER = /[\p{L}_$][\p{L}\p{N}_$]*|\p{N}+/gu;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;

/** Identifiers repeat endlessly in code; splitting each once is most of the tokenizer's speed. */
const splitCache = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 100_000;

type CharClass = 'upper' | 'lower' | 'digit' | 'other';

function classOf(code: number, char: string): CharClass {
  if (code >= 97 && code <= 122) return 'lower';
  if (code >= 65 && code <= 90) return 'upper';
  if (code >= 48 && code <= 57) return 'digit';
  if (code < 128) return 'other';
  if (LOWER.test(char)) return 'lower';
  if (UPPER.test(char)) return 'upper';
  return DIGIT.test(char) ? 'digit' : 'lower';
}

/** Splits one identifier into lower-case parts: `HTTPServer_v2` → `http server v 2`. */
export function splitIdentifier(identifier: string): readonly string[] {
  const cached = splitCache.get(identifier);
  if (cached) return cached;
  const parts: string[] = [];
  let start = -1;
  let previous: CharClass = 'other';
  const chars = [...identifier];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    const current = classOf(char.codePointAt(0)!, char);
    if (current === 'other') {
      if (start >= 0) parts.push(chars.slice(start, i).join('').toLowerCase());
      start = -1;
    } else if (start < 0) {
      start = i;
    } else {
      const next = i + 1 < chars.length ? classOf(chars[i + 1]!.codePointAt(0)!, chars[i + 1]!) : 'other';
      // camelCase, the end of an acronym (HTTPServer → HTTP|Server), and letter/digit edges.
      const boundary =
        (current === 'upper' && (previous === 'lower' || previous === 'digit')) ||
        (current === 'upper' && previous === 'upper' && next === 'lower') ||
        (current === 'digit') !== (previous === 'digit');
      if (boundary) {
        parts.push(chars.slice(start, i).join('').toLowerCase());
        start = i;
      }
    }
    previous = current;
  }
  if (start >= 0) parts.push(chars.slice(start).join('').toLowerCase());
  if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
  splitCache.set(identifier, parts);
  return parts;
}

/** Every identifier of `text`, lower-cased whole, followed by its parts when it has more than one. */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(IDENTIFIER)) {
    const parts = splitIdentifier(match[0]);
    if (parts.length === 0) continue;
    if (parts.length === 1) {
      tokens.push(parts[0]!);
      continue;
    }
    tokens.push(parts.join(''), ...parts);
  }
  return tokens;
}

/** Path segments and their identifier parts: `src/authService.ts` → `src authservice auth service ts`. */
export function pathTokens(path: string): string[] {
  return codeTokens(path.replace(/[/\\.\-]+/g, ' '));
}
