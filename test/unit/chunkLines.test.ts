// Line windows for files without a grammar, language ids, and the fall back to windows when a
// parse fails: timeout, a file of syntax errors, a grammar that cannot load.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChunker, languageOf, type Chunker } from '../../server/src/chunk/chunker';
import { locateGrammar, locateRuntimeWasm } from '../../server/src/chunk/grammarLocator';
import { SYNTAX_RULES } from '../../server/src/chunk/languages';
import { assertWellFormed, assertWindowsCover } from './chunkInvariants';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunk');
const userService = readFileSync(join(FIXTURES, 'userService.ts'), 'utf8');

function numbered(count: number, line: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => line(i)).join('\n');
}

describe('language ids', () => {
  it('maps extensions and file names to lower-case ids', () => {
    const cases: Record<string, string> = {
      'src/a.ts': 'typescript',
      'src/a.mts': 'typescript',
      'src/App.tsx': 'tsx',
      'lib/a.jsx': 'javascript',
      'lib/a.mjs': 'javascript',
      'lib/a.cjs': 'javascript',
      'a.py': 'python',
      'a.go': 'go',
      'a.rs': 'rust',
      'A.java': 'java',
      'a.c': 'c',
      'a.h': 'c',
      'a.hpp': 'cpp',
      'a.hh': 'cpp',
      'a.cc': 'cpp',
      'a.cxx': 'cpp',
      'A.cs': 'csharp',
      'a.rb': 'ruby',
      'a.php': 'php',
      'README.md': 'markdown',
      'docs/page.mdx': 'markdown',
      'a.markdown': 'markdown',
      'package.json': 'json',
      'ci.yml': 'yaml',
      'Cargo.toml': 'toml',
      'build.sh': 'shell',
      'schema.sql': 'sql',
      'index.html': 'html',
      'site.css': 'css',
      'notes.txt': 'text',
      Dockerfile: 'dockerfile',
      'sub\\Makefile': 'makefile',
      'LICENSE': 'text',
      'a.unknownext': 'text',
      'weird.constructor': 'text',
    };
    for (const [path, id] of Object.entries(cases)) assert.equal(languageOf(path), id, path);
  });

  it('finds every grammar and the runtime WASM from the sources', () => {
    assert.ok(existsSync(locateRuntimeWasm()));
    for (const rules of Object.values(SYNTAX_RULES)) assert.ok(existsSync(locateGrammar(rules.grammar)), rules.grammar);
  });
});

describe('line windows', () => {
  let chunker: Chunker;
  before(async () => {
    chunker = await createChunker();
  });
  after(() => chunker.dispose());

  it('cuts 60-line windows overlapping by 10', async () => {
    const text = numbered(150, (i) => `key_${i}: ${i}`);
    const result = await chunker.chunkFile('config/app.yaml', text);
    assert.equal(result.method, 'lines');
    assert.equal(result.fallbackReason, undefined);
    assert.deepEqual(
      result.chunks.map((chunk) => [chunk.startLine, chunk.endLine, chunk.kind, chunk.symbol, chunk.language]),
      [
        [1, 60, 'lines', '', 'yaml'],
        [51, 110, 'lines', '', 'yaml'],
        [101, 150, 'lines', '', 'yaml'],
      ],
    );
    assert.equal(result.chunks[0].header, 'config/app.yaml');
    assertWellFormed(result, 'config/app.yaml', text, { maxLines: 60, maxChars: 4000 });
    assertWindowsCover(result, 'config/app.yaml', text);
  });

  it('keeps windows within the character cap when lines are long', async () => {
    const text = numbered(100, (i) => `"${i}": "${'v'.repeat(300)}",`);
    const result = await chunker.chunkFile('data.json', text);
    assert.ok(result.chunks.length > 8);
    assertWellFormed(result, 'data.json', text, { maxLines: 60, maxChars: 4000 });
    assertWindowsCover(result, 'data.json', text);
  });

  it('skips blank edges and gives nothing for an empty file', async () => {
    assert.deepEqual((await chunker.chunkFile('empty.txt', '')).chunks, []);
    assert.deepEqual((await chunker.chunkFile('blank.sql', '\n  \n\t\n')).chunks, []);
    const result = await chunker.chunkFile('run.sh', '\n\necho hi\n\n');
    assert.deepEqual(
      result.chunks.map((chunk) => [chunk.startLine, chunk.endLine, chunk.text]),
      [[3, 3, 'echo hi']],
    );
  });
});

describe('fallback to line windows', () => {
  it('falls back when the parse outlasts its time budget, logging once, and parses the next file', async () => {
    const messages: string[] = [];
    const chunker = await createChunker({ parseTimeoutMs: 0, log: (message) => messages.push(message) });
    try {
      const big = Array.from({ length: 20 }, () => userService).join('\n');
      const result = await chunker.chunkFile('src/big.ts', big);
      assert.equal(result.method, 'lines');
      assert.equal(result.fallbackReason, 'parse timeout');
      assert.equal(messages.length, 1);
      assert.match(messages[0], /src\/big\.ts.*parse timeout/);
      assertWindowsCover(result, 'src/big.ts', big);
      const tiny = await chunker.chunkFile('src/tiny.ts', 'export const x = 1;\n');
      assert.equal(tiny.method, 'syntax');
    } finally {
      chunker.dispose();
    }
  });

  it('falls back for a file that is mostly syntax errors', async () => {
    const messages: string[] = [];
    const chunker = await createChunker({ log: (message) => messages.push(message) });
    try {
      const garbage = numbered(30, (i) => `} ) => class ${i} :: @@ { ( " let ;; ]`);
      const result = await chunker.chunkFile('src/garbage.ts', garbage);
      assert.equal(result.method, 'lines');
      assert.equal(result.fallbackReason, 'mostly syntax errors');
      assert.equal(messages.length, 1);
    } finally {
      chunker.dispose();
    }
  });

  it('falls back with the reason when a grammar cannot load', async () => {
    const messages: string[] = [];
    const chunker = await createChunker({ locateGrammar: () => join(FIXTURES, 'guide.md'), log: (message) => messages.push(message) });
    try {
      const result = await chunker.chunkFile('src/userService.ts', userService);
      assert.equal(result.method, 'lines');
      assert.match(result.fallbackReason ?? '', /^grammar unavailable: /);
      assert.equal(messages.length, 1);
      assert.equal((await chunker.chunkFile('README.md', '# Title\n\nText.')).method, 'markdown');
    } finally {
      chunker.dispose();
    }
  });

  it('refuses work after dispose', async () => {
    const chunker = await createChunker();
    chunker.dispose();
    await assert.rejects(chunker.chunkFile('a.ts', 'const a = 1;'), /dispose/);
  });
});
