// Copy and Insert name a code block by its index; the extension reads the code from its own copy of the answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeBlocks } from '../../client/src/chat/codeBlocks';
import { renderAnswer } from '../../client/webview/markdown';

test('code blocks are numbered as the webview renders them: fences and indented code, in order', () => {
  const answer = 'Intro\n\n```ts\nconst a = 1;\n```\n\ntext [1]\n\n    indented()\n\n~~~\nplain\n~~~\n';
  assert.deepEqual(codeBlocks(answer), ['const a = 1;\n', 'indented()\n', 'plain\n']);
  assert.equal(renderAnswer(answer, []).match(/<pre>/g)?.length, 3, 'the webview renders as many <pre> as there are blocks');
  assert.deepEqual(codeBlocks('no code'), []);
});
