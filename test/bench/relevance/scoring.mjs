// Scores of the relevance bench: R@1, R@5, R@10 and MRR@10 from 1-based ranks (0: not in the top
// 10), per question kind and half, and the tables printed at the end of a run.
import { fixed } from '../stats.mjs';

/** 1-based rank of the first item matching, 0 when none does. */
export const rankOf = (list, matches) => list.findIndex(matches) + 1;

export function scores(ranks) {
  const share = (k) => ranks.filter((rank) => rank > 0 && rank <= k).length / ranks.length;
  const mrr = ranks.reduce((sum, rank) => sum + (rank > 0 ? 1 / rank : 0), 0) / ranks.length;
  return { n: ranks.length, r1: share(1), r5: share(5), r10: share(10), mrr };
}

/** `{ [kind]: { [half]: { [system]: scores } } }` for questions carrying `{ kind, half, ranks: { [system]: rank } }`. */
export function metricsOf(questions) {
  const result = {};
  for (const kind of [...new Set(questions.map((q) => q.kind))]) {
    result[kind] = {};
    for (const half of ['tune', 'heldOut']) {
      const subset = questions.filter((q) => q.kind === kind && q.half === half);
      if (subset.length === 0) continue;
      result[kind][half] = Object.fromEntries(Object.keys(subset[0].ranks).map((system) => [system, scores(subset.map((q) => q.ranks[system]))]));
    }
  }
  return result;
}

/** Range-level systems are compared with range-level baselines, file-level with file-level. */
const RANGE_BASELINES = ['bm25-60', 'bm25-20'];
const FILE_BASELINES = ['bm25-file'];

/** `ours`'s score over the best of `baselines`, as a relative gain: +0.10 is 10 % better. */
export function gain(systems, ours, baselines, metric) {
  const best = Math.max(...baselines.filter((name) => systems[name]).map((name) => systems[name][metric]));
  return best > 0 ? systems[ours][metric] / best - 1 : NaN;
}

function block(title, metrics) {
  const lines = [];
  for (const [kind, halves] of Object.entries(metrics)) {
    for (const [half, systems] of Object.entries(halves)) {
      lines.push(`${title} · ${kind} · ${half} (n = ${systems.ferret.n})`);
      lines.push(`  ${'system'.padEnd(10)} ${['R@1', 'R@5', 'R@10', 'MRR'].map((h) => h.padStart(6)).join(' ')}`);
      for (const [name, s] of Object.entries(systems)) {
        lines.push(`  ${name.padEnd(10)} ${[s.r1, s.r5, s.r10, s.mrr].map((v) => fixed(v, 3).padStart(6)).join(' ')}`);
      }
      const gains = (ours, baselines) => ['r1', 'r10', 'mrr'].map((metric) => `${metric} ${(gain(systems, ours, baselines, metric) * 100).toFixed(1)}%`).join(', ');
      lines.push(`  ranges vs best BM25 window: ${gains('ferret', RANGE_BASELINES)}; files vs BM25 files: ${gains('ferret-file', FILE_BASELINES)}`);
    }
  }
  return lines.join('\n');
}

export function printReport(report) {
  const parts = [`Ferret relevance (embedder ${report.embedder}, k = ${report.k}, stripped: ${report.strip}, commit ${report.commit})`];
  for (const [language, run] of Object.entries(report.languages)) {
    const lengths = Object.entries(run.resultLines).map(([name, lines]) => `${name} ${lines}`).join(', ');
    parts.push(`\n${language}: ${run.files} files, ${run.chunks} chunks, index ${fixed(run.indexSeconds)} s, search ${fixed(run.searchSeconds)} s; median result lines: ${lengths}`);
    parts.push(block(language, run.metrics));
  }
  parts.push(`\n${block('pooled', report.pooled)}`);
  return parts.join('\n');
}
