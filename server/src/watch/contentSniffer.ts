import { isUtf8 } from 'node:buffer';

/** Bytes (or UTF-16 code units) looked at to tell binary from text, as git does. */
const SNIFF_LENGTH = 8192;
/** Share of control characters above which text is taken for binary data. */
const MAX_CONTROL_RATIO = 0.1;
/** Short files are indexed whatever their shape: a one-line script is not a bundle. */
const MIN_MINIFIED_LENGTH = 2048;
const MAX_AVERAGE_LINE = 500;
const MAX_LINE = 5000;
/** Prose is often soft-wrapped into one line per paragraph; only the long-line rule applies to it. */
const PROSE = /\.(md|markdown|mdx|txt|rst|adoc|asciidoc|org|tex)$/i;

export type DecodeResult = { text: string } | { skip: 'binary' | 'invalid-utf8' | 'minified' };

/**
 * Decodes file bytes into text, or says why the file is not source text. Handles a UTF-8 BOM and
 * UTF-16 LE/BE with a BOM (decoded); anything else must be valid UTF-8. Binary is told by content
 * (a NUL or many control characters in the first 8 KiB), so a binary file named `x.ts` is caught.
 */
export function decodeSource(bytes: Buffer, relPath: string): DecodeResult {
  const decoded = decode(bytes);
  if ('skip' in decoded) return decoded;
  return looksMinified(decoded.text, relPath) ? { skip: 'minified' } : decoded;
}

function decode(bytes: Buffer): DecodeResult {
  if (startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff)) {
    const body = Buffer.from(bytes.subarray(2));
    if (body.length % 2 !== 0) return { skip: 'invalid-utf8' };
    if (bytes[0] === 0xfe) body.swap16();
    let text: string;
    try {
      text = new TextDecoder('utf-16le', { fatal: true }).decode(body);
    } catch {
      return { skip: 'invalid-utf8' };
    }
    const binary = looksBinary(Math.min(text.length, SNIFF_LENGTH), (i) => text.charCodeAt(i));
    return binary ? { skip: 'binary' } : { text };
  }
  const body = startsWith(bytes, 0xef, 0xbb, 0xbf) ? bytes.subarray(3) : bytes;
  if (looksBinary(Math.min(body.length, SNIFF_LENGTH), (i) => body[i] ?? 0)) return { skip: 'binary' };
  if (!isUtf8(body)) return { skip: 'invalid-utf8' };
  return { text: body.toString('utf8') };
}

function startsWith(bytes: Buffer, ...prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

/** Control characters that plain text does carry: tab, line breaks, form feed, ANSI colour escapes. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b]);

/** A NUL, or more than 10% other control characters. */
function looksBinary(length: number, codeAt: (index: number) => number): boolean {
  let controls = 0;
  for (let i = 0; i < length; i++) {
    const code = codeAt(i);
    if (code === 0) return true;
    if ((code < 0x20 && !TEXT_CONTROLS.has(code)) || code === 0x7f) controls++;
  }
  return controls > length * MAX_CONTROL_RATIO;
}

/**
 * Generated one-liners: average line over 500 characters, or one line over 5,000 characters that
 * is most of the file (a bundle under a licence header).
 */
function looksMinified(text: string, relPath: string): boolean {
  if (text.length < MIN_MINIFIED_LENGTH) return false;
  let lines = 0;
  let longest = 0;
  for (let start = 0; start <= text.length; lines++) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    longest = Math.max(longest, stop - start);
    start = stop + 1;
  }
  if (longest > MAX_LINE && longest * 2 > text.length) return true;
  return !PROSE.test(relPath) && text.length / lines > MAX_AVERAGE_LINE;
}
