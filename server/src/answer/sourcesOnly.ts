import type { AskResult, Hit } from '../shared/protocol';

/**
 * The answer when no model could: the ranked ranges, clearly labelled, each cited so the
 * editor can show and open them. Retrieval alone still answers "where is this done?".
 */
export function sourcesOnlyAnswer(sources: Hit[], reason: string, timings: { retrievalMs: number; totalMs: number }): AskResult {
  const lines = sources.map((hit, i) => `${i + 1}. \`${hit.path}:${hit.startLine}-${hit.endLine}\`${hit.symbol ? ` ${hit.symbol}` : ''} [${i + 1}]`);
  const body = sources.length ? `Sources only: no model answered, so here are the most relevant ranges.\n\n${lines.join('\n')}` : 'Sources only: no model answered, and the index has nothing matching this question.';
  return {
    answer: body,
    citations: sources.map((hit, i) => ({ n: i + 1, folder: hit.folder, path: hit.path, startLine: hit.startLine, endLine: hit.endLine, symbol: hit.symbol })),
    provider: 'none',
    model: '',
    sourcesOnly: true,
    sourcesOnlyReason: reason,
    sources,
    timings,
    usage: {},
  };
}
