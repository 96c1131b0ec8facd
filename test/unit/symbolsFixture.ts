// Reading the symbol fixtures (test/fixtures/symbols) the way a person checks them: by searching
// their text, so that expected lines come from the source and not from the extractor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures', 'symbols');

export interface Fixture {
  name: string;
  text: string;
  /** 1-based line of the `nth` line containing `needle`; throws when there is none. */
  lineOf(needle: string, nth?: number): number;
  /** Last line of the brace block opened on `start`: the next line at its indentation that closes it. */
  braceEnd(start: number): number;
  /** Last line of the indented block headed by `start` (Python). */
  indentEnd(start: number): number;
  /** The `end` that closes the Ruby block opened on `start`. */
  rubyEnd(start: number): number;
}

export function readFixture(name: string): Fixture {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const lines = text.split('\n');
  const indent = (line: string): number => line.length - line.trimStart().length;
  const closing = (start: number, test: (line: string) => boolean): number => {
    const depth = indent(lines[start - 1]!);
    for (let i = start; i < lines.length; i++) {
      if (indent(lines[i]!) === depth && test(lines[i]!.trim())) return i + 1;
    }
    throw new Error(`no end for line ${start} of ${name}`);
  };
  return {
    name,
    text,
    lineOf(needle, nth = 1) {
      let seen = 0;
      for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
      throw new Error(`${JSON.stringify(needle)} (#${nth}) is not in ${name}`);
    },
    braceEnd: (start) => closing(start, (line) => line.startsWith('}')),
    rubyEnd: (start) => closing(start, (line) => line === 'end'),
    indentEnd(start) {
      let last = start;
      for (let i = start; i < lines.length; i++) {
        if (!lines[i]!.trim()) continue;
        if (indent(lines[i]!) <= indent(lines[start - 1]!)) break;
        last = i + 1;
      }
      return last;
    },
  };
}
