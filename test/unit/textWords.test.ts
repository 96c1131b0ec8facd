// The word-level helpers of ranking: stems that meet across inflections, test code told apart from
// the code it tests, and the comment prose the vocabulary learns from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stem } from '../../server/src/text/stem';
import { asksAboutTests, isTestCode } from '../../server/src/text/testCode';
import { commentText } from '../../server/src/vocab/commentWords';

test('inflections of one word share a stem; short words and identifiers with digits are left alone', () => {
  const same = (...words: string[]) => assert.equal(new Set(words.map(stem)).size, 1, words.join(', '));
  same('parse', 'parses', 'parsed', 'parsing', 'parser');
  same('entry', 'entries');
  same('match', 'matches', 'matched', 'matching');
  same('expire', 'expired', 'expires');
  same('stop', 'stopped', 'stopping');
  assert.equal(stem('class'), 'class');
  assert.equal(stem('status'), 'status');
  assert.equal(stem('get'), 'get');
  assert.equal(stem('utf8'), 'utf8');
});

test('test code is recognised by path and by unit name, in every language Ferret reads', () => {
  for (const path of ['test/app.ts', 'src/__tests__/x.js', 'pkg/server_test.go', 'tests/test_api.py', 'lib/test_util.py', 'src/app.spec.tsx', 'src/FooTest.java', 'spec/user_spec.rb', 'crates/x/tests/it.rs']) {
    assert.ok(isTestCode(path, ''), path);
  }
  for (const path of ['src/contest.ts', 'src/attestation.go', 'lib/latest.py', 'src/testing_utils_impl.rs'.replace('testing_', 'tasting_')]) assert.ok(!isTestCode(path, ''), path);
  assert.ok(isTestCode('src/lib.rs', 'tests.parse_empty'));
  assert.ok(isTestCode('server.go', 'TestServeHTTP'));
  assert.ok(isTestCode('m.py', 'ParserTests.test_empty'));
  assert.ok(!isTestCode('server.go', 'Testify'), 'a name that merely starts with Test');
  assert.ok(asksAboutTests(['which', 'tests', 'cover', 'this']));
  assert.ok(!asksAboutTests(['latest', 'attestation']));
});

test('comment prose is read per language: line, block and doc comments, never attributes or code', () => {
  const ts = 'const url = "http://x"; // retry with backoff\n/* evict the\n * oldest entry */\nreturn a / b;';
  assert.deepEqual(commentText(ts, 'typescript').split(/\s+/).filter(Boolean), ['retry', 'with', 'backoff', 'evict', 'the', '*', 'oldest', 'entry']);
  const py = 'def f():\n    """Return the\n    parsed header."""\n    x = 1  # cache it\n';
  assert.deepEqual(commentText(py, 'python').split(/\s+/).filter(Boolean), ['"""Return', 'the', 'parsed', 'header."""', 'cache', 'it']);
  assert.equal(commentText('#[derive(Debug)]\nstruct A;', 'rust').trim(), '');
  assert.equal(commentText('key: value # note', 'json'), '', 'no comment syntax is guessed for data files');
});
