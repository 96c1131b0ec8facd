// Definitions of one fixture per language, each with the cases that trip taggers up: overloads,
// nested functions, methods of one name in two classes, Go receivers, Rust impl and trait impl
// blocks, decorated Python functions, arrow-function consts, top-level constants. Every expected
// line is found by searching the fixture's text.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSymbolExtractor, type SymbolDefinition } from '../../server/src/symbols/extractor';
import { readFixture, type Fixture } from './symbolsFixture';

/** [kind, container, name, start line]. */
type Row = [SymbolDefinition['kind'], string, string, number];

const extractor = createSymbolExtractor();
after(() => extractor.dispose());

async function definitionsOf(fixture: Fixture): Promise<SymbolDefinition[]> {
  const outcome = await extractor.symbolsOf(fixture.name, fixture.text);
  if ('failure' in outcome) throw new Error(outcome.failure);
  return outcome.symbols.definitions;
}

const rowsOf = (definitions: SymbolDefinition[]): Row[] => definitions.map((d) => [d.kind, d.container, d.name, d.startLine]);
const byLine = (rows: Row[]): Row[] => [...rows].sort((a, b) => a[3] - b[3] || a[2].localeCompare(b[2]));

/** The definitions must be exactly these, in source order; `ends` checks some end lines too. */
async function expectDefinitions(file: string, expected: (f: Fixture) => Row[], ends: (f: Fixture) => [string, number, number][] = () => []): Promise<void> {
  const fixture = readFixture(file);
  const definitions = await definitionsOf(fixture);
  assert.deepEqual(rowsOf(definitions), byLine(expected(fixture)));
  for (const [name, start, end] of ends(fixture)) {
    const found = definitions.find((d) => d.name === name && d.startLine === start);
    assert.equal(found?.endLine, end, `end of ${name} at ${start}`);
  }
}

describe('symbol definitions', () => {
  it('Python: decorated methods start at def, nested functions and lambdas, capitalised constants only', () =>
    expectDefinitions(
      'shapes.py',
      (f) => [
        ['constant', '', 'MAX_SIDES', f.lineOf('MAX_SIDES =')],
        ['constant', '', '_DEFAULT_UNIT', f.lineOf('_DEFAULT_UNIT =')],
        ['function', '', 'register', f.lineOf('def register')],
        ['class', '', 'Shape', f.lineOf('class Shape')],
        ['method', 'Shape', 'area', f.lineOf('def area', 1)],
        ['class', '', 'Circle', f.lineOf('class Circle')],
        ['method', 'Circle', '__init__', f.lineOf('def __init__', 1)],
        ['method', 'Circle', 'area', f.lineOf('def area', 2)],
        ['method', 'Circle', 'scale', f.lineOf('def scale')],
        ['class', '', 'Square', f.lineOf('class Square')],
        ['method', 'Square', '__init__', f.lineOf('def __init__', 2)],
        ['method', 'Square', 'area', f.lineOf('def area', 3)],
        ['method', 'Square', 'unit', f.lineOf('def unit')],
        ['function', '', 'total_area', f.lineOf('def total_area')],
        ['function', 'total_area', 'area_of', f.lineOf('def area_of')],
        ['function', '', 'by_area', f.lineOf('by_area = lambda')],
      ],
      (f) => [
        ['Circle', f.lineOf('class Circle'), f.indentEnd(f.lineOf('class Circle'))],
        ['area', f.lineOf('def area', 2), f.indentEnd(f.lineOf('def area', 2))],
      ],
    ));

  it('Go: methods belong to their receiver type, interface methods to the interface, local types to their function', () =>
    expectDefinitions(
      'cache.go',
      (f) => [
        ['constant', '', 'DefaultTTL', f.lineOf('const DefaultTTL')],
        ['constant', '', 'minSize', f.lineOf('minSize =')],
        ['constant', '', 'maxSize', f.lineOf('maxSize =')],
        ['type', '', 'Clock', f.lineOf('type Clock')],
        ['interface', '', 'Store', f.lineOf('type Store')],
        ['method', 'Store', 'Get', f.lineOf('Get(key string) (string, bool)')],
        ['method', 'Store', 'Set', f.lineOf('Set(key, value string)')],
        ['class', '', 'entry', f.lineOf('type entry')],
        ['class', '', 'Cache', f.lineOf('type Cache')],
        ['class', '', 'Stack', f.lineOf('type Stack')],
        ['type', '', 'Alias', f.lineOf('type Alias')],
        ['function', '', 'New', f.lineOf('func New')],
        ['method', 'Cache', 'Get', f.lineOf('func (c *Cache) Get')],
        ['method', 'Cache', 'Set', f.lineOf('func (c *Cache) Set')],
        ['method', 'Stack', 'Push', f.lineOf('func (s *Stack[T]) Push')],
        ['method', 'entry', 'Get', f.lineOf('func (e entry) Get')],
        ['function', '', 'evict', f.lineOf('func evict')],
        ['class', 'evict', 'victim', f.lineOf('type victim')],
      ],
      (f) => [
        ['Get', f.lineOf('func (c *Cache) Get'), f.braceEnd(f.lineOf('func (c *Cache) Get'))],
        ['Store', f.lineOf('type Store'), f.braceEnd(f.lineOf('type Store'))],
      ],
    ));

  it('Rust: impl and trait impl blocks scope their items under the type, trait items under the trait', () =>
    expectDefinitions(
      'shapes.rs',
      (f) => [
        ['constant', '', 'MAX_SHAPES', f.lineOf('const MAX_SHAPES')],
        ['constant', '', 'GREETING', f.lineOf('static GREETING')],
        ['interface', '', 'Shape', f.lineOf('pub trait Shape')],
        ['type', 'Shape', 'Unit', f.lineOf('type Unit;')],
        ['method', 'Shape', 'area', f.lineOf('fn area', 1)],
        ['method', 'Shape', 'describe', f.lineOf('fn describe')],
        ['class', '', 'Circle', f.lineOf('pub struct Circle')],
        ['class', '', 'Square', f.lineOf('pub struct Square')],
        ['class', '', 'Wrapper', f.lineOf('pub struct Wrapper')],
        ['enum', '', 'Kind', f.lineOf('pub enum Kind')],
        ['type', '', 'Registry', f.lineOf('pub type Registry')],
        ['method', 'Circle', 'new', f.lineOf('pub fn new')],
        ['type', 'Circle', 'Unit', f.lineOf('type Unit = f64;', 1)],
        ['method', 'Circle', 'area', f.lineOf('fn area', 2)],
        ['method', 'Circle', 'fmt', f.lineOf('fn fmt')],
        ['type', 'Square', 'Unit', f.lineOf('type Unit = f64;', 2)],
        ['method', 'Square', 'area', f.lineOf('fn area', 3)],
        ['method', 'Wrapper', 'inner', f.lineOf('fn inner')],
        ['module', '', 'util', f.lineOf('pub mod util')],
        ['function', 'util', 'total_area', f.lineOf('pub fn total_area')],
        ['function', 'util.total_area', 'area_of', f.lineOf('fn area_of')],
        ['function', '', 'square', f.lineOf('macro_rules! square')],
      ],
      (f) => [['Shape', f.lineOf('pub trait Shape'), f.braceEnd(f.lineOf('pub trait Shape'))]],
    ));

  it('TypeScript: overload signatures, abstract and decorated classes, arrow-function consts and fields, namespaces', () =>
    expectDefinitions('geometry.ts', (f) => [
      ['constant', '', 'MAX_POINTS', f.lineOf('const MAX_POINTS')],
      ['interface', '', 'Point', f.lineOf('interface Point')],
      ['method', 'Point', 'distanceTo', f.lineOf('distanceTo(')],
      ['type', '', 'Polygon', f.lineOf('type Polygon')],
      ['enum', '', 'Unit', f.lineOf('enum Unit')],
      ['function', '', 'area', f.lineOf('function area(polygon')],
      ['function', '', 'area', f.lineOf('function area(radius')],
      ['function', '', 'area', f.lineOf('function area(shape')],
      ['function', '', 'shoelace', f.lineOf('function shoelace')],
      ['function', '', 'perimeter', f.lineOf('const perimeter')],
      ['function', '', 'distance', f.lineOf('const distance')],
      ['class', '', 'Shape', f.lineOf('abstract class Shape')],
      ['method', 'Shape', 'area', f.lineOf('abstract area')],
      ['method', 'Shape', 'describe', f.lineOf('describe(logger')],
      ['class', '', 'Circle', f.lineOf('export class Circle')],
      ['method', 'Circle', 'constructor', f.lineOf('constructor(')],
      ['method', 'Circle', 'area', f.lineOf('  area(): number {')],
      ['method', 'Circle', 'scale', f.lineOf('scale(factor: number): Circle;')],
      ['method', 'Circle', 'scale', f.lineOf('scale(factor: number, unit: Unit): Circle;')],
      ['method', 'Circle', 'scale', f.lineOf('scale(factor: number, unit?: Unit)')],
      ['method', 'Circle', 'onResize', f.lineOf('onResize =')],
      ['module', '', 'Shapes', f.lineOf('namespace Shapes')],
      ['function', 'Shapes', 'unit', f.lineOf('function unit')],
      ['function', '', 'sealed', f.lineOf('declare function sealed')],
      ['constant', '', 'VERSION', f.lineOf('declare const VERSION')],
    ]));

  it('TSX: components as functions and arrow consts, local callbacks in their component', () =>
    expectDefinitions('Gallery.tsx', (f) => [
      ['interface', '', 'GalleryProps', f.lineOf('interface GalleryProps')],
      ['function', '', 'Gallery', f.lineOf('function Gallery')],
      ['function', 'Gallery', 'pick', f.lineOf('const pick')],
      ['function', '', 'EmptyGallery', f.lineOf('const EmptyGallery')],
    ]));

  it('JavaScript: class members (computed names too), prototype methods, named callbacks, methods of returned objects, not of objects passed to calls', () =>
    expectDefinitions('eventBus.js', (f) => [
      ['constant', '', 'WILDCARD', f.lineOf('const WILDCARD')],
      ['class', '', 'EventBus', f.lineOf('class EventBus')],
      ['method', 'EventBus', 'constructor', f.lineOf('constructor()')],
      ['method', 'EventBus', 'on', f.lineOf('on(topic, handler)')],
      ['method', 'EventBus', 'publish', f.lineOf('publish(topic')],
      ['method', 'EventBus', 'size', f.lineOf('get size')],
      ['method', 'EventBus', 'shared', f.lineOf('static shared')],
      ['method', 'EventBus', '[Symbol.iterator]', f.lineOf('*[Symbol.iterator]')],
      ['method', 'EventBus', 'dump', f.lineOf('dump =')],
      ['function', '', 'topics', f.lineOf('function* topics')],
      ['function', '', 'Legacy', f.lineOf('function Legacy')],
      ['method', 'Legacy', 'on', f.lineOf('Legacy.prototype.on')],
      ['function', '', 'matches', f.lineOf('const matches')],
      ['function', '', 'createLogger', f.lineOf('function createLogger')],
      ['function', 'createLogger', 'format', f.lineOf('function format')],
      ['method', 'createLogger', 'log', f.lineOf('log(message)')],
      ['method', 'createLogger', 'warn', f.lineOf('warn: function')],
      ['function', '', 'flushOnExit', f.lineOf('function flushOnExit')],
    ]));

  it('Java: overloads, constructors, records, nested interfaces and enums; annotated methods start after the annotation', () =>
    expectDefinitions('Ledger.java', (f) => [
      ['class', '', 'Ledger', f.lineOf('public class Ledger')],
      ['constant', 'Ledger', 'MAX_ENTRIES', f.lineOf('MAX_ENTRIES')],
      ['method', 'Ledger', 'Ledger', f.lineOf('public Ledger()')],
      ['method', 'Ledger', 'post', f.lineOf('public void post(BigDecimal amount)')],
      ['method', 'Ledger', 'post', f.lineOf('public void post(BigDecimal amount, String memo)')],
      ['method', 'Ledger', 'toString', f.lineOf('public String toString()', 1)],
      ['class', 'Ledger', 'Entry', f.lineOf('public record Entry')],
      ['method', 'Ledger.Entry', 'Entry', f.lineOf('public Entry {')],
      ['method', 'Ledger.Entry', 'toString', f.lineOf('public String toString()', 2)],
      ['interface', 'Ledger', 'Auditor', f.lineOf('interface Auditor')],
      ['method', 'Ledger.Auditor', 'check', f.lineOf('boolean check(')],
      ['method', 'Ledger.Auditor', 'checkAll', f.lineOf('boolean checkAll(')],
      ['enum', 'Ledger', 'Kind', f.lineOf('enum Kind')],
      ['method', 'Ledger.Kind', 'opposite', f.lineOf('Kind opposite()')],
      ['interface', '', 'Audited', f.lineOf('@interface Audited')],
    ]));

  it('C#: namespaces do not qualify, overloads, local functions, structs, records and delegates', () =>
    expectDefinitions('Inventory.cs', (f) => [
      ['module', '', 'Shop.Stock', f.lineOf('namespace Shop.Stock')],
      ['type', '', 'Restocked', f.lineOf('delegate void Restocked')],
      ['interface', '', 'IInventory', f.lineOf('interface IInventory')],
      ['method', 'IInventory', 'Count', f.lineOf('int Count(string sku);')],
      ['class', '', 'Item', f.lineOf('struct Item')],
      ['class', '', 'Price', f.lineOf('record Price')],
      ['enum', '', 'Status', f.lineOf('enum Status')],
      ['class', '', 'Inventory', f.lineOf('public class Inventory')],
      ['constant', 'Inventory', 'MaxItems', f.lineOf('const int MaxItems')],
      ['method', 'Inventory', 'Inventory', f.lineOf('public Inventory()')],
      ['method', 'Inventory', 'Count', f.lineOf('public int Count(string sku) =>')],
      ['method', 'Inventory', 'Add', f.lineOf('public void Add(Item item)')],
      ['method', 'Inventory', 'Add', f.lineOf('public void Add(string sku, int quantity)')],
      ['function', 'Inventory.Add', 'Clamp', f.lineOf('int Clamp(')],
    ]));

  it('C: macros, structs, typedefs (of named and anonymous structs), unions; prototypes define nothing', () =>
    expectDefinitions('ring.c', (f) => [
      ['constant', '', 'RING_MIN', f.lineOf('#define RING_MIN')],
      ['function', '', 'RING_WRAP', f.lineOf('#define RING_WRAP')],
      ['class', '', 'ring', f.lineOf('struct ring {')],
      ['type', '', 'ring_t', f.lineOf('typedef struct ring ring_t')],
      ['type', '', 'ring_stats', f.lineOf('typedef struct {')],
      ['enum', '', 'ring_mode', f.lineOf('enum ring_mode')],
      ['class', '', 'ring_value', f.lineOf('union ring_value')],
      ['function', '', 'ring_index', f.lineOf('static int')],
      ['function', '', 'ring_new', f.lineOf('ring_t *ring_new')],
      ['function', '', 'ring_get', f.lineOf('int ring_get')],
    ]));

  it('C++: out-of-class definitions are methods of their class, overloads, namespaces qualify', () =>
    expectDefinitions('matrix.cpp', (f) => [
      ['module', '', 'geo', f.lineOf('namespace geo {')],
      ['class', 'geo', 'Matrix', f.lineOf('class Matrix {')],
      ['method', 'geo.Matrix', 'rows', f.lineOf('int rows() const {')],
      ['class', 'geo', 'Size', f.lineOf('struct Size {')],
      ['enum', 'geo', 'Layout', f.lineOf('enum class Layout')],
      ['type', 'geo', 'Grid', f.lineOf('using Grid')],
      ['method', 'geo.Matrix', 'Matrix', f.lineOf('Matrix<T>::Matrix(')],
      ['method', 'geo.Matrix', '~Matrix', f.lineOf('Matrix<T>::~Matrix()')],
      ['method', 'geo.Matrix', 'at', f.lineOf('T Matrix<T>::at(')],
      ['function', 'geo', 'size_of', f.lineOf('Size size_of(const Grid')],
      ['function', 'geo', 'size_of', f.lineOf('Size size_of(int rows')],
    ]));

  it('Ruby: modules, singleton methods and `class << self`, methods of one name in two classes, top-level functions', () =>
    expectDefinitions(
      'library.rb',
      (f) => [
        ['module', '', 'Library', f.lineOf('module Library')],
        ['constant', 'Library', 'MAX_LOANS', f.lineOf('MAX_LOANS =')],
        ['class', 'Library', 'Book', f.lineOf('class Book')],
        ['method', 'Library.Book', 'initialize', f.lineOf('def initialize')],
        ['method', 'Library.Book', 'to_s', f.lineOf('def to_s', 1)],
        ['class', 'Library', 'Member', f.lineOf('class Member')],
        ['method', 'Library.Member', 'to_s', f.lineOf('def to_s', 2)],
        ['method', 'Library.Member', 'guest', f.lineOf('def self.guest')],
        ['method', 'Library.Member', 'anonymous', f.lineOf('def anonymous')],
        ['method', 'Library', 'catalog', f.lineOf('def self.catalog')],
        ['function', '', 'lend', f.lineOf('def lend')],
      ],
      (f) => [['Member', f.lineOf('class Member'), f.rubyEnd(f.lineOf('class Member'))]],
    ));

  it('PHP: namespace, functions, traits, enums, class constants, methods of one name in two classes', () =>
    expectDefinitions('cart.php', (f) => [
      ['module', '', 'Shop.Cart', f.lineOf('namespace Shop')],
      ['constant', '', 'MAX_LINES', f.lineOf('const MAX_LINES')],
      ['function', '', 'line_total', f.lineOf('function line_total')],
      ['interface', '', 'Priced', f.lineOf('interface Priced')],
      ['method', 'Priced', 'total', f.lineOf('public function total(): float;')],
      ['class', '', 'Discounts', f.lineOf('trait Discounts')],
      ['method', 'Discounts', 'discount', f.lineOf('public function discount')],
      ['enum', '', 'Currency', f.lineOf('enum Currency')],
      ['class', '', 'Cart', f.lineOf('class Cart')],
      ['constant', 'Cart', 'TAX_RATE', f.lineOf('const TAX_RATE')],
      ['method', 'Cart', 'add', f.lineOf('public function add')],
      ['method', 'Cart', 'total', f.lineOf('public function total(): float', 2)],
      ['class', '', 'Line', f.lineOf('class Line')],
      ['method', 'Line', '__construct', f.lineOf('function __construct')],
      ['method', 'Line', 'total', f.lineOf('public function total(): float', 3)],
    ]));

  it('files of languages without a grammar have no symbols', async () => {
    const outcome = await extractor.symbolsOf('notes.md', '# Title\n\nfunction looksLikeCode() {}\n');
    assert.deepEqual(outcome, { symbols: { definitions: [], references: [] } });
  });
});
