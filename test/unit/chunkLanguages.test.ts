// Syntax chunking with the default caps on one realistic file per language: a class with methods and
// doc comments plus free functions. Each table is what a reader draws by applying the chunker's
// rules (syntaxChunker.ts) to the fixture, pointing at lines by their text rather than by number.
// With the default caps (100 lines, 4,000 characters), runs of small pieces stop at 40 lines, a
// class over 40 lines is split at its members, a piece of at most 8 lines is small and joins a
// neighbour (the next one first) when the two stay within 48 lines; a unit is never cut below the
// cap. Every piece here is far below the character limits, so line counts decide. A chunk holding
// several units is named after them in order, with the kind of the first; lines that no piece
// holds (closing braces, `end`) go to the piece before them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createChunker, type Chunker } from '../../server/src/chunk/chunker';
import { assertExactCover, assertWellFormed, outline } from './chunkInvariants';

const FIXTURES = join(__dirname, '..', 'fixtures', 'chunk');
const DEFAULT_CAPS = { maxLines: 100, maxChars: 4000 };

type Row = [number, number, string, string];

/** Lines of a fixture found by their text, as a reader points at them. */
class Fixture {
  readonly lines: string[];
  /** Python and Ruby blocks end by indentation; the rest by their closing brace. */
  private readonly byIndent: boolean;

  constructor(readonly file: string) {
    this.lines = readFileSync(join(FIXTURES, file), 'utf8').split('\n');
    this.byIndent = ['.py', '.rb'].includes(extname(file));
  }

  /** The 1-based line that holds `text`; it must be the only one. */
  line(text: string): number {
    const found = this.lines.flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
    assert.equal(found.length, 1, `${this.file}: "${text}" is on lines [${found.join(', ')}], not on exactly one`);
    return found[0]!;
  }

  /** First line of the unit declared on `line(decl)`: its doc comment, decorators and attributes right above it. */
  start(decl: string): number {
    let first = this.line(decl);
    while (first > 1 && /^\s*(\/\/|\/\*|\*|#(?!include|define)|@|\[)/.test(this.lines[first - 2]!)) first--;
    return first;
  }

  /** Last line of the unit declared on `line(decl)`: its closing brace, its `end`, or its last indented line. */
  end(decl: string): number {
    const from = this.line(decl);
    if (this.byIndent) {
      const indent = (line: string) => line.length - line.trimStart().length;
      const own = indent(this.lines[from - 1]!);
      let last = from;
      for (let i = from; i < this.lines.length; i++) {
        const line = this.lines[i]!;
        if (!line.trim()) continue;
        if (indent(line) <= own) return line.trim() === 'end' && indent(line) === own ? i + 1 : last;
        last = i + 1;
      }
      return last;
    }
    let depth = 0;
    let opened = false;
    for (let i = from - 1; i < this.lines.length; i++) {
      for (const char of this.lines[i]!) {
        if (char === '{') {
          depth++;
          opened = true;
        } else if (char === '}') depth--;
      }
      if (opened && depth === 0) return i + 1;
    }
    throw new Error(`${this.file}: the block opened after "${decl}" never closes`);
  }
}

const EXPECTED: Record<string, { language: string; chunks: (s: Fixture) => Row[] }> = {
  'userService.ts': {
    language: 'typescript',
    chunks: (s) => [
      // Imports and a constant: no named unit. Tiny, but the only neighbour is the split class.
      [1, s.line('export const SESSION_TTL_MS'), 'block', ''],
      // The class (45 lines) is split at its members. Its head (doc comment, decorator, signature,
      // two fields) and the one-line constructor make one run.
      [s.start('export class UserService'), s.line('constructor(private readonly db'), 'class', 'UserService, UserService.constructor'],
      // 14 lines with its doc comment: more than small, a piece of its own.
      [s.start('async login('), s.end('async login('), 'method', 'UserService.login'],
      // logout (4 lines) is tiny and joins the next piece; the class's brace goes with the last member.
      [s.start('logout(sessionId'), s.end('export class UserService'), 'method', 'UserService.logout, UserService.currentUser'],
      // Three small units after the class gather into one run.
      [s.start('interface Session'), s.end('function randomId'), 'interface', 'Session, hashPassword, randomId'],
    ],
  },
  'TodoList.tsx': {
    language: 'tsx',
    chunks: (s) => [
      // The import and two small interfaces: one run.
      [1, s.end('interface TodoListProps'), 'interface', 'Todo, TodoListProps'],
      // The component is one function of 41 lines: not a class, so not split. The one-line
      // openCount after it is tiny, has no next neighbour, and joins it (44 lines together).
      [s.start('export function TodoList'), s.line('export const openCount'), 'function', 'TodoList, openCount'],
    ],
  },
  'eventBus.js': {
    language: 'javascript',
    chunks: (s) => [
      [1, s.line('const MAX_LISTENERS'), 'block', ''],
      // The class (41 lines) is split; its head with the private field and the 5-line constructor are one run.
      [s.start('class EventBus'), s.end('constructor(logger)'), 'class', 'EventBus, EventBus.constructor'],
      [s.start('on(pattern, handler)'), s.end('on(pattern, handler)'), 'method', 'EventBus.on'],
      [s.start('publish(name, payload)'), s.end('class EventBus'), 'method', 'EventBus.publish'],
      // An arrow function takes the name of its const; the export line after it has no unit and joins the run.
      [s.start('const matches ='), s.line('module.exports'), 'function', 'matches'],
    ],
  },
  'inventory.py': {
    language: 'python',
    chunks: (s) => [
      // Docstring, imports, logger and the 4-line dataclass with its decorator: one run, named after its only unit.
      [1, s.end('class Item:'), 'class', 'Item'],
      // The class (42 lines) is split. Its head (signature, docstring) and the 3-line __init__
      // make a tiny run, which joins the next piece: add with its comment.
      [s.start('class Inventory:'), s.end('def add('), 'class', 'Inventory, Inventory.__init__, Inventory.add'],
      [s.start('def remove('), s.end('def remove('), 'method', 'Inventory.remove'],
      // Two small methods, the second with its decorator, to the end of the class.
      [s.start('def find('), s.end('class Inventory:'), 'method', 'Inventory.find, Inventory.total'],
      // Small, but its only neighbour is the split class.
      [s.start('def restock('), s.end('def restock('), 'function', 'restock'],
    ],
  },
  'cache.go': {
    language: 'go',
    chunks: (s) => [
      // Package, imports, a constant, two small types and New: all small, one run of 29 lines.
      // A struct type is a class. Go methods are top-level, so nothing is split.
      [1, s.end('func New('), 'class', 'Cache, entry, New'],
      // 15 lines: a piece of its own (and the run could not have grown past 40 lines with it).
      [s.start('func (c *Cache) Get('), s.end('func (c *Cache) Get('), 'method', 'Cache.Get'],
      // Set (6 lines) is tiny and joins the next piece. Methods are named after their receiver.
      [s.start('func (c *Cache) Set('), s.end('func (c *Cache) Purge('), 'method', 'Cache.Set, Cache.Purge'],
    ],
  },
  'shapes.rs': {
    language: 'rust',
    chunks: (s) => [
      // The uses, the trait and the struct (doc comment and attribute included): one run; a trait is an interface.
      [1, s.end('pub struct Circle'), 'interface', 'Shape, Circle'],
      // `impl Circle` (42 lines) is split at its methods. Its first line and `new` (4 lines) make a
      // tiny run that joins `scale` (9 lines).
      [s.line('impl Circle {'), s.end('pub fn scale('), 'class', 'Circle, Circle.new, Circle.scale'],
      [s.start('pub fn grow('), s.end('pub fn contains('), 'method', 'Circle.grow, Circle.diameter, Circle.contains'],
      // 9 lines: a piece of its own, with the impl's closing brace.
      [s.start('pub fn union('), s.end('impl Circle {'), 'method', 'Circle.union'],
      // Two small trait impls and total_area: one run. An impl is named after the type it is for,
      // so both impls read `Circle` and the traits (Shape, Display) are not in the name.
      [s.line('impl Shape for Circle'), s.end('pub fn total_area('), 'class', 'Circle, total_area'],
    ],
  },
  'OrderQueue.java': {
    language: 'java',
    chunks: (s) => [
      [1, s.line('import java.util.Optional;'), 'block', ''],
      // The class (46 lines) is split. Its head (doc comment, annotation, signature, two fields:
      // 8 lines) is tiny and joins offer.
      [s.start('public class OrderQueue'), s.end('public boolean offer('), 'class', 'OrderQueue, OrderQueue.offer'],
      [s.start('public Optional<Order> next()'), s.end('public Optional<Order> next()'), 'method', 'OrderQueue.next'],
      [s.start('public int rejected()'), s.end('public class OrderQueue'), 'method', 'OrderQueue.rejected, OrderQueue.cancelCustomer'],
      // Small, but its only neighbour is the split class.
      [s.start('final class QueueStats'), s.end('final class QueueStats'), 'class', 'QueueStats'],
    ],
  },
  'ringbuf.c': {
    language: 'c',
    chunks: (s) => [
      // Includes, a define, the struct with its comment and the typedef: one run; a struct is a class.
      [1, s.line('typedef struct ring ring_t;'), 'class', 'ring, ring_t'],
      [s.start('ring_t *ring_new('), s.end('ring_t *ring_new('), 'function', 'ring_new'],
      // ring_free (5 lines) is tiny and last in the file: it joins the piece before it.
      [s.start('size_t ring_write('), s.end('void ring_free('), 'function', 'ring_write, ring_free'],
    ],
  },
  'matrix.cpp': {
    language: 'cpp',
    chunks: (s) => [
      [1, s.line('#include <stdexcept>'), 'block', ''],
      // The namespace (64 lines) is split at its members, and so is the class in it (51 lines).
      // The namespace's first line is a tiny head that goes with the class's first piece: its head
      // (doc comment, signature, `public:`), the one-line constructor and `at` (7 lines).
      [s.line('namespace linalg {'), s.end('double &at('), 'class', 'linalg.Matrix, linalg.Matrix.Matrix, linalg.Matrix.at'],
      [s.start('Matrix multiply('), s.end('Matrix multiply('), 'method', 'linalg.Matrix.multiply'],
      // rows(), cols() and the private fields make a tiny run at the end of the class: it joins transpose.
      [s.start('Matrix transpose()'), s.end('class Matrix {'), 'method', 'linalg.Matrix.transpose, linalg.Matrix.rows, linalg.Matrix.cols'],
      // Small and after the split class; it takes the namespace's closing line.
      [s.start('double trace('), s.end('namespace linalg {'), 'function', 'linalg.trace'],
    ],
  },
  'Ledger.cs': {
    language: 'csharp',
    chunks: (s) => [
      [1, s.line('using System.Collections.Generic;'), 'block', ''],
      // The namespace (47 lines) and the class (41 lines) are both split. The namespace's head
      // joins the class's first piece: head, field, the Owner property and the constructor.
      // A C# namespace does not qualify the names inside it.
      [s.line('namespace Accounts.Core'), s.end('public Ledger(string owner)'), 'class', 'Ledger, Ledger.Owner, Ledger.Ledger'],
      [s.start('public Entry Post('), s.end('public Entry Post('), 'method', 'Ledger.Post'],
      [s.start('public long BalanceAt('), s.end('public class Ledger'), 'method', 'Ledger.BalanceAt'],
      // Alone after the split class, with the namespace's closing brace; a record is a class.
      [s.start('public record Entry('), s.end('namespace Accounts.Core'), 'class', 'Entry'],
    ],
  },
  'library.rb': {
    language: 'ruby',
    chunks: (s) => [
      [1, s.line("require 'date'"), 'block', ''],
      // The module (52 lines) and the class (45 lines) are both split. The module's first line joins
      // the class's first piece: comment, signature, constant, attr_reader and initialize.
      [s.line('module Library'), s.end('def initialize('), 'class', 'Library.Book, Library.Book.initialize'],
      // 9 lines with its comment: more than small.
      [s.start('def lend('), s.end('def lend('), 'method', 'Library.Book.lend'],
      // Four small methods and `private`: one run of 23 lines, to the class's `end`.
      [s.start('def give_back'), s.end('class Book'), 'method', 'Library.Book.give_back, Library.Book.days_late, Library.Book.available?, Library.Book.log'],
      // A singleton method is a method even outside a class; it takes the module's `end`.
      [s.start('def self.overdue('), s.end('module Library'), 'method', 'Library.overdue'],
    ],
  },
  'cart.php': {
    language: 'php',
    chunks: (s) => [
      // The opening tag, the namespace statement (no body: it encloses nothing) and the uses: one
      // run, named after its one unit.
      [1, s.line('use InvalidArgumentException;'), 'module', 'Shop.Checkout'],
      // The class (41 lines) is split; its head (doc comment, attribute, signature, field) and the
      // empty constructor are one run.
      [s.start('final class Cart'), s.end('public function __construct('), 'class', 'Cart, Cart.__construct'],
      [s.start('public function add('), s.end('public function add('), 'method', 'Cart.add'],
      // isEmpty (4 lines) is tiny and last in the class: it joins total.
      [s.start('public function total('), s.end('final class Cart'), 'method', 'Cart.total, Cart.isEmpty'],
      [s.start('function format_price('), s.end('function format_price('), 'function', 'format_price'],
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
      assert.deepEqual(outline(result), expected.chunks(new Fixture(file)));
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
