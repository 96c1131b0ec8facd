// How a hit is labelled where a person picks it: by the unit that matched and its signature line,
// never by the doc comment or decorator above it (the Search Workspace quick pick and MCP results).
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toItem } from '../../client/src/search/searchQuickPick';
import type { Hit } from '../../server/src/shared/protocol';
import { signatureLine } from '../../server/src/shared/rangeText';

test('the signature line is the first line of code, past doc comments, decorators and attributes', () => {
  assert.equal(signatureLine('/**\n * Signs a user in.\n */\nexport async function login(email: string) {\n  return 1;\n}'), 'export async function login(email: string) {');
  assert.equal(signatureLine('    @property\n    def name(self):\n        return self._name'), 'def name(self):');
  assert.equal(signatureLine('/// Length in bytes.\n#[inline]\npub fn len(&self) -> usize {'), 'pub fn len(&self) -> usize {');
  assert.equal(signatureLine('// Handle serves HTTP.\nfunc (s *Server) Handle(w http.ResponseWriter) {'), 'func (s *Server) Handle(w http.ResponseWriter) {');
  assert.equal(signatureLine('[Fact]\npublic void Works() {'), 'public void Works() {');
  assert.equal(signatureLine('// nothing but\n// comments'), '// nothing but', 'a range of comments shows its first line');
  assert.equal(signatureLine(`function ${'x'.repeat(200)}() {}`).length, 120);
});

test('a quick-pick item is named after the matched unit and previews its signature', () => {
  const hit: Hit = {
    folder: '/ws', path: 'src/cart.ts', startLine: 8, endLine: 11, language: 'typescript', symbol: 'Cart.applyCoupon', kind: 'method', score: 1.2,
    text: '  /** Applies a coupon. */\n  applyCoupon(rate: number): number {\n    return this.subtotal() * (1 - rate);\n  }',
  };
  const item = toItem(hit);
  assert.deepEqual([item.label, item.description, item.detail], ['Cart.applyCoupon', 'src/cart.ts:8', 'applyCoupon(rate: number): number {']);
  assert.equal(toItem({ ...hit, symbol: '' }).label, 'cart.ts', 'a range without a symbol is named after its file');
});
