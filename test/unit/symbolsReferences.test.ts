// References of the symbol fixtures, unit by unit: the names a unit calls, the types it uses, what a
// file imports; never the unit's own name, the names it binds (parameters, loop variables, type
// parameters, also of the units around it) or keywords spelled as names (`self`, `this`).
// Expected names are read off the fixtures' source.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSymbolExtractor, type FileSymbols } from '../../server/src/symbols/extractor';
import { readFixture, type Fixture } from './symbolsFixture';

const extractor = createSymbolExtractor();
after(() => extractor.dispose());

interface UnitCheck {
  /** Qualified symbol, '' for the file's top-level code. */
  symbol: string;
  /** The unit's first line (to tell overloads apart); omitted for the file. */
  line?: number;
  /** Exactly these names, in order of first use… */
  exactly?: string[];
  /** …or at least these, and none of `excludes`. */
  includes?: string[];
  excludes?: string[];
}

async function symbolsOf(fixture: Fixture): Promise<FileSymbols> {
  const outcome = await extractor.symbolsOf(fixture.name, fixture.text);
  if ('failure' in outcome) throw new Error(outcome.failure);
  return outcome.symbols;
}

async function expectReferences(file: string, checks: (f: Fixture) => UnitCheck[]): Promise<void> {
  const fixture = readFixture(file);
  const { definitions, references } = await symbolsOf(fixture);
  const lines = fixture.text.split('\n');
  for (const check of checks(fixture)) {
    const label = `${file} ${check.symbol || '(file)'}${check.line ? `@${check.line}` : ''}`;
    const definition = check.symbol ? definitions.find((d) => (d.container ? `${d.container}.${d.name}` : d.name) === check.symbol && d.startLine === check.line) : null;
    if (check.symbol) assert.ok(definition, `${label}: no such definition`);
    const unit = references.filter((r) => r.symbol === check.symbol && (!definition || r.startLine === definition.startLine));
    if (definition) assert.ok(unit.every((r) => r.endLine === definition.endLine), `${label}: references carry the unit's range`);
    else for (const r of unit) assert.ok(r.startLine === r.endLine && lines[r.startLine - 1]!.includes(r.name.split('.').pop()!), `${label}: ${r.name} is placed on its line, not ${r.startLine}: ${lines[r.startLine - 1]}`);
    const names = unit.map((r) => r.name);
    assert.equal(new Set(names).size, names.length, `${label}: names are distinct`);
    if (check.exactly) assert.deepEqual(names, check.exactly, label);
    for (const name of check.includes ?? []) assert.ok(names.includes(name), `${label} uses ${name}: ${names.join(' ')}`);
    for (const name of check.excludes ?? []) assert.ok(!names.includes(name), `${label} does not use ${name}: ${names.join(' ')}`);
  }
}

describe('symbol references', () => {
  it('Python: calls, decorators, base classes, annotations, imports; not self, parameters or the own name', () =>
    expectReferences('shapes.py', (f) => [
      { symbol: '', includes: ['math', 'OrderedDict', 'namedtuple', 'print', 'total_area', 'Circle', 'Square'] },
      { symbol: 'Circle', line: f.lineOf('class Circle'), exactly: ['register', 'Shape'] },
      { symbol: 'Circle.scale', line: f.lineOf('def scale'), exactly: ['Circle'] },
      { symbol: 'total_area', line: f.lineOf('def total_area'), includes: ['list', 'Shape', 'float', 'sum', 'area_of'], excludes: ['shapes', 'total_area', 'shape'] },
      { symbol: 'total_area.area_of', line: f.lineOf('def area_of'), includes: ['area', 'callable'], excludes: ['shape', 'self'] },
    ]));

  it('Go: method calls, types, imports by package name; not parameters or predeclared names', () =>
    expectReferences('cache.go', (f) => [
      { symbol: '', exactly: ['sync', 'time', 'jitter'] },
      { symbol: 'Cache.Get', line: f.lineOf('func (c *Cache) Get'), includes: ['Cache', 'Lock', 'Unlock', 'now', 'After'], excludes: ['key', 'string', 'bool', 'Get'] },
      { symbol: 'evict', line: f.lineOf('func evict'), includes: ['Cache', 'entry', 'victim'], excludes: ['keep', 'append', 'delete', 'len'] },
    ]));

  it('Rust: an impl block is a unit of its type; its type parameters bind in its methods', () =>
    expectReferences('shapes.rs', (f) => [
      { symbol: '', exactly: ['HashMap', 'Display'] },
      { symbol: 'Circle.fmt', line: f.lineOf('fn fmt'), includes: ['Formatter', 'Result', 'write'], excludes: ['f', 'self'] },
      { symbol: 'Wrapper.inner', line: f.lineOf('fn inner'), exactly: [] },
      { symbol: 'util.total_area.area_of', line: f.lineOf('fn area_of'), includes: ['Shape', 'area'], excludes: ['shape'] },
      { symbol: 'util.total_area', line: f.lineOf('pub fn total_area'), includes: ['iter', 'map', 'area_of', 'sum'], excludes: ['s', 'shapes'] },
    ]));

  it('Rust: the references of `impl Shape for Circle` carry its own range', async () => {
    const fixture = readFixture('shapes.rs');
    const { references } = await symbolsOf(fixture);
    const start = fixture.lineOf('impl Shape for Circle');
    assert.deepEqual(
      references.filter((r) => r.symbol === 'Circle' && r.startLine === start),
      [{ name: 'Shape', startLine: start, endLine: fixture.braceEnd(start), symbol: 'Circle' }],
    );
  });

  it('TypeScript: types, calls, decorators; not parameters, type parameters or the own name', () =>
    expectReferences('geometry.ts', (f) => [
      { symbol: '', exactly: ['EventEmitter', 'Logger'] },
      { symbol: 'Circle', line: f.lineOf('export class Circle'), exactly: ['sealed', 'Shape'] },
      { symbol: 'Circle.scale', line: f.lineOf('scale(factor: number, unit?: Unit)'), exactly: ['Unit', 'Circle'] },
      { symbol: 'perimeter', line: f.lineOf('const perimeter'), includes: ['Polygon', 'reduce', 'distance'], excludes: ['points', 'total', 'p'] },
      { symbol: 'Shape.describe', line: f.lineOf('describe(logger'), exactly: ['Logger', 'info', 'area'] },
      { symbol: 'area', line: f.lineOf('function area(shape'), includes: ['Polygon', 'shoelace'], excludes: ['shape', 'area'] },
    ]));

  it('TSX: components used in JSX, not intrinsic elements', () =>
    expectReferences('Gallery.tsx', (f) => [
      { symbol: 'Gallery', line: f.lineOf('function Gallery'), includes: ['GalleryProps', 'useState', 'map', 'Thumbnail', 'pick'], excludes: ['ul', 'url', 'urls'] },
      { symbol: 'EmptyGallery', line: f.lineOf('const EmptyGallery'), exactly: [] },
    ]));

  it('JavaScript: calls and `new`; not loop variables, parameters, require or this', () =>
    expectReferences('eventBus.js', (f) => [
      { symbol: '', includes: ['defineProperty'], excludes: ['require'] },
      { symbol: 'EventBus.publish', line: f.lineOf('publish(topic'), exactly: ['get'] },
      { symbol: 'EventBus.shared', line: f.lineOf('static shared'), exactly: ['EventBus'] },
      { symbol: 'Legacy.on', line: f.lineOf('Legacy.prototype.on'), exactly: ['matches'] },
      { symbol: 'createLogger.log', line: f.lineOf('log(message)'), exactly: ['format'] },
      { symbol: 'flushOnExit', line: f.lineOf('function flushOnExit'), exactly: ['shared', 'publish'] },
    ]));

  it('Java: invocations, types and imports', () =>
    expectReferences('Ledger.java', (f) => [
      { symbol: '', exactly: ['BigDecimal', 'ArrayList', 'List'] },
      { symbol: 'Ledger.post', line: f.lineOf('public void post(BigDecimal amount, String memo)'), exactly: ['BigDecimal', 'add', 'Entry'] },
      { symbol: 'Ledger.Auditor.checkAll', line: f.lineOf('boolean checkAll('), exactly: ['List', 'Entry', 'stream', 'allMatch'] },
    ]));

  it('C#: attributes, local functions, types; not parameters', () =>
    expectReferences('Inventory.cs', (f) => [
      { symbol: 'Inventory.Add', line: f.lineOf('public void Add(string sku, int quantity)'), includes: ['Obsolete', 'Clamp', 'Count', 'Item'], excludes: ['sku', 'quantity'] },
      { symbol: 'Inventory.Add.Clamp', line: f.lineOf('int Clamp('), exactly: ['Min'] },
    ]));

  it('C: function and macro calls, typedef names', () =>
    expectReferences('ring.c', (f) => [
      { symbol: 'ring_new', line: f.lineOf('ring_t *ring_new'), exactly: ['ring_t', 'malloc', 'calloc'] },
      { symbol: 'ring_index', line: f.lineOf('static int'), exactly: ['ring_t', 'RING_WRAP'] },
    ]));

  it('C++: template parameters bind in the definitions they head', () =>
    expectReferences('matrix.cpp', (f) => [
      { symbol: 'geo.Matrix.at', line: f.lineOf('T Matrix<T>::at('), excludes: ['T', 'at'] },
      { symbol: 'geo.size_of', line: f.lineOf('Size size_of(const Grid'), exactly: ['Size', 'Grid', 'rows'] },
    ]));

  it('Ruby: calls and constants; not parameters or plumbing such as attr_reader', () =>
    expectReferences('library.rb', (f) => [
      { symbol: 'lend', line: f.lineOf('def lend'), exactly: ['Library', 'catalog', 'delete', 'format_loan'] },
      { symbol: 'Library.Book', line: f.lineOf('class Book'), exactly: [] },
      { symbol: 'Library.Member', line: f.lineOf('class Member'), exactly: ['Struct', 'new'] },
    ]));

  it('PHP: function, method and static calls, `new`, types, imports', () =>
    expectReferences('cart.php', (f) => [
      { symbol: '', exactly: ['Product', 'TaxTable'] },
      { symbol: 'Cart.add', line: f.lineOf('public function add'), exactly: ['Product', 'Line'] },
      { symbol: 'Cart.total', line: f.lineOf('public function total(): float', 2), includes: ['array_sum', 'array_map', 'line_total', 'discount', 'Taxes', 'apply'] },
    ]));
});
