// Conversation history sent with a question, and the conversation kept in workspace state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatTurn } from '../../client/src/chat/chatMessages';
import { buildHistory, maxStoredTurns, restoreTurns, storeTurns } from '../../client/src/chat/conversation';

const turn = (i: number, over: Partial<ChatTurn> = {}): ChatTurn => ({
  id: `t${i}`, question: `q${i}`, answer: `a${i}`, citations: [], status: 'done', ...over,
});
const limits = { maxTurns: 3, maxChars: 1000, maxMessageChars: 100 };

test('history is the most recent pairs, oldest first', () => {
  const history = buildHistory([1, 2, 3, 4, 5].map((i) => turn(i)), limits);
  assert.deepEqual(history, [
    { role: 'user', content: 'q3' }, { role: 'assistant', content: 'a3' },
    { role: 'user', content: 'q4' }, { role: 'assistant', content: 'a4' },
    { role: 'user', content: 'q5' }, { role: 'assistant', content: 'a5' },
  ]);
});

test('failed, stopped, streaming, sources-only and empty answers are left out', () => {
  const turns = [
    turn(1),
    turn(2, { status: 'error', error: 'boom' }),
    turn(3, { status: 'stopped' }),
    turn(4, { sourcesOnlyReason: 'No model.' }),
    turn(5, { answer: '  ' }),
    turn(6, { status: 'streaming' }),
  ];
  assert.deepEqual(buildHistory(turns, limits), [{ role: 'user', content: 'q1' }, { role: 'assistant', content: 'a1' }]);
});

test('the character budget keeps a contiguous recent stretch', () => {
  const turns = [turn(1), turn(2, { answer: 'x'.repeat(60) }), turn(3)];
  // Pairs cost 4, 62 and 4 characters. All fit in 70; in 60, t2 does not, and t1 (older) is not skipped to.
  assert.equal(buildHistory(turns, { maxTurns: 10, maxChars: 70, maxMessageChars: 100 }).length, 6);
  assert.deepEqual(buildHistory(turns, { maxTurns: 10, maxChars: 60, maxMessageChars: 100 }).map((t) => t.content), ['q3', 'a3']);
});

test('a long message is cut, not dropped', () => {
  const history = buildHistory([turn(1, { answer: 'z'.repeat(500) })], limits);
  assert.equal(history[1]?.content.length, 100);
  assert.ok(history[1]?.content.endsWith('…'));
});

test('no turns, no history', () => {
  assert.deepEqual(buildHistory([], limits), []);
});

test('stored turns round-trip and are capped', () => {
  const many = Array.from({ length: maxStoredTurns + 5 }, (_, i) => turn(i));
  const stored = storeTurns(many);
  assert.equal(stored.turns.length, maxStoredTurns);
  const { turns, dropped } = restoreTurns(JSON.parse(JSON.stringify(stored)));
  assert.equal(dropped, 0);
  assert.deepEqual(turns, many.slice(-maxStoredTurns));
});

test('restore drops invalid turns, ignores other versions, and marks an unfinished answer as stopped', () => {
  const { turns, dropped } = restoreTurns({ version: 1, turns: [turn(1), { id: 'bad' }, turn(2, { status: 'streaming' })] });
  assert.equal(dropped, 1);
  assert.deepEqual(turns.map((t) => t.status), ['done', 'stopped']);
  assert.match(turns[1]?.interrupted ?? '', /window closed/);
  assert.deepEqual(restoreTurns(undefined), { turns: [], dropped: 0 });
  assert.deepEqual(restoreTurns({ version: 99, turns: [turn(1)] }).turns, []);
  assert.deepEqual(restoreTurns('garbage').turns, []);
});
