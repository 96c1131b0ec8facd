// What the full-text column, the query and the local embedder agree a word is. The expected
// tokens were produced by the regex tokenizer (`[\p{L}_$][\p{L}\p{N}_$]*|\p{N}+`) that the
// hand-written scan replaced: a stored index stays searchable only if they never differ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeTokens, pathTokens } from '../../server/src/text/codeTokens';

const CASES: Array<[string, string[]]> = [
  ['parseConfigFile(HTTPServer_v2, $el, __proto__)', ['parseconfigfile', 'parse', 'config', 'file', 'httpserverv2', 'http', 'server', 'v', '2', 'el', 'proto']],
  ['x1 = 42 + 3.14e10; abc123def 123abc', ['x1', 'x', '1', '42', '3', '14', 'e10', 'e', '10', 'abc123def', 'abc', '123', 'def', '123', 'abc']],
  ['naïve Café ΣΑΣ straße İstanbul', ['naïve', 'café', 'σας', 'straße', 'i̇stanbul']],
  ['中文标识符 = 变量2 ², ½ and Ⅻ٣', ['中文标识符', '变量2', '变量', '2', '²', '½', 'and', 'ⅻ٣']],
  ['𝑥𝑦 = 𝟘; emoji😀ok', ['𝑥𝑦', '𝟘', 'emoji', 'ok']],
  ['snake_case_NAME kebab-case', ['snakecasename', 'snake', 'case', 'name', 'kebab', 'case']],
  ['_ $ \ud800 lone', ['lone']],
  ['', []],
];

test('code tokens: identifiers whole and split, numbers, any script', () => {
  for (const [text, expected] of CASES) assert.deepEqual(codeTokens(text), expected, text);
});

test('path tokens: segments and their parts', () => {
  assert.deepEqual(pathTokens('src/authService.ts'), ['src', 'authservice', 'auth', 'service', 'ts']);
});
