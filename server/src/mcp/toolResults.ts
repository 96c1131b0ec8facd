import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { formatScore, formatStatus, formatSummaries } from '../daemonClient/format';
import { countOf as count } from '../shared/counts';
import { PLAIN } from '../daemonClient/style';
import type { AskResult, DefinitionsResult, ReferencesResult, ReindexResult, SearchResult, StatusReport } from '../shared/protocol';
import { fencedCode, rangeHeading as heading, signatureLine } from '../shared/rangeText';
import type { FileResources } from './fileResources';
import type { askOutput, definitionsOutput, OutputOf, referencesOutput, reindexOutput, searchOutput, statusOutput } from './toolSchemas';

/**
 * Daemon results as MCP tool results: readable text for the model (the content most clients
 * show it) and the same facts as `structuredContent` matching the tool's output schema.
 */

export function searchToolResult(result: SearchResult, indexing: string | undefined, files: FileResources): CallToolResult {
  const structured: OutputOf<typeof searchOutput> = {
    query: result.query,
    mode: result.mode,
    ...(result.modeReason ? { modeReason: result.modeReason } : {}),
    ...(indexing ? { indexing } : {}),
    results: result.results.map((hit) => ({ ...rangeOf(hit, files), kind: hit.kind, language: hit.language, score: hit.score, signature: signatureLine(hit.text), code: hit.text })),
  };
  const lines = [result.results.length ? `${count(result.results.length, 'range')} for "${result.query}", best first.` : `No ranges match "${result.query}".`];
  if (result.mode === 'fulltext') lines.push(`Full-text search only${result.modeReason ? `: ${result.modeReason}` : ''}.`);
  if (indexing) lines.push(indexing);
  const hits = result.results.map((hit, i) => `${i + 1}. ${heading(hit)}  (score ${formatScore(hit.score)})\n   ${signatureLine(hit.text)}\n${fencedCode(hit.text, hit.language)}`);
  return toolResult([lines.join('\n'), ...hits].join('\n\n'), structured, distinctPaths(result.results), files);
}

export function askToolResult(result: AskResult, indexing: string | undefined, files: FileResources): CallToolResult {
  const structured: OutputOf<typeof askOutput> = {
    answer: result.answer,
    citations: result.citations.map((c) => ({ n: c.n, ...rangeOf(c, files) })),
    provider: result.provider,
    model: result.model,
    sourcesOnly: result.sourcesOnly,
    ...(result.sourcesOnlyReason ? { sourcesOnlyReason: result.sourcesOnlyReason } : {}),
    ...(result.interrupted ? { interrupted: result.interrupted } : {}),
    ...(indexing ? { indexing } : {}),
  };
  const notes = indexing ? [indexing] : [];
  let text: string;
  if (result.sourcesOnly) {
    // The daemon's reason is a full sentence ("No chat model could answer. Could not connect to …").
    const why = result.sourcesOnlyReason ?? 'No model answered.';
    const sources = result.sources.map((hit, i) => `[${i + 1}] ${heading(hit)}\n${fencedCode(hit.text, hit.language)}`);
    const intro = sources.length ? 'Sources only: here are the most relevant ranges with their code; answer from them yourself.' : 'Sources only, and the index has nothing matching this question.';
    text = [why, ...notes, intro, ...sources].join('\n\n');
  } else {
    const cited = result.citations.map((c) => `[${c.n}] ${heading(c)}`);
    const sources = cited.length ? `Sources:\n${cited.join('\n')}` : 'The answer cites no sources.';
    text = [result.answer, sources, `Answered by ${result.model} via ${result.provider}.`, ...notes].join('\n\n');
  }
  return toolResult(text, structured, distinctPaths(result.citations), files);
}

export function definitionsToolResult(result: DefinitionsResult, indexing: string | undefined, files: FileResources): CallToolResult {
  const note = indexing ?? result.incompleteReason;
  const structured: OutputOf<typeof definitionsOutput> = {
    name: result.name,
    definitions: result.definitions.map((d) => ({ path: d.path, startLine: d.startLine, endLine: d.endLine, name: d.name, kind: d.kind, container: d.container, uri: files.uriOf(d.path) })),
    ...(note ? { indexing: note } : {}),
  };
  const found = result.definitions.map((d) => `${d.path}:${d.startLine}-${d.endLine}  ${d.kind} ${d.container ? `${d.container}.${d.name}` : d.name}`);
  const head = found.length ? `${count(found.length, 'definition')} of ${result.name}:` : `No definition of ${result.name} in this workspace; search_codebase finds code by words.`;
  return toolResult([head, ...found, ...(note ? [note] : [])].join('\n'), structured, distinctPaths(result.definitions), files);
}

export function referencesToolResult(result: ReferencesResult, indexing: string | undefined, files: FileResources): CallToolResult {
  const note = indexing ?? result.incompleteReason;
  const structured: OutputOf<typeof referencesOutput> = {
    name: result.name,
    references: result.references.map((r) => rangeOf(r, files)),
    truncated: result.truncated,
    ...(note ? { indexing: note } : {}),
  };
  const found = result.references.map((r) => `${r.path}:${r.startLine}-${r.endLine}  ${r.symbol || '(top level)'}`);
  const more = result.truncated ? ' (more not shown; raise limit)' : '';
  const head = found.length ? `${count(found.length, 'place')} use ${result.name}${more}:` : `Nothing in this workspace uses ${result.name}.`;
  return toolResult([head, ...found, ...(note ? [note] : [])].join('\n'), structured, distinctPaths(result.references), files);
}

export function statusToolResult(report: StatusReport): CallToolResult {
  const structured: OutputOf<typeof statusOutput> = {
    health: report.health,
    quiescent: report.quiescent,
    message: report.message,
    folders: report.folders.map((f) => ({
      folder: f.folder,
      state: f.state,
      files: f.files,
      chunks: f.chunks,
      pending: f.pending,
      ...(f.progress ? { progress: f.progress } : {}),
      indexDir: f.indexDir,
      ...(f.error ? { error: f.error } : {}),
      skipped: f.skipped,
    })),
    embedder: report.embedder,
    providers: report.providers.map((p) => ({ id: p.id, model: p.model, breaker: p.breaker, consecutiveFailures: p.consecutiveFailures, ...(p.lastError ? { lastError: p.lastError } : {}) })),
    version: report.version,
  };
  return { content: [{ type: 'text', text: formatStatus(report, PLAIN) }], structuredContent: structured };
}

export function reindexToolResult(result: ReindexResult): CallToolResult {
  const structured: OutputOf<typeof reindexOutput> = { summaries: result.summaries };
  return { content: [{ type: 'text', text: formatSummaries(result.summaries, PLAIN) }], structuredContent: structured };
}

function toolResult(text: string, structured: Record<string, unknown>, paths: string[], files: FileResources): CallToolResult {
  files.remember(paths);
  return { content: [{ type: 'text', text }, ...paths.map((path) => files.link(path))], structuredContent: structured };
}

function rangeOf(range: { path: string; startLine: number; endLine: number; symbol: string }, files: FileResources) {
  return { path: range.path, startLine: range.startLine, endLine: range.endLine, symbol: range.symbol, uri: files.uriOf(range.path) };
}

function distinctPaths(ranges: readonly { path: string }[]): string[] {
  return [...new Set(ranges.map((r) => r.path))];
}
