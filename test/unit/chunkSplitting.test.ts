// How syntax chunking sizes its chunks: big units split at child boundaries, huge bodies become
// windows that keep the symbol, tiny neighbours merge, and comments attach only when adjacent.
// Inputs are generated, so expected line numbers follow from how each input is built.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChunker, type Chunker } from '../../server/src/chunk/chunker';
import { assertExactCover, assertWellFormed, outline } from './chunkInvariants';

const DEFAULT_CAPS = { maxLines: 100, maxChars: 4000 };

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** A TS method of exactly 14 lines: 3 of doc comment, signature, 9 statements, closing brace. */
function method(i: number): string[] {
  return [
    `  /**`,
    `   * Step ${i} of the pipeline.`,
    `   */`,
    `  step${i}(input: number): number {`,
    ...range(9).map((j) => `    input = input * ${j + 2} + ${i};`),
    `  }`,
  ];
}

describe('syntax chunk sizes', () => {
  let chunker: Chunker;
  before(async () => {
    chunker = await createChunker();
  });
  after(() => chunker.dispose());

  it('splits a class over the cap into its methods, the class head going with the first', async () => {
    const head = ['/** A long pipeline. */', 'export class Pipeline {', '  private readonly name = "p";', ''];
    const lines = [...head];
    const starts: number[] = [];
    for (const i of range(10)) {
      starts.push(lines.length + 1);
      lines.push(...method(i), '');
    }
    lines.push('}');
    const text = lines.join('\n');
    const result = await chunker.chunkFile('src/pipeline.ts', text);
    const expected = range(10).map((i): [number, number, string, string] => [starts[i], starts[i] + 13, 'method', `Pipeline.step${i}`]);
    expected[0] = [1, starts[0] + 13, 'class', 'Pipeline, Pipeline.step0'];
    expected[9][1] = lines.length;
    assert.deepEqual(outline(result), expected);
    assert.equal(result.chunks[3].header, 'src/pipeline.ts > export class Pipeline > step3(input: number): number');
    assertWellFormed(result, 'src/pipeline.ts', text, DEFAULT_CAPS);
    assertExactCover(result, 'src/pipeline.ts', text);
  });

  it('keeps a class under the target whole', async () => {
    const lines = ['export class Small {', ...method(0), ...method(1), '}'];
    const result = await chunker.chunkFile('small.ts', lines.join('\n'));
    assert.deepEqual(outline(result), [[1, 30, 'class', 'Small']]);
  });

  it('cuts a huge function at statement boundaries and keeps its symbol', async () => {
    const lines = ['def huge():', ...range(250).map((i) => `    total_${i} = compute(${i})`)];
    const text = lines.join('\n');
    const result = await chunker.chunkFile('jobs/huge.py', text);
    assert.ok(result.chunks.length >= 7, `${result.chunks.length} chunks`);
    for (const chunk of result.chunks) {
      assert.equal(chunk.symbol, 'huge');
      assert.equal(chunk.kind, 'function');
      assert.equal(chunk.header, 'jobs/huge.py > def huge()');
      assert.ok(chunk.endLine - chunk.startLine < 40, `${chunk.startLine}-${chunk.endLine}`);
    }
    assertExactCover(result, 'jobs/huge.py', text);
  });

  it('stays within the caps when only the main branch of a unit has children to split at', async () => {
    const lines = [
      'def branchy(flag):',
      '    if flag:',
      ...range(900).map((i) => `        step_${i} = run(${i})`),
      '    else:',
      ...range(150).map((i) => `        undo_${i} = revert(${i})`),
    ];
    const text = lines.join('\n');
    const result = await chunker.chunkFile('branchy.py', text);
    assert.ok(result.chunks.every((chunk) => chunk.symbol === 'branchy'));
    assertWellFormed(result, 'branchy.py', text, DEFAULT_CAPS);
    assertExactCover(result, 'branchy.py', text);
  });

  it('windows a huge unit without children, keeping its symbol', async () => {
    const lines = ['export function report(): string {', '  return `', ...range(250).map((i) => `row ${i}`), '`;', '}'];
    const text = lines.join('\n');
    const result = await chunker.chunkFile('report.ts', text);
    assert.ok(result.chunks.length >= 3);
    for (const chunk of result.chunks) {
      assert.equal(chunk.symbol, 'report');
      assert.equal(chunk.kind, 'function');
    }
    assertWellFormed(result, 'report.ts', text, DEFAULT_CAPS);
    assertExactCover(result, 'report.ts', text);
  });

  it('merges tiny functions into runs up to the target size', async () => {
    const text = range(30)
      .map((i) => `func f${i}() int { return ${i} }`)
      .join('\n\n');
    const result = await chunker.chunkFile('consts.go', text);
    assert.deepEqual(outline(result), [
      [1, 39, 'function', 'f0, f1, f2, f3, …'],
      [41, 59, 'function', 'f20, f21, f22, f23, …'],
    ]);
  });

  it('groups one-line declarations into blocks', async () => {
    const text = range(60)
      .map((i) => `export const LIMIT_${i} = ${i};`)
      .join('\n');
    const result = await chunker.chunkFile('limits.ts', text);
    assert.deepEqual(outline(result), [
      [1, 40, 'block', ''],
      [41, 60, 'block', ''],
    ]);
  });

  it('qualifies nested units: Outer.Inner.method', async () => {
    const small = await createChunker({ maxChunkLines: 12 });
    try {
      const ts = [
        'export namespace Outer {',
        '  export class Inner {',
        ...method(1),
        '',
        ...method(2),
        '  }',
        '}',
      ].join('\n');
      const tsSymbols = (await small.chunkFile('nested.ts', ts)).chunks.map((chunk) => chunk.symbol);
      assert.ok(tsSymbols.includes('Outer.Inner.step2'), tsSymbols.join(' | '));
      const py = [
        'class Outer:',
        '    class Inner:',
        ...[1, 2].flatMap((i) => [`        def run${i}(self):`, ...range(6).map((j) => `            self.x = ${i * j}`), '']),
      ].join('\n');
      const pySymbols = (await small.chunkFile('nested.py', py)).chunks.map((chunk) => chunk.symbol);
      assert.ok(pySymbols.includes('Outer.Inner.run2'), pySymbols.join(' | '));
    } finally {
      small.dispose();
    }
  });

  it('attaches a doc comment only when no blank line parts it from the unit', async () => {
    const body = range(50).map((i) => `  n += ${i};`);
    const text = [
      '// A note about the module, not about any function.',
      '',
      'function first(n: number): number {',
      ...body,
      '  return n;',
      '}',
      '/** Doubles after summing. */',
      'function second(n: number): number {',
      ...body,
      '  return 2 * n;',
      '}',
    ].join('\n');
    const result = await chunker.chunkFile('notes.ts', text);
    const first = result.chunks.find((chunk) => chunk.symbol === 'first');
    const second = result.chunks.find((chunk) => chunk.symbol === 'second');
    assert.equal(first?.startLine, 3);
    assert.equal(second?.startLine, 56);
    assertExactCover(result, 'notes.ts', text);
  });

  it('reads CRLF files like LF files, with LF text', async () => {
    const lf = readFileSync(join(__dirname, '..', 'fixtures', 'chunk', 'userService.ts'), 'utf8');
    const crlf = lf.replace(/\n/g, '\r\n');
    const [a, b] = [await chunker.chunkFile('a.ts', lf), await chunker.chunkFile('a.ts', crlf)];
    assert.deepEqual(outline(b), outline(a));
    assert.deepEqual(
      b.chunks.map((chunk) => chunk.text),
      a.chunks.map((chunk) => chunk.text),
    );
    assertExactCover(b, 'a.ts', crlf);
  });

  it('puts each over-long line in a chunk of its own', async () => {
    const long = (name: string): string => `const ${name} = "${'x'.repeat(9000)}";`;
    const text = [long('a'), long('b'), 'const c = 1;', long('d')].join('\n');
    const result = await chunker.chunkFile('bundle.js', text);
    assert.deepEqual(
      result.chunks.map((chunk) => [chunk.startLine, chunk.endLine]),
      [
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
      ],
    );
    assertWellFormed(result, 'bundle.js', text, DEFAULT_CAPS);
  });

  it('still chunks by syntax around a local syntax error', async () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'chunk', 'userService.ts'), 'utf8').replace(
      'this.sessions.delete(sessionId);',
      'this.sessions.delete(sessionId;;',
    );
    const result = await chunker.chunkFile('broken.ts', text);
    assert.equal(result.method, 'syntax');
    assert.ok(result.chunks.some((chunk) => chunk.symbol === 'UserService.login'));
    assertExactCover(result, 'broken.ts', text);
  });
});
