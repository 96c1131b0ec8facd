// `@ferret` without VS Code: what it writes around the model's text, which earlier turns it sends
// as history, how its handler streams, stops and fails (against a fake daemon and stream), and
// that it and the search tool stay out of the way in hosts without the chat APIs.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import type { AskParams, AskResult, Citation, Hit, SearchResult } from '../../server/src/shared/protocol';
import { DaemonDownError, type DaemonApi } from '../../client/src/daemon/daemonApi';
import { FerretParticipant, PARTICIPANT_ID, registerChatParticipant } from '../../client/src/lm/chatParticipant';
import { answerEndPieces, plainMarkdown, rangeList, searchPieces, unclosedFence, type ChatPiece } from '../../client/src/lm/chatPieces';
import { registerIfAvailable } from '../../client/src/lm/optionalApi';
import { conversationFrom, type PastTurn } from '../../client/src/lm/participantHistory';
import { registerSearchTool } from '../../client/src/lm/searchTool';

const citation = (n: number, over: Partial<Citation> = {}): Citation => ({ n, folder: '/ws', path: `src/f${n}.ts`, startLine: n, endLine: n + 4, symbol: `fn${n}`, ...over });
const hit = (over: Partial<Hit> = {}): Hit => ({ folder: '/ws', path: 'src/a.ts', startLine: 1, endLine: 5, language: 'typescript', symbol: 'a', kind: 'function', score: 1, text: 'a', ...over });
const answer = (over: Partial<AskResult> = {}): AskResult => ({
  answer: 'Checked in [1].', citations: [citation(1)], provider: 'ollama', model: 'qwen2.5-coder:7b', sourcesOnly: false, sources: [],
  timings: { retrievalMs: 1, totalMs: 2 }, usage: {}, ...over,
});
/** The pieces as the chat would show them: anchors as `<path:lines>`. */
const shown = (pieces: readonly ChatPiece[]) => pieces.map((p) => ('markdown' in p ? p.markdown : `<${p.title}>`)).join('');

test('a list of ranges is escaped [n], an anchor, and the escaped symbol', () => {
  assert.equal(shown(rangeList([{ n: 1, range: citation(1) }, { n: 2, range: citation(2, { symbol: '' }) }])), '\n- \\[1\\] <src/f1.ts:1-5> fn1\n- \\[2\\] <src/f2.ts:2-6>');
  assert.deepEqual(rangeList([{ n: 3, range: citation(3) }])[1], { anchor: citation(3), title: 'src/f3.ts:3-7' });
  assert.equal(plainMarkdown('a_b*c [x](command:y) <img>'), 'a\\_b\\*c \\[x\\]\\(command:y\\) \\<img\\>');
});

test('/search lists every hit as an anchor and says when it used full text only', () => {
  const result: SearchResult = { query: 'verify', results: [hit(), hit({ path: 'src/b.ts', symbol: 'B.run' })], mode: 'fulltext', modeReason: 'no vectors yet' };
  assert.equal(shown(searchPieces(result)), '2 ranges match, best first. Full-text search only: no vectors yet\n\n- \\[1\\] <src/a.ts:1-5> a\n- \\[2\\] <src/b.ts:1-5> B\\.run');
  assert.equal(shown(searchPieces({ query: '*x*', results: [], mode: 'hybrid' })), 'No code in the index matches "\\*x\\*".');
});

test('after a streamed answer: its cited sources as anchors and who answered', () => {
  const text = shown(answerEndPieces(answer(), 'Checked in [1].', [citation(1)]));
  assert.equal(text, '\n\n**Sources**\n\n- \\[1\\] <src/f1.ts:1-5> fn1\n\n*Answered by qwen2\\.5\\-coder:7b via ollama.*');
});

test('an answer that did not stream is shown whole; one cut off mid-code gets its block closed', () => {
  assert.ok(shown(answerEndPieces(answer(), '', [])).startsWith('Checked in [1].\n\n*Answered by'));
  const cut = answerEndPieces(answer({ interrupted: 'Ollama stopped.' }), 'Here:\n```ts\nconst a = 1;', []);
  assert.equal(shown(cut).split('*Answered')[0], '\n```\n\n\n*The answer stopped early: Ollama stopped\\.*\n\n');
});

test('sources only is said first and plainly, with the ranges as anchors', () => {
  const result = answer({ sourcesOnly: true, sourcesOnlyReason: 'Ollama did not answer at http://127.0.0.1:11434.', provider: 'none', model: '', citations: [citation(1), citation(2)] });
  const text = shown(answerEndPieces(result, '', result.citations));
  assert.ok(text.startsWith('**Sources only:** no language model answered, so here are the ranges that match best.'), text);
  assert.match(text, /\*Why:\* Ollama did not answer at http:\/\/127\\\.0\\\.0\\\.1:11434\\\./);
  assert.match(text, /\\\[1\\\] <src\/f1\.ts:1-5> fn1\n- \\\[2\\\] <src\/f2\.ts:2-6> fn2$/);
  assert.match(shown(answerEndPieces({ ...result, citations: [] }, '', [])), /and the index has nothing matching this question/);
});

test('an unclosed fence is found, closed ones and inline backticks are not', () => {
  assert.equal(unclosedFence('a\n```js\nx\n```\nb'), '');
  assert.equal(unclosedFence('a `x` b ```c```'), '');
  assert.equal(unclosedFence('````md\n```\ninner\n```\n'), '\n````\n');
  assert.equal(unclosedFence('~~~\ncode'), '\n~~~\n');
});

test('history: questions with model answers, oldest first; /search, sources-only, stopped and failed turns are left out', () => {
  const history: PastTurn[] = [
    { kind: 'request', prompt: 'how do logins work?' },
    { kind: 'response', metadata: { kind: 'answer', answer: 'Via [1].', sourcesOnly: false } },
    { kind: 'request', prompt: 'verifyPassword', command: 'search' },
    { kind: 'response', metadata: { kind: 'search' } },
    { kind: 'request', prompt: 'and sessions?' },
    { kind: 'response', metadata: { kind: 'answer', answer: 'Sources only: …', sourcesOnly: true } },
    { kind: 'request', prompt: 'stopped one' },
    { kind: 'response', metadata: { kind: 'stopped' } },
    { kind: 'request', prompt: 'from an older version' },
    { kind: 'response', metadata: undefined },
    { kind: 'request', prompt: 'and tokens?' },
    { kind: 'response', metadata: { kind: 'answer', answer: 'In [2].', sourcesOnly: false } },
  ];
  assert.deepEqual(conversationFrom(history), [
    { role: 'user', content: 'how do logins work?' }, { role: 'assistant', content: 'Via [1].' },
    { role: 'user', content: 'and tokens?' }, { role: 'assistant', content: 'In [2].' },
  ]);
  assert.deepEqual(conversationFrom([]), []);
});

// The handler, against a fake daemon and a stream that records what it was given.
type Listener = () => void;
function tokenSource() {
  const listeners: Listener[] = [];
  const token = { isCancellationRequested: false, onCancellationRequested: (l: Listener) => (listeners.push(l), { dispose: () => undefined }) };
  return { token: token as unknown as vscode.CancellationToken, cancel: () => ((token.isCancellationRequested = true), listeners.forEach((l) => l())) };
}
function recordingStream() {
  const calls: [string, unknown][] = [];
  const stream = Object.fromEntries(['markdown', 'progress', 'reference', 'anchor', 'button'].map((name) => [name, (value: unknown) => calls.push([name, value])]));
  return { stream: stream as unknown as vscode.ChatResponseStream, calls };
}
const request = (prompt: string, command?: string) => ({ prompt, command }) as unknown as vscode.ChatRequest;
const noHistory = { history: [] } as unknown as vscode.ChatContext;
const log = { warn: () => undefined, error: () => undefined };

function fakeDaemon(ask: DaemonApi['ask'], search: DaemonApi['search'] = async () => ({ query: '', results: [], mode: 'hybrid' })): DaemonApi {
  const unused = () => Promise.reject(new Error('unused'));
  return { state: 'running', ask, search, definitions: unused, references: unused, onStatus: () => ({ dispose: () => undefined }), lastStatus: () => undefined };
}

test('the handler streams the model text as it comes and records the answer for the next turn', async () => {
  let sent: AskParams | undefined;
  const participant = new FerretParticipant(fakeDaemon(async (params, onText) => {
    sent = params;
    onText('Checked ');
    onText('in [1].');
    return answer({ citations: [] });
  }), log);
  const { stream, calls } = recordingStream();
  const result = await participant.handle(request('  how are passwords checked? '), noHistory, stream, tokenSource().token);
  assert.deepEqual(sent, { question: 'how are passwords checked?' });
  assert.equal(calls[0]![0], 'progress');
  assert.deepEqual(calls.slice(1, 3), [['markdown', 'Checked '], ['markdown', 'in [1].']]);
  assert.deepEqual(result, { metadata: { kind: 'answer', answer: 'Checked in [1].', sourcesOnly: false } });
});

test('Stop cancels the daemon request, and nothing is written after it', async () => {
  const source = tokenSource();
  let daemonSawCancel = false;
  const participant = new FerretParticipant(fakeDaemon((_params, onText, token) => new Promise((_resolve, reject) => {
    onText('partial ');
    token.onCancellationRequested(() => {
      daemonSawCancel = true;
      onText('late text');
      reject(new Error('Request cancelled'));
    });
  })), log);
  const { stream, calls } = recordingStream();
  const pending = participant.handle(request('explain everything'), noHistory, stream, source.token);
  source.cancel();
  assert.deepEqual(await pending, { metadata: { kind: 'stopped' } });
  assert.ok(daemonSawCancel);
  assert.deepEqual(calls.filter(([name]) => name === 'markdown'), [['markdown', 'partial ']]);
});

test('a daemon that is down is one sentence and a Restart button; other failures one sentence', async () => {
  const down = new FerretParticipant(fakeDaemon(async () => { throw new DaemonDownError('stopped'); }), log);
  const { stream, calls } = recordingStream();
  const result = await down.handle(request('q'), noHistory, stream, tokenSource().token);
  assert.deepEqual(result.errorDetails, { message: 'The Ferret daemon is not running. Run "Ferret: Restart Daemon".' });
  assert.deepEqual(calls.find(([name]) => name === 'button'), ['button', { command: 'ferret.restartDaemon', title: 'Restart Ferret Daemon' }]);

  const broken = new FerretParticipant(fakeDaemon(async () => ({} as AskResult), async () => { throw new Error('The index is being rebuilt. Details: a b c'); }), log);
  const searched = await broken.handle(request('verify', 'search'), noHistory, recordingStream().stream, tokenSource().token);
  assert.deepEqual(searched.errorDetails, { message: 'The index is being rebuilt.' });
});

test('an empty prompt gets a hint instead of a request', async () => {
  const participant = new FerretParticipant(fakeDaemon(async () => assert.fail('no ask for an empty prompt')), log);
  const { stream, calls } = recordingStream();
  await participant.handle(request('  ', 'search'), noHistory, stream, tokenSource().token);
  assert.deepEqual(calls, [['markdown', 'Say what to look for, e.g. `/search verifyPassword`.']]);
});

test('package.json declares @ferret with the id the code registers and a /search command', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: { chatParticipants: { id: string; name: string; commands: { name: string }[] }[] };
  };
  const [participant] = manifest.contributes.chatParticipants;
  assert.equal(participant?.id, PARTICIPANT_ID);
  assert.equal(participant?.name, 'ferret');
  assert.deepEqual(participant?.commands.map((c) => c.name), ['search']);
});

test('in a host without the chat and tool APIs, both register nothing and say so once in the log, without a pop-up', () => {
  // The stub `vscode` has neither `chat.createChatParticipant` nor `lm.registerTool`, like a host that lacks them.
  const lines: string[] = [];
  const channel = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) } as unknown as vscode.LogOutputChannel;
  const daemon = fakeDaemon(async () => assert.fail('not asked'));
  assert.deepEqual(registerChatParticipant({} as vscode.Uri, daemon, channel), []);
  assert.deepEqual(registerSearchTool(daemon, channel), []);
  assert.deepEqual(lines, [
    'info This editor has no API for chat participants; Ferret works without it.',
    'info This editor has no API for language-model tools; Ferret works without it.',
  ]);
});

test('a host whose API refuses the registration gets one warning, not an exception', () => {
  const lines: string[] = [];
  const registered = registerIfAvailable('chat participants', { info: (m) => lines.push(m), warn: (m) => lines.push(m) }, () => {
    throw new Error('Chat is disabled by policy.');
  });
  assert.deepEqual(registered, []);
  assert.deepEqual(lines, ['This editor refused chat participants, so Ferret works without it: Chat is disabled by policy.']);
});
