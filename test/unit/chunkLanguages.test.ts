// Syntax chunking with the default caps on one realistic file per language: a class with methods and
// doc comments plus free functions. Each table lists the chunks a reader would draw by hand:
// big classes split into methods, each method with its doc comment and decorators, small
// neighbours sharing a chunk, the class head going with the first members.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChunker, type Chunker } from '../../server/src/chunk/chunker';
import { assertExactCover, assertWellFormed, outline } from './chunkInvariants';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunk');
const DEFAULT_CAPS = { maxLines: 100, maxChars: 4000 };

type Row = [number, number, string, string];

const EXPECTED: Record<string, { language: string; chunks: Row[] }> = {
  'userService.ts': {
    language: 'typescript',
    chunks: [
      [1, 5, 'block', ''],
      [7, 16, 'class', 'UserService, UserService.constructor'],
      [18, 31, 'method', 'UserService.login'],
      [33, 51, 'method', 'UserService.logout, UserService.currentUser'],
      [53, 66, 'interface', 'Session, hashPassword, randomId'],
    ],
  },
  'TodoList.tsx': {
    language: 'tsx',
    chunks: [
      [1, 13, 'interface', 'Todo, TodoListProps'],
      [15, 58, 'function', 'TodoList, openCount'],
    ],
  },
  'eventBus.js': {
    language: 'javascript',
    chunks: [
      [1, 5, 'block', ''],
      [7, 18, 'class', 'EventBus, EventBus.constructor'],
      [20, 32, 'method', 'EventBus.on'],
      [34, 47, 'method', 'EventBus.publish'],
      [49, 56, 'function', 'matches'],
    ],
  },
  'inventory.py': {
    language: 'python',
    chunks: [
      [1, 11, 'class', 'Item'],
      [14, 31, 'class', 'Inventory, Inventory.__init__, Inventory.add'],
      [33, 44, 'method', 'Inventory.remove'],
      [46, 55, 'method', 'Inventory.find, Inventory.total'],
      [58, 62, 'function', 'restock'],
    ],
  },
  'cache.go': {
    language: 'go',
    chunks: [
      [1, 29, 'class', 'Cache, entry, New'],
      [31, 45, 'method', 'Cache.Get'],
      [47, 68, 'method', 'Cache.Set, Cache.Purge'],
    ],
  },
  'shapes.rs': {
    language: 'rust',
    chunks: [
      [1, 13, 'interface', 'Shape, Circle'],
      [15, 29, 'class', 'Circle, Circle.new, Circle.scale'],
      [31, 45, 'method', 'Circle.grow, Circle.diameter, Circle.contains'],
      [47, 56, 'method', 'Circle.union'],
      [58, 73, 'class', 'Circle, total_area'],
    ],
  },
  'OrderQueue.java': {
    language: 'java',
    chunks: [
      [1, 5, 'block', ''],
      [7, 24, 'class', 'OrderQueue, OrderQueue.offer'],
      [26, 39, 'method', 'OrderQueue.next'],
      [41, 52, 'method', 'OrderQueue.rejected, OrderQueue.cancelCustomer'],
      [54, 59, 'class', 'QueueStats'],
    ],
  },
  'ringbuf.c': {
    language: 'c',
    chunks: [
      [1, 14, 'class', 'ring, ring_t'],
      [16, 30, 'function', 'ring_new'],
      [32, 48, 'function', 'ring_write, ring_free'],
    ],
  },
  'matrix.cpp': {
    language: 'cpp',
    chunks: [
      [1, 2, 'block', ''],
      [4, 17, 'class', 'linalg.Matrix, linalg.Matrix.Matrix, linalg.Matrix.at'],
      [19, 36, 'method', 'linalg.Matrix.multiply'],
      [38, 56, 'method', 'linalg.Matrix.transpose, linalg.Matrix.rows, linalg.Matrix.cols'],
      [58, 67, 'function', 'linalg.trace'],
    ],
  },
  'Ledger.cs': {
    language: 'csharp',
    chunks: [
      [1, 2, 'block', ''],
      [4, 17, 'class', 'Ledger, Ledger.Owner, Ledger.Ledger'],
      [19, 30, 'method', 'Ledger.Post'],
      [32, 46, 'method', 'Ledger.BalanceAt'],
      [48, 50, 'class', 'Entry'],
    ],
  },
  'library.rb': {
    language: 'ruby',
    chunks: [
      [1, 1, 'block', ''],
      [3, 13, 'class', 'Library.Book, Library.Book.initialize'],
      [15, 23, 'method', 'Library.Book.lend'],
      [25, 48, 'method', 'Library.Book.give_back, Library.Book.days_late, Library.Book.available?, Library.Book.log'],
      [50, 54, 'method', 'Library.overdue'],
    ],
  },
  'cart.php': {
    language: 'php',
    chunks: [
      [1, 6, 'module', 'Shop.Checkout'],
      [8, 18, 'class', 'Cart, Cart.__construct'],
      [20, 32, 'method', 'Cart.add'],
      [34, 48, 'method', 'Cart.total, Cart.isEmpty'],
      [50, 54, 'function', 'format_price'],
    ],
  },
};

describe('syntax chunks per language', () => {
  let chunker: Chunker;
  before(async () => {
    chunker = await createChunker();
  });
  after(() => chunker.dispose());

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${expected.language}: ${file}`, async () => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const path = `src/${file}`;
      const result = await chunker.chunkFile(path, text);
      assert.equal(result.method, 'syntax');
      assert.equal(result.fallbackReason, undefined);
      assert.deepEqual(outline(result), expected.chunks);
      assert.ok(result.chunks.every((chunk) => chunk.language === expected.language));
      assertWellFormed(result, path, text, DEFAULT_CAPS);
      assertExactCover(result, path, text);
    });
  }

  it('gives a method the enclosing signatures as its header', async () => {
    const text = readFileSync(join(FIXTURES, 'userService.ts'), 'utf8');
    const { chunks } = await chunker.chunkFile('src/userService.ts', text);
    const login = chunks.find((chunk) => chunk.symbol === 'UserService.login');
    assert.equal(login?.header, 'src/userService.ts > export class UserService > async login(email: string, password: string): Promise<Session | null>');
    assert.ok(login?.text.startsWith('  /**\n   * Checks a user'), 'the doc comment opens the chunk');
  });

  it('keeps decorators and attributes with their unit', async () => {
    const java = await chunker.chunkFile('OrderQueue.java', readFileSync(join(FIXTURES, 'OrderQueue.java'), 'utf8'));
    assert.match(java.chunks.find((chunk) => chunk.symbol === 'OrderQueue.next')?.text ?? '', /^ {4}\/\*\*[^]*@Override\n/);
    const python = await chunker.chunkFile('inventory.py', readFileSync(join(FIXTURES, 'inventory.py'), 'utf8'));
    assert.match(python.chunks.find((chunk) => chunk.symbol.includes('Inventory.total'))?.text ?? '', /@property\n {4}def total/);
  });

  it('names Go methods after their receiver and Rust methods after the impl type', async () => {
    const go = await chunker.chunkFile('cache.go', readFileSync(join(FIXTURES, 'cache.go'), 'utf8'));
    assert.equal(go.chunks.find((chunk) => chunk.symbol === 'Cache.Get')?.header, 'cache.go > func (c *Cache) Get(key string) (string, bool)');
    const rust = await chunker.chunkFile('shapes.rs', readFileSync(join(FIXTURES, 'shapes.rs'), 'utf8'));
    assert.equal(rust.chunks.find((chunk) => chunk.symbol === 'Circle.union')?.header, 'shapes.rs > impl Circle > pub fn union(&self, other: &Circle) -> Circle');
  });
});
