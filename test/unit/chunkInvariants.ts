// Checks shared by the chunk tests: what every chunking result must satisfy, whatever the file.
import assert from 'node:assert/strict';
import type { ChunkedFile } from '../../server/src/chunk/types';

export interface Caps {
  maxLines: number;
  maxChars: number;
}

function fileLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** Ranges valid, text exactly the file's lines, header led by the path, sizes within the caps (unless one line). */
export function assertWellFormed(result: ChunkedFile, path: string, text: string, caps: Caps): void {
  const lines = fileLines(text);
  for (const chunk of result.chunks) {
    const where = `${path} ${chunk.startLine}-${chunk.endLine}`;
    assert.equal(chunk.path, path, where);
    assert.ok(chunk.startLine >= 1 && chunk.startLine <= chunk.endLine && chunk.endLine <= lines.length, `${where}: range`);
    assert.equal(chunk.text, lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'), `${where}: text`);
    assert.match(lines[chunk.startLine - 1], /\S/, `${where}: starts on a blank line`);
    assert.match(lines[chunk.endLine - 1], /\S/, `${where}: ends on a blank line`);
    assert.ok(chunk.header.startsWith(path), `${where}: header ${chunk.header}`);
    assert.ok(chunk.header.length <= 240, `${where}: header too long`);
    if (chunk.endLine > chunk.startLine) {
      assert.ok(chunk.endLine - chunk.startLine + 1 <= caps.maxLines, `${where}: over ${caps.maxLines} lines`);
      assert.ok(chunk.text.length <= caps.maxChars, `${where}: ${chunk.text.length} chars over ${caps.maxChars}`);
    }
  }
}

/** For syntax and markdown chunks: in order, no overlaps, every line with text in exactly one chunk. */
export function assertExactCover(result: ChunkedFile, path: string, text: string): void {
  const lines = fileLines(text);
  const owner = new Array<number>(lines.length).fill(0);
  let previousEnd = 0;
  for (const chunk of result.chunks) {
    assert.ok(chunk.startLine > previousEnd, `${path}: chunk at ${chunk.startLine} overlaps or is out of order`);
    previousEnd = chunk.endLine;
    for (let line = chunk.startLine; line <= chunk.endLine; line++) owner[line - 1]++;
  }
  lines.forEach((line, i) => {
    if (/\S/.test(line)) assert.equal(owner[i], 1, `${path}:${i + 1} is in ${owner[i]} chunks: ${line}`);
  });
}

/** For line windows: every line with text in at least one window, windows advancing. */
export function assertWindowsCover(result: ChunkedFile, path: string, text: string): void {
  const lines = fileLines(text);
  const covered = new Array<boolean>(lines.length).fill(false);
  let previous = { startLine: 0, endLine: 0 };
  for (const chunk of result.chunks) {
    assert.ok(chunk.startLine > previous.startLine && chunk.endLine > previous.endLine, `${path}: window ${chunk.startLine} does not advance`);
    previous = chunk;
    for (let line = chunk.startLine; line <= chunk.endLine; line++) covered[line - 1] = true;
  }
  lines.forEach((line, i) => {
    if (/\S/.test(line)) assert.ok(covered[i], `${path}:${i + 1} is in no window`);
  });
}

/** The chunks as `[startLine, endLine, kind, symbol]` rows, for comparing with what a reader expects. */
export function outline(result: ChunkedFile): Array<[number, number, string, string]> {
  return result.chunks.map((chunk) => [chunk.startLine, chunk.endLine, chunk.kind, chunk.symbol]);
}
