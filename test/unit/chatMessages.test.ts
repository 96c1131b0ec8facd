// The runtime validators for messages between the chat webview and the extension.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeRejected,
  maxQuestionLength,
  parseToExtension,
  parseToWebview,
  type ChatTurn,
  type ViewState,
} from '../../client/src/chat/chatMessages';

const turn: ChatTurn = {
  id: 't1',
  question: 'How does auth work?',
  answer: 'See [1].',
  citations: [{ n: 1, folder: '/ws', path: 'src/auth.ts', startLine: 3, endLine: 9, symbol: 'login' }],
  status: 'done',
  selection: { path: '/ws/src/auth.ts', startLine: 1, endLine: 2, label: 'src/auth.ts' },
  answeredBy: { provider: 'ollama', model: 'qwen2.5-coder:7b' },
};
const state: ViewState = {
  turns: [turn],
  banners: [{ kind: 'indexing', text: 'Indexing 1/2 files — answers may be incomplete.', actions: ['showStatus'] }],
  busy: false,
  header: { answeredBy: 'qwen2.5-coder:7b via ollama', health: { kind: 'ok', text: 'qwen2.5-coder:7b (ollama) ready' } },
  examples: ['What is the src/auth folder responsible for?'],
};

test('every webview → extension message of the union is accepted', () => {
  const valid = [
    { type: 'ready' },
    { type: 'ask', question: 'Where is X?' },
    { type: 'stop' },
    { type: 'retry', turnId: 't1' },
    { type: 'revealCitation', turnId: 't1', n: 2 },
    { type: 'openLink', href: 'src/a.ts#L3' },
    { type: 'runCommand', command: 'restartDaemon' },
    { type: 'clear' },
    { type: 'copyCode', turnId: 't1', block: 0 },
    { type: 'insertCode', turnId: 't1', block: 2 },
  ];
  for (const m of valid) assert.deepEqual(parseToExtension(m), m);
});

test('extra fields are not passed on', () => {
  assert.deepEqual(parseToExtension({ type: 'stop', evil: 1 }), { type: 'stop' });
  assert.deepEqual(parseToExtension({ type: 'ask', question: 'q', selection: { path: '/etc/passwd' } }), { type: 'ask', question: 'q' });
});

test('unknown or malformed webview → extension messages are rejected', () => {
  const invalid: unknown[] = [
    null, undefined, 'ready', 42, [], { }, { type: 'nope' }, { type: 'READY' },
    { type: 'ask' }, { type: 'ask', question: '   ' }, { type: 'ask', question: 7 },
    { type: 'ask', question: 'x'.repeat(maxQuestionLength + 1) },
    { type: 'retry' }, { type: 'retry', turnId: '' }, { type: 'retry', turnId: 'x'.repeat(65) },
    { type: 'revealCitation', turnId: 't1' }, { type: 'revealCitation', turnId: 't1', n: -1 },
    { type: 'revealCitation', turnId: 't1', n: 1.5 }, { type: 'revealCitation', turnId: 't1', n: '1' },
    { type: 'openLink' }, { type: 'openLink', href: 'x'.repeat(3000) },
    { type: 'runCommand', command: 'workbench.action.terminal.new' }, { type: 'runCommand', command: 'toString' },
    { type: 'runCommand' },
    { type: 'copyCode', turnId: 't1' }, { type: 'copyCode', turnId: 't1', block: -1 },
    { type: 'insertCode', turnId: 't1', block: '0' }, { type: 'insertCode', block: 0 },
    // Code travels extension → clipboard/editor only; the webview cannot supply it.
    { type: 'insertCode', turnId: 't1', block: 0.5, code: 'rm -rf /' },
  ];
  for (const m of invalid) assert.equal(parseToExtension(m), undefined, JSON.stringify(m));
});

test('extension → webview messages: state snapshots and deltas are checked deeply', () => {
  assert.deepEqual(parseToWebview({ type: 'state', state }), { type: 'state', state });
  assert.deepEqual(parseToWebview({ type: 'delta', turnId: 't1', text: 'more' }), { type: 'delta', turnId: 't1', text: 'more' });
  const broken: unknown[] = [
    { type: 'state' },
    { type: 'state', state: { ...state, busy: 'yes' } },
    { type: 'state', state: { ...state, banners: undefined } },
    { type: 'state', state: { ...state, banners: [{ kind: 'indexing', text: 'x', actions: ['rm -rf'] }] } },
    { type: 'state', state: { ...state, turns: [{ ...turn, status: 'weird' }] } },
    { type: 'state', state: { ...state, turns: [{ ...turn, citations: [{ n: 1, path: 'a' }] }] } },
    { type: 'state', state: { ...state, turns: [{ ...turn, selection: { path: 'a' } }] } },
    { type: 'state', state: { ...state, turns: [{ ...turn, answeredBy: { provider: 'ollama' } }] } },
    { type: 'state', state: { ...state, header: undefined } },
    { type: 'state', state: { ...state, header: { health: { kind: 'fine', text: 'x' } } } },
    { type: 'state', state: { ...state, examples: [42] } },
    { type: 'delta', turnId: 't1' },
    { type: 'delta', text: 'x' },
    { type: 'html', html: '<script>' },
  ];
  for (const m of broken) assert.equal(parseToWebview(m), undefined, JSON.stringify(m));
});

test('a rejected message is described without echoing its content', () => {
  assert.equal(describeRejected({ type: 'ask', question: 'secret' }), 'ignored a malformed or unknown chat message (type "ask")');
  assert.equal(describeRejected('x'), 'ignored a malformed or unknown chat message (type string)');
});
