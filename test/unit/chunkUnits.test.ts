// The units a chunk holds: a chunk that merges small functions, or keeps a small class whole,
// lists each function and method so that a search can answer with the one that matched. Expected
// ranges are read off the numbered sources below: a unit ends at its last non-blank line, and
// closing lines of an enclosing unit go to the member before them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createChunker, type Chunker } from '../../server/src/chunk/chunker';

let chunker: Chunker;
before(async () => {
  chunker = await createChunker();
});
after(() => chunker.dispose());

async function unitsOf(path: string, source: string) {
  const { chunks } = await chunker.chunkFile(path, source);
  return chunks.map((chunk) => ({ range: [chunk.startLine, chunk.endLine], units: chunk.units.map((u) => [u.startLine, u.endLine, u.symbol]) }));
}

describe('units inside chunks', () => {
  it('TypeScript: a small class kept whole answers method by method, its head going with the first', async () => {
    const source = [
      'export class Cart {', // 1
      '  private items: number[] = [];', // 2
      '', // 3
      '  total(): number {', // 4
      '    return this.items.reduce((a, b) => a + b, 0);', // 5
      '  }', // 6
      '', // 7
      '  /** Empties the cart. */', // 8
      '  clear(): void {', // 9
      '    this.items = [];', // 10
      '  }', // 11
      '}', // 12
    ].join('\n');
    assert.deepEqual(await unitsOf('cart.ts', source), [
      { range: [1, 12], units: [[1, 2, 'Cart'], [4, 6, 'Cart.total'], [8, 12, 'Cart.clear']] },
    ]);
  });

  it('Python: small functions merged into one chunk each keep their own range', async () => {
    const source = ['import os', '', 'def home():', '    return os.environ["HOME"]', '', 'def user():', '    return os.environ["USER"]', ''].join('\n');
    assert.deepEqual(await unitsOf('env.py', source), [
      { range: [1, 7], units: [[1, 1, ''], [3, 4, 'home'], [6, 7, 'user']] },
    ]);
  });

  it('Go: methods of one receiver, each a unit named after it', async () => {
    const source = ['package q', '', 'func (q *Queue) Len() int { return len(q.items) }', '', 'func (q *Queue) Full() bool {', '\treturn len(q.items) >= q.max', '}', ''].join('\n');
    assert.deepEqual(await unitsOf('queue.go', source), [
      { range: [1, 7], units: [[1, 1, ''], [3, 3, 'Queue.Len'], [5, 7, 'Queue.Full']] },
    ]);
  });

  it('Rust: a short impl head goes with its method instead of outscoring it', async () => {
    const source = [
      'impl From<Vec<u8>> for Buffer {', // 1
      '    fn from(bytes: Vec<u8>) -> Self {', // 2
      '        Buffer { bytes }', // 3
      '    }', // 4
      '}', // 5
      '', // 6
      'impl Buffer {', // 7
      '    pub fn len(&self) -> usize {', // 8
      '        self.bytes.len()', // 9
      '    }', // 10
      '    pub fn is_empty(&self) -> bool {', // 11
      '        self.bytes.is_empty()', // 12
      '    }', // 13
      '}', // 14
    ].join('\n');
    assert.deepEqual(await unitsOf('buffer.rs', source), [
      { range: [1, 14], units: [[1, 5, 'Buffer.from'], [7, 10, 'Buffer.len'], [11, 14, 'Buffer.is_empty']] },
    ]);
  });

  it('a chunk that is one function is one unit', async () => {
    const body = Array.from({ length: 30 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    assert.deepEqual(await unitsOf('big.ts', `function big() {\n${body}\n}\n`), [{ range: [1, 32], units: [[1, 32, 'big']] }]);
  });
});
