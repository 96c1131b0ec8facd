// Markdown chunks by heading: sections with heading paths, fenced code and front matter ignored
// as headings, big sections split at subsections or paragraphs, small sections gathered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChunker, type Chunker } from '../../server/src/chunk/chunker';
import { assertExactCover, assertWellFormed, outline } from './chunkInvariants';

const guide = readFileSync(join(__dirname, '..', 'fixtures', 'chunk', 'guide.md'), 'utf8');

describe('markdown chunks', () => {
  let chunker: Chunker;
  let small: Chunker;
  before(async () => {
    chunker = await createChunker();
    small = await createChunker({ maxChunkLines: 8 });
  });
  after(() => {
    chunker.dispose();
    small.dispose();
  });

  it('keeps sections that fit whole, merging small ones with their neighbours', async () => {
    const result = await chunker.chunkFile('docs/guide.md', guide);
    assert.equal(result.method, 'markdown');
    assert.deepEqual(outline(result), [[1, 31, 'section', 'Install, Usage']]);
    assertExactCover(result, 'docs/guide.md', guide);
  });

  it('splits big sections into subsections named by heading path, ignoring # in code and front matter', async () => {
    const result = await small.chunkFile('docs/guide.md', guide);
    assert.deepEqual(outline(result), [
      [1, 5, 'section', ''],
      [7, 9, 'section', 'Install'],
      [11, 18, 'section', 'Install > Linux'],
      [20, 22, 'section', 'Install > macOS'],
      [24, 31, 'section', 'Usage'],
    ]);
    assert.equal(result.chunks[2].header, 'docs/guide.md > Install > Linux');
    assertWellFormed(result, 'docs/guide.md', guide, { maxLines: 8, maxChars: 4000 });
    assertExactCover(result, 'docs/guide.md', guide);
  });

  it('reads setext headings', async () => {
    const text = ['Title', '=====', '', 'Intro.', '', 'Part', '----', '', ...Array.from({ length: 8 }, (_, i) => `Line ${i}.`)].join('\n');
    const result = await small.chunkFile('README.md', text);
    assert.deepEqual(
      result.chunks.map((chunk) => chunk.symbol),
      ['Title', 'Title > Part', 'Title > Part'],
    );
  });

  it('cuts a long section without subsections at paragraph starts', async () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => [`Paragraph ${i} starts here`, 'and goes on.'].join('\n'));
    const text = ['# Notes', '', paragraphs.join('\n\n')].join('\n');
    const result = await small.chunkFile('notes.md', text);
    assert.ok(result.chunks.length > 1);
    for (const chunk of result.chunks) {
      assert.equal(chunk.symbol, 'Notes');
      assert.match(chunk.text, /^(# Notes|Paragraph \d+ starts here)\n/, 'windows start at a paragraph');
    }
    assertWellFormed(result, 'notes.md', text, { maxLines: 8, maxChars: 4000 });
    assertExactCover(result, 'notes.md', text);
  });

  it('gathers small sections, such as changelog entries, up to the target size', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => `## 1.0.${i}\n\n- fixed bug ${i}`);
    const text = ['# Changelog', '', entries.join('\n\n')].join('\n');
    const result = await chunker.chunkFile('CHANGELOG.md', text);
    assert.ok(result.chunks.length >= 5 && result.chunks.length <= 8, `${result.chunks.length} chunks`);
    // Target 40 lines, give or take one small section.
    assert.ok(result.chunks.every((chunk) => chunk.endLine - chunk.startLine < 48));
    assert.equal(result.chunks[0].symbol, 'Changelog');
    assertExactCover(result, 'CHANGELOG.md', text);
  });
});
