// The chat session against fake daemon, citation sink and workspace state: streaming, Stop,
// errors and Retry, sources-only answers, history and persistence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import type { AskParams, AskResult, Citation } from '../../server/src/shared/protocol';
import type { ChatTurn } from '../../client/src/chat/chatMessages';
import { ChatSession } from '../../client/src/chat/chatSession';
import { conversationKey } from '../../client/src/chat/conversation';
import type { CitationSink } from '../../client/src/citations/citationSink';
import type { DaemonApi } from '../../client/src/daemon/daemonApi';

type Listener = Parameters<vscode.CancellationToken['onCancellationRequested']>[0];

function tokenSource(): vscode.CancellationTokenSource {
  const listeners: Listener[] = [];
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (listener: Listener) => {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
  };
  return {
    token,
    cancel: () => {
      if (token.isCancellationRequested) return;
      token.isCancellationRequested = true;
      for (const l of listeners) l(undefined);
    },
    dispose: () => undefined,
  };
}

const citation: Citation = { n: 1, folder: '/ws', path: 'src/auth.ts', startLine: 3, endLine: 9, symbol: 'login' };
const result = (over: Partial<AskResult> = {}): AskResult => ({
  answer: 'Login is in [1].', citations: [citation], provider: 'ollama', model: 'm', sourcesOnly: false, sources: [],
  timings: { retrievalMs: 1, totalMs: 2 }, usage: {}, ...over,
});

type AskImpl = (params: AskParams, onText: (t: string) => void, token: vscode.CancellationToken) => Promise<AskResult>;

function setup(askImpl: AskImpl, stored?: unknown) {
  const saved = new Map<string, unknown>(stored === undefined ? [] : [[conversationKey, stored]]);
  const memento = {
    keys: () => [...saved.keys()],
    get: <T>(key: string, fallback?: T) => (saved.has(key) ? saved.get(key) : fallback) as T,
    update: (key: string, value: unknown) => {
      saved.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    },
  } satisfies vscode.Memento;
  const asked: AskParams[] = [];
  const daemon: DaemonApi = {
    state: 'running',
    ask: (params, onText, token) => {
      asked.push(params);
      return askImpl(params, onText, token);
    },
    search: () => Promise.reject(new Error('unused')),
    definitions: () => Promise.reject(new Error('unused')),
    references: () => Promise.reject(new Error('unused')),
    onStatus: () => ({ dispose: () => undefined }),
    lastStatus: () => undefined,
  };
  const sinkCalls: string[] = [];
  const sink: CitationSink = {
    show: (q, cs) => void sinkCalls.push(`show ${q} ${cs.length}`),
    clear: () => void sinkCalls.push('clear'),
    reveal: () => Promise.resolve(),
  };
  const deltas: string[] = [];
  const errors: string[] = [];
  const session = new ChatSession(memento, daemon, sink, {
    changed: () => undefined,
    delta: (_id, text) => void deltas.push(text),
  }, { warn: (m) => void errors.push(m), error: (m) => void errors.push(m) }, tokenSource);
  const storedTurns = () => (saved.get(conversationKey) as { turns: ChatTurn[] }).turns;
  return { session, asked, sinkCalls, deltas, errors, storedTurns };
}

test('an answer streams, then the final result, citations and state are kept', async () => {
  const { session, asked, sinkCalls, deltas, storedTurns } = setup(async (_p, onText) => {
    onText('Login ');
    onText('is in [1].');
    return result();
  });
  await session.ask('how does login work?', { path: 'src/auth.ts', startLine: 1, endLine: 4, text: 'secret selection' });
  assert.deepEqual(deltas, ['Login ', 'is in [1].']);
  assert.deepEqual(sinkCalls, ['clear', 'show how does login work? 1']);
  const [turn] = session.snapshot();
  assert.equal(turn?.status, 'done');
  assert.equal(turn?.answer, 'Login is in [1].');
  assert.deepEqual(session.citation(turn?.id ?? '', 1), citation);
  assert.deepEqual(turn?.selection, { path: 'src/auth.ts', startLine: 1, endLine: 4 }, 'selection text is not stored');
  assert.equal(asked[0]?.selection?.text, 'secret selection', 'but it is sent');
  assert.deepEqual(asked[0]?.history, []);
  assert.equal(storedTurns()[0]?.status, 'done');
  assert.equal(session.busy, false);

  await session.ask('and logout?');
  assert.deepEqual(asked[1]?.history, [
    { role: 'user', content: 'how does login work?' },
    { role: 'assistant', content: 'Login is in [1].' },
  ]);
});

test('Stop cancels the request end to end and keeps what streamed', async () => {
  let seenToken: vscode.CancellationToken | undefined;
  const { session, errors } = setup((_p, onText, token) => {
    seenToken = token;
    onText('partial');
    return new Promise((_resolve, reject) => token.onCancellationRequested(() => reject(new Error('Request cancelled'))));
  });
  const done = session.ask('long question');
  assert.equal(session.busy, true);
  session.stop();
  await done;
  assert.equal(seenToken?.isCancellationRequested, true);
  const [turn] = session.snapshot();
  assert.equal(turn?.status, 'stopped');
  assert.equal(turn?.answer, 'partial');
  assert.equal(session.busy, false);
  assert.deepEqual(errors, [], 'a stop is not an error');
});

test('a failure becomes one sentence with Retry, which replaces the turn', async () => {
  let fail = true;
  const { session, errors } = setup(async () => {
    if (fail) throw new Error('Ollama did not answer at http://127.0.0.1:11434. Details: ECONNREFUSED');
    return result();
  });
  await session.ask('q');
  const [failed] = session.snapshot();
  assert.equal(failed?.status, 'error');
  assert.equal(failed?.error, 'Ollama did not answer at http://127.0.0.1:11434.');
  assert.equal(errors.length, 1, 'the full error is logged');
  fail = false;
  await session.retry(failed?.id ?? '');
  const turns = session.snapshot();
  assert.equal(turns.length, 1);
  assert.equal(turns[0]?.status, 'done');
  assert.equal(turns[0]?.question, 'q');
});

test('a sources-only answer is labelled with its reason', async () => {
  const { session } = setup(async () => result({ sourcesOnly: true, sourcesOnlyReason: 'No chat model is reachable.', provider: 'none' }));
  await session.ask('q');
  assert.equal(session.snapshot()[0]?.sourcesOnlyReason, 'No chat model is reachable.');
  assert.equal(session.snapshot()[0]?.answeredBy, undefined, 'no model is named');
});

test('the turn keeps which model answered, and the selection label for display only', async () => {
  const { session, asked } = setup(async () => result({ provider: 'openai', model: 'gpt-x' }));
  await session.ask('q', { path: '/ws/src/auth.ts', startLine: 2, endLine: 3, label: 'src/auth.ts' });
  const [turn] = session.snapshot();
  assert.deepEqual(turn?.answeredBy, { provider: 'openai', model: 'gpt-x' });
  assert.deepEqual(turn?.selection, { path: '/ws/src/auth.ts', startLine: 2, endLine: 3, label: 'src/auth.ts' });
  assert.deepEqual(asked[0]?.selection, { path: '/ws/src/auth.ts', startLine: 2, endLine: 3 }, 'the daemon gets no label');
});

test('asking while an answer streams stops the first one', async () => {
  const { session } = setup((p, _onText, token) =>
    p.question === 'first'
      ? new Promise((_resolve, reject) => token.onCancellationRequested(() => reject(new Error('cancelled'))))
      : Promise.resolve(result()),
  );
  const first = session.ask('first');
  await session.ask('second');
  await first;
  assert.deepEqual(session.snapshot().map((t) => [t.question, t.status]), [['first', 'stopped'], ['second', 'done']]);
});

test('the conversation is restored from workspace state; clear forgets it', async () => {
  const stored = { version: 1, turns: [{ id: 'old', question: 'q0', answer: 'a0', citations: [citation], status: 'done' }] };
  const { session, storedTurns } = setup(async () => result(), stored);
  assert.equal(session.snapshot()[0]?.id, 'old');
  assert.deepEqual(session.citation('old', 1), citation);
  session.clear();
  assert.deepEqual(session.snapshot(), []);
  assert.deepEqual(storedTurns(), []);
});
