/**
 * Code-aware tokens, shared by the full-text column, the query and the local embedder,
 * so that all three agree on what a word is: `parseConfigFile` is found by `parse`,
 * `config file` and `parseConfigFile` alike.
 */

import { detach } from './detach';

const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const DIGIT = /\p{N}/u;

/** Identifiers repeat endlessly in code; splitting each once is most of the tokenizer's speed. */
const splitCache = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 20_000;

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
  splitCache.set(detach(identifier), parts);
  return parts;
}

/** What a code point is to the word pattern `[\p{L}_$][\p{L}\p{N}_$]*|\p{N}+`: 0 no part of a word. */
type WordClass = 0 | typeof IDENTIFIER | typeof NUMBER;
const IDENTIFIER = 1;
const NUMBER = 2;
/** Non-ASCII code points seen so far: a text repeats the few scripts it is written in. */
const wideClasses = new Map<number, WordClass>();

function wordClass(code: number): WordClass {
  if (code < 128) {
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36) return IDENTIFIER;
    return code >= 48 && code <= 57 ? NUMBER : 0;
  }
  let found = wideClasses.get(code);
  if (found === undefined) {
    const char = String.fromCodePoint(code);
    found = LETTER.test(char) ? IDENTIFIER : DIGIT.test(char) ? NUMBER : 0;
    wideClasses.set(code, found);
  }
  return found;
}

/**
 * Every identifier of `text`, lower-cased whole, followed by its parts when it has more than one.
 * A scan by hand rather than a regex: this runs over every chunk twice while indexing, and most
 * words are plain lower-case ASCII, which are their own only part and skip the split.
 */
export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  let start = 0;
  while (start < text.length) {
    const first = text.codePointAt(start)!;
    const kind = wordClass(first);
    let end = start + (first > 0xffff ? 2 : 1);
    if (kind === 0) {
      start = end;
      continue;
    }
    let plain = kind === IDENTIFIER ? first >= 97 && first <= 122 : first < 128;
    while (end < text.length) {
      const code = text.codePointAt(end)!;
      const next = wordClass(code);
      // An identifier takes letters and numbers; a number only numbers.
      if (next === 0 || (kind === NUMBER && next !== NUMBER)) break;
      if (kind === IDENTIFIER ? code < 97 || code > 122 : code >= 128) plain = false;
      end += code > 0xffff ? 2 : 1;
    }
    const word = text.slice(start, end);
    start = end;
    if (plain) {
      tokens.push(word);
      continue;
    }
    const parts = splitIdentifier(word);
    if (parts.length === 1) tokens.push(parts[0]!);
    else if (parts.length > 1) tokens.push(parts.join(''), ...parts);
  }
  return tokens;
}

/** Path segments and their identifier parts: `src/authService.ts` → `src authservice auth service ts`. */
export function pathTokens(path: string): string[] {
  return codeTokens(path.replace(/[/\\.\-]+/g, ' '));
}
