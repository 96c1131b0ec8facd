// The symbol tools VS Code's chat agents call: what they accept, and the text the model reads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ToolInputError } from '../../client/src/lm/searchToolInput';
import { definitionsText, FIND_REFERENCES_TOOL, FIND_SYMBOL_TOOL, referencesText, SYMBOL_TOOL_INPUT_KEYS, symbolParamsFor } from '../../client/src/lm/symbolToolText';
import type { Definition, Reference } from '../../server/src/shared/protocol';

const definition = (over: Partial<Definition>): Definition => ({ folder: '/ws', path: 'src/cart.ts', startLine: 3, endLine: 5, name: 'total', kind: 'method', container: 'Cart', ...over });
const reference = (over: Partial<Reference>): Reference => ({ folder: '/ws', path: 'src/shop.ts', startLine: 10, endLine: 14, symbol: 'checkout', ...over });

test('tool input becomes symbol params: a trimmed name and a bounded limit, else one sentence naming the field', () => {
  assert.deepEqual(symbolParamsFor({ name: '  Cart.total ' }), { name: 'Cart.total', limit: 50 });
  assert.deepEqual(symbolParamsFor({ name: 'x', limit: 7 }), { name: 'x', limit: 7 });
  assert.throws(() => symbolParamsFor({}), (e: Error) => e instanceof ToolInputError && /^"name" must be a non-empty string/.test(e.message));
  assert.throws(() => symbolParamsFor('total'), /"name" must be a non-empty string/);
  assert.throws(() => symbolParamsFor({ name: 'x', limit: 0 }), /"limit" must be a whole number from 1 to 200\./);
});

test('definitions read as path:range, kind and qualified name, with the folder named once', () => {
  const text = definitionsText({ name: 'total', definitions: [definition({}), definition({ path: 'src/bill.ts', container: '', kind: 'function', startLine: 1, endLine: 2 })] });
  assert.equal(
    text,
    'total is defined in 2 places, exact name first. Paths are relative to the workspace folder /ws.\n- src/cart.ts:3-5  method Cart.total\n- src/bill.ts:1-2  function total',
  );
  assert.match(definitionsText({ name: 'nope', definitions: [] }), /^No definition of nope in the index\. .*ferret_search_codebase/);
  const twoFolders = definitionsText({ name: 'total', definitions: [definition({}), definition({ folder: '/other' })] });
  assert.match(twoFolders, /- src\/cart\.ts:3-5 {2}method Cart\.total in \/ws\n- src\/cart\.ts:3-5 {2}method Cart\.total in \/other$/);
});

test('references say when the list was cut and when the index is still being built', () => {
  const text = referencesText({ name: 'total', references: [reference({}), reference({ symbol: '', startLine: 1, endLine: 1 })], truncated: true, incompleteReason: 'the index is still being built' });
  assert.equal(
    text,
    '2 units (functions, methods, classes) use total, matched by name. Paths are relative to the workspace folder /ws. More places use it than are listed; raise "limit" to see them. Incomplete: the index is still being built.\n- src/shop.ts:10-14  checkout\n- src/shop.ts:1-1  (top-level code)',
  );
  assert.equal(referencesText({ name: 'total', references: [], truncated: false }), 'Nothing in the index uses total.');
});

test('package.json declares both symbol tools with the schema the code reads', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: { languageModelTools: Array<{ name: string; inputSchema: { properties: Record<string, { maximum?: number }>; required: string[] } }> };
  };
  for (const name of [FIND_SYMBOL_TOOL, FIND_REFERENCES_TOOL]) {
    const tool = manifest.contributes.languageModelTools.find((t) => t.name === name);
    assert.ok(tool, `${name} is declared`);
    assert.deepEqual(Object.keys(tool.inputSchema.properties).sort(), [...SYMBOL_TOOL_INPUT_KEYS].sort());
    assert.deepEqual(tool.inputSchema.required, ['name']);
    assert.equal(tool.inputSchema.properties.limit?.maximum, 200);
  }
});
