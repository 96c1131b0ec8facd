import { countOf, formatCount, formatProgress } from '../../../server/src/shared/counts';
import type { FolderStatus, ProviderState, StatusReport } from '../../../server/src/shared/protocol';
import type { DaemonState } from '../daemon/daemonApi';

/** What the status-bar item shows; plain data so the rules are testable without VS Code. */
export interface StatusView {
  /** Text with codicons, e.g. `$(sync~spin) Ferret: indexing 3/40`. */
  text: string;
  /** Which theme background to use, if any. */
  severity: 'none' | 'warning' | 'error';
  /** Markdown lines describing the state, without the command links. */
  details: string[];
}

/** Decides what the user sees for a daemon state and its latest report. */
export function statusView(state: DaemonState, report: StatusReport | undefined): StatusView {
  if (state === 'failed') return { text: '$(error) Ferret: stopped', severity: 'error', details: ['The daemon stopped after repeated failures. The logs say why.'] };
  if (state === 'stopped') return { text: '$(circle-slash) Ferret: off', severity: 'none', details: ['The daemon is not running. Open a folder, or restart it.'] };
  if (state === 'starting' || !report) return { text: '$(loading~spin) Ferret: starting', severity: 'none', details: ['The daemon is starting.'] };

  const details = [report.message, ...report.folders.map(folderLine), embedderLine(report), ...report.providers.map(providerLine)];
  if (report.lastAnswered) details.push(`Last answer: ${report.lastAnswered.provider} · ${report.lastAnswered.model}`);
  // Only what leaves the machine is worth a line: loopback is the default and says nothing new.
  for (const endpoint of report.endpoints.filter((e) => e.remote)) details.push(`Sends ${endpoint.purpose === 'chat' ? 'questions and code' : 'code'} off this machine to ${endpoint.url} (${endpoint.provider})`);

  const busy = report.folders.filter((f) => f.state === 'scanning' || f.state === 'indexing' || f.state === 'starting');
  if (busy.length > 0) {
    const done = busy.reduce((n, f) => n + (f.progress?.done ?? 0), 0);
    const total = busy.reduce((n, f) => n + (f.progress?.total ?? 0), 0);
    return { text: `$(sync~spin) Ferret: indexing${total > 0 ? ` ${formatProgress(done, total)}` : '…'}`, severity: 'none', details };
  }
  if (report.health === 'error' || report.folders.some((f) => f.state === 'error')) return { text: '$(error) Ferret: error', severity: 'error', details };
  // Idle but searches would not be answered in full (no complete index, vectors unavailable): the message says why.
  if (!report.ready) return { text: '$(warning) Ferret: not ready', severity: 'warning', details };
  const chunks = report.folders.reduce((n, f) => n + f.chunks, 0);
  // A model that failed its latest question or probe is a warning even while the index is fine.
  if (report.providers.some((p) => p.availability === 'unavailable') || report.health === 'warning') {
    return { text: `$(warning) Ferret: ${countOf(chunks, 'chunk')}`, severity: 'warning', details };
  }
  return { text: `$(check) Ferret: ${countOf(chunks, 'chunk')}`, severity: 'none', details };
}

function folderLine(folder: FolderStatus): string {
  const progress = folder.progress ? ` ${formatProgress(folder.progress.done, folder.progress.total)}` : '';
  const error = folder.error ? ` — ${folder.error}` : '';
  const watching = folder.watching ? ` — ${folder.watching}` : '';
  return `**${basename(folder.folder)}**: ${folder.state}${progress}, ${countOf(folder.files, 'file')}, ${countOf(folder.chunks, 'chunk')}${error}${watching}`;
}

function embedderLine(report: StatusReport): string {
  const pending = report.embedder.pendingVectors > 0 ? ` (${formatCount(report.embedder.pendingVectors)} vectors to compute)` : '';
  return `Embedder: ${report.embedder.id}${pending} — ${report.embedder.reason}`;
}

/** Says what the provider's latest question or probe showed, never more than that. */
function providerLine(provider: ProviderState): string {
  const error = provider.availability === 'unavailable' && provider.lastError ? ` — ${provider.lastError}` : '';
  return `Model ${provider.id} · ${provider.model}: ${providerState(provider)}${error}`;
}

function providerState(provider: ProviderState): string {
  if (provider.breaker === 'open') return 'unavailable, paused after failures';
  if (provider.availability === 'unavailable') return provider.breaker === 'half-open' ? 'unavailable, being retried' : 'unavailable';
  return provider.availability === 'available' ? 'available' : 'not checked yet';
}

function basename(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
