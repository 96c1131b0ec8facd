import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, sentence } from '../../server/src/text/wording';

test('sentence capitalises, trims and ends with one stop', () => {
  assert.equal(sentence('the server at http://x answered HTTP 500.'), 'The server at http://x answered HTTP 500.');
  assert.equal(sentence('  disk full '), 'Disk full.');
  assert.equal(sentence('Is it up?'), 'Is it up?');
});

test('formatDuration reads like a person would say it', () => {
  assert.deepEqual(
    [12.4, 50, 999, 1000, 1500, 3200, 30_000, 59_960, 60_000, 90_000, 119_700].map(formatDuration),
    ['12 ms', '50 ms', '999 ms', '1 s', '1.5 s', '3.2 s', '30 s', '1 min', '1 min', '1 min 30 s', '2 min'],
  );
});
