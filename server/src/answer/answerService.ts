import type { ChatRouter } from '../llm/chatRouter';
import { RouterError } from '../llm/routerReports';
import type { AskParams, AskResult, Hit, SearchParams, SearchResult } from '../shared/protocol';
import { resolveCitations } from './citations';
import { buildPrompt, type NumberedSource } from './promptBuilder';
import { sourcesOnlyAnswer } from './sourcesOnly';
import type { RelatedDefinition } from '../symbols/relatedDefinitions';

/** Used when no provider tells its window; small enough for any local model worth asking. */
const DEFAULT_CONTEXT_WINDOW = 8192;
/** Larger prompts make local models slow to the first token for little gain in grounding. */
const MAX_PROMPT_WINDOW = 32_768;
const ANSWER_TOKENS = 1024;
/**
 * Sources scoring under this share of the best one are left out of the prompt: a small model
 * given weak sources cites them anyway, and they cost first-token time.
 */
const MIN_RELATIVE_SCORE = 0.3;

function strongSources(hits: Hit[]): Hit[] {
  const best = hits[0]?.score ?? 0;
  return hits.filter((hit) => hit.score >= best * MIN_RELATIVE_SCORE);
}

export interface AnswerDeps {
  search(params: Required<SearchParams>, signal: AbortSignal): Promise<SearchResult>;
  router: ChatRouter;
  /** Signatures of what the retrieved ranges use, from the symbol graph. */
  related(sources: readonly Hit[]): Promise<RelatedDefinition[]>;
  /** Reads a selection's text when the client did not send it; undefined when it must not reach a model. */
  selectionText(params: NonNullable<AskParams['selection']>): Promise<string | undefined>;
}

/** Retrieve → prompt → stream → citations; with no model, the retrieved ranges as a sources-only answer. */
export async function answerQuestion(params: Required<Pick<AskParams, 'question' | 'k'>> & AskParams, deps: AnswerDeps, signal: AbortSignal, onText: (text: string) => void): Promise<AskResult> {
  const started = performance.now();
  const selection = params.selection ? { ...params.selection, text: await deps.selectionText(params.selection) } : undefined;
  const query = selection?.text ? `${params.question}\n${selection.text.slice(0, 2000)}` : params.question;
  const retrieved = await deps.search({ query, k: params.k, paths: [], languages: [] }, signal);
  const sources = strongSources(retrieved.results);
  const retrievalMs = Math.round(performance.now() - started);
  const [contextWindow, related] = await Promise.all([deps.router.contextWindow(signal).catch(() => undefined), deps.related(sources)]);
  const window = Math.min(contextWindow ?? DEFAULT_CONTEXT_WINDOW, MAX_PROMPT_WINDOW);
  const prompt = buildPrompt({
    question: params.question,
    sources,
    ...(params.history ? { history: params.history } : {}),
    ...(selection ? { selection } : {}),
    contextWindow: window,
    answerTokens: ANSWER_TOKENS,
    related,
  });
  const stream = deps.router.stream(prompt.messages, { signal, maxTokens: ANSWER_TOKENS, temperature: 0.2 });
  let text = '';
  let firstTokenMs: number | undefined;
  let usage: AskResult['usage'] = {};
  try {
    for await (const event of stream) {
      if (event.type === 'done') {
        usage = event.usage;
        continue;
      }
      firstTokenMs ??= Math.round(performance.now() - started);
      text += event.text;
      onText(event.text);
    }
  } catch (error) {
    signal.throwIfAborted();
    if (!(error instanceof RouterError)) throw error;
    if (error.code === 'no-provider') return sourcesOnlyAnswer(sources, error.message, { retrievalMs, totalMs: Math.round(performance.now() - started) });
    return finish(text, prompt.sources, sources, stream.answeredBy, { retrievalMs, firstTokenMs, started }, usage, error.message);
  }
  return finish(text, prompt.sources, sources, stream.answeredBy, { retrievalMs, firstTokenMs, started }, usage);
}

function finish(
  text: string,
  numbered: readonly NumberedSource[],
  sources: Hit[],
  answeredBy: { provider: string; model: string } | undefined,
  times: { retrievalMs: number; firstTokenMs: number | undefined; started: number },
  usage: AskResult['usage'],
  interruption?: string,
): AskResult {
  const { answer, citations } = resolveCitations(text, numbered);
  return {
    answer: interruption ? `${answer}\n\n*The answer stopped early: ${interruption}*` : answer,
    citations,
    provider: answeredBy?.provider ?? 'none',
    model: answeredBy?.model ?? '',
    sourcesOnly: false,
    ...(interruption ? { interrupted: interruption } : {}),
    sources,
    timings: {
      retrievalMs: times.retrievalMs,
      ...(times.firstTokenMs !== undefined ? { firstTokenMs: times.firstTokenMs } : {}),
      totalMs: Math.round(performance.now() - times.started),
    },
    usage,
  };
}
