import type { AskResult, Hit, IndexSummary, SearchResult, StatusReport } from '../shared/protocol';
import { countOf as count, formatCount, formatProgress } from '../shared/counts';
import { formatDuration } from '../text/wording';
import type { Style } from './style';

const SNIPPET_LINES = 4;
const SNIPPET_WIDTH = 120;

/** The one-line JSON shape of `ferret search --json`; paths stay relative to the workspace. */
export function searchJsonLine(query: string, result: SearchResult): string {
  return JSON.stringify({
    query,
    results: result.results.map((hit) => ({
      path: hit.path,
      startLine: hit.startLine,
      endLine: hit.endLine,
      symbol: hit.symbol,
      score: hit.score,
    })),
    mode: result.mode,
  });
}

/** Readable search output: a heading line per hit and the lines of its range that best match the query. */
export function formatHits(result: SearchResult, style: Style): string {
  if (result.results.length === 0) return `No results for "${result.query}".\n`;
  const terms = queryTerms(result.query);
  return result.results.map((hit) => formatHit(hit, terms, style)).join('\n');
}

function formatHit(hit: Hit, terms: readonly string[], style: Style): string {
  const location = `${style.cyan(hit.path)}${style.dim(`:${hit.startLine}-${hit.endLine}`)}`;
  const symbol = hit.symbol ? `  ${style.bold(hit.symbol)}` : '';
  const heading = `${location}${symbol}  ${style.dim(`(${formatScore(hit.score)})`)}\n`;
  return heading + snippet(hit, terms, style);
}

export function formatScore(score: number): string {
  return Math.abs(score) >= 100 ? score.toFixed(0) : score.toPrecision(3);
}

/** Lower-case words of the query, camelCase split, long enough to mean something in a line. */
function queryTerms(query: string): string[] {
  const words = query.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return [...new Set(words.filter((word) => word.length >= 3))];
}

/**
 * A few lines of the hit: ranges can be long (small neighbours merge into one chunk), so the
 * window starts just above the line that holds most query words, else at the first non-blank line.
 */
function snippet(hit: Hit, terms: readonly string[], style: Style): string {
  const lines = hit.text.replace(/\r\n?/g, '\n').split('\n');
  let first = 0;
  while (first < lines.length - 1 && lines[first]!.trim() === '') first++;
  let best = -1;
  let bestScore = 0;
  lines.forEach((line, i) => {
    const lower = line.toLowerCase();
    const score = terms.filter((term) => lower.includes(term)).length;
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  if (best > first) first = best - 1;
  const shown = lines.slice(first, first + SNIPPET_LINES);
  const indent = Math.min(...shown.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  const gutterWidth = String(hit.startLine + first + shown.length - 1).length;
  const body = shown.map((line, i) => {
    const number = String(hit.startLine + first + i).padStart(gutterWidth);
    const text = line.slice(Number.isFinite(indent) ? indent : 0).replace(/\t/g, '  ');
    const clipped = text.length > SNIPPET_WIDTH ? `${text.slice(0, SNIPPET_WIDTH - 1)}…` : text;
    return `  ${style.dim(`${number} │`)} ${clipped}`.trimEnd();
  });
  const hidden = lines.length - shown.length;
  if (hidden > 0) body.push(`  ${style.dim(`${' '.repeat(gutterWidth)} ┆ ${hidden} more line${hidden === 1 ? '' : 's'} in range`)}`);
  return `${body.join('\n')}\n`;
}

/** What `ferret index` prints after a pass, one block per workspace folder. */
export function formatSummaries(summaries: readonly IndexSummary[], style: Style): string {
  return summaries.map((summary) => formatSummary(summary, style)).join('\n');
}

function formatSummary(s: IndexSummary, style: Style): string {
  const rows: [string, string][] = [
    ['this pass', `${count(s.indexedFiles, 'file')} indexed, ${count(s.removedFiles, 'file')} removed, ${formatBytes(s.bytes)} read`],
    ['vectors', `${count(s.embeddedChunks, 'chunk')} embedded, ${count(s.reusedChunks, 'chunk')} reused`],
    ['skipped', breakdown(s.skipped)],
    ['parse fallbacks', breakdown(s.parseFallbacks)],
  ];
  if (s.seededFiles) rows.splice(1, 0, ['shared index', `${count(s.seededFiles, 'file')} (${count(s.seededChunks, 'chunk')}) copied`]);
  const heading = `${style.bold(`${count(s.files, 'file')}, ${count(s.chunks, 'chunk')}`)} in ${style.cyan(s.folder)} ${style.dim(`(${formatDuration(s.durationMs)})`)}`;
  return `${heading}\n${table(rows, style)}`;
}

/** Readable `ferret status`. */
export function formatStatus(report: StatusReport, style: Style): string {
  const healthColor = report.health === 'ok' ? style.green : report.health === 'warning' ? style.yellow : style.red;
  const lines = [`Ferret ${report.version}  ${healthColor(report.health)}  ${report.message}`];
  lines.push(table([['ready', report.ready ? style.green('yes') : `${style.yellow('no')} — ${report.notReadyReason ?? 'no reason given'}`]], style).trimEnd());
  const embedder = report.embedder;
  const pending = embedder.pendingVectors > 0 ? `, ${count(embedder.pendingVectors, 'vector')} pending` : '';
  lines.push(table([['embedder', `${embedder.id} (${embedder.dimensions} dimensions${pending})${embedder.reason ? ` — ${embedder.reason}` : ''}`]], style).trimEnd());
  for (const provider of report.providers) {
    // What its latest answer or probe showed: a closed breaker alone does not make a model available.
    const state =
      provider.breaker === 'open'
        ? style.red('unavailable, paused after failures')
        : provider.availability === 'unavailable'
          ? style.red('unavailable')
          : provider.availability === 'available'
            ? style.green('available')
            : style.yellow('not checked yet');
    const error = provider.lastError && provider.availability === 'unavailable' ? ` — ${provider.lastError}` : '';
    lines.push(table([[`chat ${provider.id}`, `${provider.model}: ${state}${error}`]], style).trimEnd());
  }
  const sendsTo = report.endpoints.map((e) => `${e.purpose} → ${e.url}${e.remote ? ` ${style.yellow('(remote)')}` : ''}`);
  lines.push(table([['sends to', sendsTo.length ? sendsTo.join(', ') : 'nothing (all on this machine)']], style).trimEnd());
  for (const folder of report.folders) {
    const rows: [string, string][] = [];
    const pendingFiles = folder.pending > 0 ? `, ${count(folder.pending, 'file')} pending` : '';
    rows.push(['state', `${folder.state} (${count(folder.files, 'file')}, ${count(folder.chunks, 'chunk')}${pendingFiles})`]);
    if (folder.progress) rows.push(['progress', `${formatProgress(folder.progress.done, folder.progress.total)} files`]);
    rows.push(['index', folder.indexDir]);
    rows.push(['skipped', breakdown(folder.skipped)]);
    if (folder.sharedIndex) rows.push(['shared index', folder.sharedIndex]);
    if (folder.watching) rows.push(['watching', style.yellow(folder.watching)]);
    if (folder.error) rows.push(['error', style.red(folder.error)]);
    lines.push(style.cyan(folder.folder), table(rows, style).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

function table(rows: readonly [string, string][], style: Style): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${style.dim(label.padEnd(width))}  ${value}\n`).join('');
}

/** `12: ignored 10, binary 2`, largest first, or `none`. */
export function breakdown(counts: Partial<Record<string, number>>): string {
  const entries = Object.entries(counts)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return 'none';
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `${formatCount(total)}: ${entries.map(([reason, n]) => `${reason} ${formatCount(n)}`).join(', ')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Model output is untrusted: terminal control sequences in it could rewrite the screen or the
 * title. Everything below space but newline and tab is dropped, as is DEL and the C1 range.
 */
export function stripControl(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

/** What follows a streamed answer: the end of its text if nothing streamed, its sources, who answered. */
export function formatAnswerEnd(result: AskResult, streamed: boolean, style: Style): string {
  // A streamed answer has no newline of its own yet.
  const lines: string[] = streamed ? [''] : [];
  if (!streamed) lines.push(stripControl(result.answer));
  else if (result.interrupted) lines.push('', style.yellow(`The answer stopped early: ${stripControl(result.interrupted)}`));
  if (!result.sourcesOnly && result.citations.length > 0) {
    lines.push('', style.bold('Sources:'));
    for (const c of result.citations) {
      lines.push(`  [${c.n}] ${style.cyan(c.path)}${style.dim(`:${c.startLine}-${c.endLine}`)}${c.symbol ? `  ${c.symbol}` : ''}`);
    }
  }
  if (!result.sourcesOnly) {
    const first = result.timings.firstTokenMs !== undefined ? `, first token ${result.timings.firstTokenMs} ms` : '';
    lines.push('', style.dim(`${result.model} via ${result.provider}${first}, ${(result.timings.totalMs / 1000).toFixed(1)} s`));
  }
  return `${lines.join('\n')}\n`;
}
