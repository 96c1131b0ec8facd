// How the symbol graph is stored on chunk rows and counted in memory: every definition and use
// stored once, exact counts in and out, lookups by plain and qualified names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chunk } from '../../server/src/chunk/types';
import { symbolsByChunk } from '../../server/src/index/chunkRows';
import { decodeDefinitions, decodeReferences, encodeDefinitions, encodeReferences } from '../../server/src/symbols/symbolColumns';
import { splitQualified, SymbolIndex, type SymbolRow } from '../../server/src/symbols/symbolIndex';
import type { FileSymbols, SymbolDefinition, SymbolReference } from '../../server/src/symbols/types';

const def = (name: string, container: string, startLine: number, endLine: number, kind: SymbolDefinition['kind'] = 'method'): SymbolDefinition => ({ name, kind, container, startLine, endLine });
const use = (name: string, symbol: string, startLine: number, endLine: number): SymbolReference => ({ name, symbol, startLine, endLine });
const rowOf = (path: string, symbols: FileSymbols): SymbolRow => ({ path, definitions: encodeDefinitions(symbols.definitions), references: encodeReferences(symbols.references) });

describe('symbol columns', () => {
  it('give back exactly what was stored, units grouped, names with $ and _ intact', () => {
    const definitions = [def('total', 'Cart', 3, 5), def('$mount', '', 9, 12, 'function'), def('__init__', 'shop.Cart', 14, 20)];
    const references = [use('reduce', 'Cart.total', 3, 5), use('items', 'Cart.total', 3, 5), use('Cart', '', 1, 30), use('total', 'checkout', 22, 24)];
    assert.deepEqual(decodeDefinitions(encodeDefinitions(definitions)), definitions);
    assert.deepEqual(decodeReferences(encodeReferences(references)), references);
    assert.equal(encodeReferences(references).split('\n').length, 3, 'one line per unit');
    assert.deepEqual([encodeDefinitions([]), encodeReferences([])], ['', '']);
  });
});

describe('SymbolIndex', () => {
  const cart = rowOf('src/cart.ts', {
    definitions: [def('Cart', '', 1, 10, 'class'), def('total', 'Cart', 3, 5), def('checkout', '', 12, 14, 'function')],
    references: [use('total', 'checkout', 12, 14), use('Cart', 'checkout', 12, 14)],
  });
  const invoice = rowOf('src/invoice.ts', {
    definitions: [def('Invoice', '', 1, 8, 'class'), def('total', 'Invoice', 2, 4), def('total', 'billing.Ledger', 6, 7)],
    references: [use('total', 'Invoice.print', 5, 6)],
  });

  it('finds a name in every container, and a qualified name only in its container (or one ending with it)', () => {
    const index = new SymbolIndex();
    index.count([cart, invoice], 1);
    const located = (query: string) => index.definitions(query).map((d) => `${d.path}:${d.startLine} ${d.container}.${d.name}`);
    assert.deepEqual(located('total'), ['src/cart.ts:3 Cart.total', 'src/invoice.ts:2 Invoice.total', 'src/invoice.ts:6 billing.Ledger.total']);
    assert.deepEqual(located('Cart.total'), ['src/cart.ts:3 Cart.total']);
    assert.deepEqual(located('Ledger::total'), ['src/invoice.ts:6 billing.Ledger.total']);
    assert.deepEqual(located('art.total'), [], 'a container matches whole names only');
    assert.deepEqual(index.pathsReferencing('total'), ['src/cart.ts', 'src/invoice.ts']);
  });

  it('counts rows out exactly, so an edited file leaves nothing of its old version behind', () => {
    const index = new SymbolIndex();
    index.count([cart, invoice], 1);
    index.count([cart], -1);
    const edited = rowOf('src/cart.ts', { definitions: [def('Cart', '', 1, 10, 'class')], references: [] });
    index.count([edited], 1);
    assert.deepEqual(index.definitions('checkout'), []);
    assert.deepEqual(index.pathsReferencing('total'), ['src/invoice.ts']);
    assert.deepEqual(index.pathsReferencing('Cart'), []);
    const clean = new SymbolIndex();
    clean.count([invoice, edited], 1);
    for (const name of ['Cart', 'total', 'Invoice', 'checkout']) assert.deepEqual(index.definitions(name), clean.definitions(name), name);
    assert.equal(index.definitionCount, clean.definitionCount);
  });

  it('reads Class.name, Type::name and Namespace\\Name as a container and a name', () => {
    assert.deepEqual(splitQualified('Router.handle'), { container: 'Router', name: 'handle' });
    assert.deepEqual(splitQualified('std::vec::Vec::push'), { container: 'std.vec.Vec', name: 'push' });
    assert.deepEqual(splitQualified('App\\Http\\Kernel'), { container: 'App.Http', name: 'Kernel' });
    assert.deepEqual(splitQualified(' parseHeader '), { container: '', name: 'parseHeader' });
  });
});

describe('symbolsByChunk', () => {
  const chunk = (startLine: number, endLine: number): Chunk => ({ path: 'a.ts', startLine, endLine, language: 'typescript', symbol: '', kind: 'lines', text: '', header: '', units: [] });

  it('stores each definition and each unit’s uses once, on the chunk where it starts', () => {
    const chunks = [chunk(1, 10), chunk(11, 40), chunk(41, 60)];
    const symbols: FileSymbols = {
      definitions: [def('A', '', 1, 60, 'class'), def('f', 'A', 12, 20), def('g', 'A', 41, 45)],
      references: [use('x', '', 1, 60), use('y', 'A.f', 12, 20), use('z', 'A.g', 41, 45)],
    };
    const shares = symbolsByChunk(chunks, symbols);
    assert.deepEqual(shares.map((s) => s.definitions.map((d) => d.name)), [['A'], ['f'], ['g']]);
    assert.deepEqual(shares.map((s) => s.references.map((r) => r.name)), [['x'], ['y'], ['z']]);
    assert.deepEqual(symbolsByChunk(chunks, undefined), chunks.map(() => ({ definitions: [], references: [] })), 'a file without a parse has no symbols');
  });
});
