import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { after, test } from 'node:test';
import type { AskResult, FerretSettings, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { createGate, FakeOllama } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { copyWorkspace } from '../support/workspaceCopy';
import { FakeMlx } from '../unit/bridgeFixture';
import { reportFigures } from './faultKit';

const MLX_MODEL = 'mlx-community/Tiny-4bit';
const QUESTION = { question: 'How are passwords hashed?' };
const outcomes: Record<string, { provider: string; ms: number; note: string }> = {};

async function daemonFor(settings: Partial<FerretSettings>, env: NodeJS.ProcessEnv = {}): Promise<Daemon> {
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'local', watch: false, autoIndex: false, firstTokenTimeoutSeconds: 1, ...settings }, env);
  after(() => daemon.stop());
  await daemon.connection.sendRequest('ferret/reindex', {});
  return daemon;
}

async function timedAsk(daemon: Daemon): Promise<{ answer: AskResult; ms: number }> {
  const started = performance.now();
  const answer = await daemon.connection.sendRequest<AskResult>('ferret/ask', QUESTION);
  return { answer, ms: Math.round(performance.now() - started) };
}

async function models(): Promise<{ ollama: FakeOllama; openai: FakeOpenAI }> {
  const ollama = await FakeOllama.start({ models: ['qwen2.5-coder:7b'], chatTokens: ['From Ollama.'] });
  const openai = await FakeOpenAI.start({ models: ['local-model'], chatTokens: ['From the OpenAI-compatible server.'] });
  after(async () => {
    await ollama.close();
    await openai.close();
  });
  return { ollama, openai };
}

test('a provider that hangs before its first token is abandoned at the deadline and the next one answers', { timeout: 60_000 }, async () => {
  const { ollama, openai } = await models();
  const never = createGate();
  after(() => never.release());
  ollama.always('/api/chat', { kind: 'ok', gate: never.promise });
  const daemon = await daemonFor({ providers: ['ollama', 'openai'], ollamaHost: ollama.url, openaiBaseUrl: openai.baseUrl, openaiChatModel: 'local-model' });
  const { answer, ms } = await timedAsk(daemon);
  assert.equal(answer.provider, 'openai');
  assert.equal(answer.answer, 'From the OpenAI-compatible server.');
  const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
  assert.match(status.providers[0]!.lastError ?? '', /sent no text within 1 s/);
  outcomes['hangs'] = { provider: answer.provider ?? '', ms, note: status.providers[0]!.lastError ?? '' };
});

test('a provider that answers garbage is failed over before anything reaches the user', { timeout: 60_000 }, async () => {
  const { ollama, openai } = await models();
  ollama.always('/api/chat', { kind: 'malformed' });
  const daemon = await daemonFor({ providers: ['ollama', 'openai'], ollamaHost: ollama.url, openaiBaseUrl: openai.baseUrl, openaiChatModel: 'local-model' });
  const { answer, ms } = await timedAsk(daemon);
  assert.equal(answer.provider, 'openai');
  assert.equal(answer.answer, 'From the OpenAI-compatible server.');
  outcomes['garbage'] = { provider: answer.provider ?? '', ms, note: (await daemon.connection.sendRequest<StatusReport>('ferret/status')).providers[0]!.lastError ?? '' };
});

test('when every provider hangs the answer ends within the deadlines as sources only, naming each failure', { timeout: 60_000 }, async () => {
  const { ollama, openai } = await models();
  const never = createGate();
  after(() => never.release());
  ollama.always('/api/chat', { kind: 'ok', gate: never.promise });
  openai.always('/v1/chat/completions', { kind: 'ok', gate: never.promise });
  const daemon = await daemonFor({ providers: ['ollama', 'openai'], ollamaHost: ollama.url, openaiBaseUrl: openai.baseUrl, openaiChatModel: 'local-model' });
  const { answer, ms } = await timedAsk(daemon);
  assert.equal(answer.sourcesOnly, true);
  assert.match(answer.sourcesOnlyReason ?? '', /ollama \(qwen2\.5-coder:7b\) sent no text within 1 s/);
  assert.match(answer.sourcesOnlyReason ?? '', /openai \(local-model\) sent no text within 1 s/);
  assert.ok(answer.sources.some((s) => s.path === 'src/auth/passwords.ts'), 'the sources are still given');
  outcomes['all hang'] = { provider: 'none (sources only)', ms, note: answer.sourcesOnlyReason ?? '' };
});

/** Resolves once the stand-in model has logged an event matching `pattern` (watching its log file). */
function fakeEvent(fake: FakeMlx, pattern: RegExp): Promise<void> {
  const seen = () => existsSync(fake.log) && pattern.test(readFileSync(fake.log, 'utf8'));
  if (seen()) return Promise.resolve();
  return new Promise((resolve) => {
    const watcher = watch(dirname(fake.log), () => {
      if (!seen()) return;
      watcher.close();
      resolve();
    });
  });
}

function bridgePids(daemon: Daemon): number[] {
  const out = execFileSync('pgrep', ['-P', String(daemon.child.pid), '-f', 'mlx_bridge'], { encoding: 'utf8' }).trim();
  return out ? out.split('\n').map(Number) : [];
}

test('the MLX bridge killed mid-request: the answer fails over to Ollama, and the next one is answered by a restarted bridge', { timeout: 90_000 }, async () => {
  const { ollama } = await models();
  const fake = new FakeMlx({ FAKE_MLX_TOKENS: JSON.stringify(['From ', 'MLX.']) });
  fake.cacheModel(MLX_MODEL);
  const daemon = await daemonFor(
    { providers: ['mlx', 'ollama'], ollamaHost: ollama.url, mlxModel: MLX_MODEL, pythonPath: process.env.FERRET_TEST_PYTHON ?? 'python3', firstTokenTimeoutSeconds: 30 },
    fake.env({ gated: true }),
  );
  const asking = timedAsk(daemon);
  await fakeEvent(fake, /"event": ?"start"/);
  const [victim] = bridgePids(daemon);
  assert.ok(victim, 'the bridge runs');
  process.kill(victim, 'SIGKILL');
  const { answer, ms } = await asking;
  assert.equal(answer.provider, 'ollama');
  assert.equal(answer.answer, 'From Ollama.');
  outcomes['bridge killed'] = { provider: answer.provider ?? '', ms, note: 'failed over after the bridge died before its first token' };

  // The supervisor restarts the bridge after its backoff; until then MLX fails fast.
  await daemon.logWhere(new RegExp(`MLX bridge started \\(pid (?!${victim}\\b)\\d+`));
  fake.release(10);
  const again = await timedAsk(daemon);
  assert.equal(again.answer.provider, 'mlx');
  assert.equal(again.answer.answer, 'From MLX.');
  assert.ok(!bridgePids(daemon).includes(victim), 'a new bridge process answered');
  reportFigures('llm-faults', outcomes);
});
