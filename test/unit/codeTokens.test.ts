// What the full-text column, the query and the local embedder agree a word is. The expected
// tokens were produced by the regex tokenizer (`[\p{L}_$][\p{L}\p{N}_$]*|\p{N}+`) that the
// hand-written scan replaced: a stored index stays searchable only if they never differ.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { codeTokens, pathTokens } from '../../server/src/text/codeTokens';
import { stem } from '../../server/src/text/stem';

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

test('tokenizing keeps no source text alive: the caches hold copies of identifiers, not views into the text', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  // 2,000 texts of 20 KB, each with identifiers long enough that V8 slices them out of the text.
  for (let i = 0; i < 2000; i++) {
    const text = `sessionTokenRefresher${i} = retryWithBackoffPolicy${i}(${'x'.repeat(20_000)}) + expired_session_count${i}`;
    for (const token of codeTokens(text)) stem(token);
  }
  gc();
  const kept = process.memoryUsage().heapUsed - before;
  // Held as slices, the cached tokens would keep all 40 MB of text; as copies, about a megabyte of cache entries.
  assert.ok(kept < 8 * 1024 * 1024, `${(kept / 1048576).toFixed(1)} MB kept`);
});
