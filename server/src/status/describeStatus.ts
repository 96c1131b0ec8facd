import type { EmbedderStatus, Endpoint, FolderStatus, Health, ProviderState, SettingKey, StatusReport } from '../shared/protocol';
import { countOf, formatProgress } from '../shared/counts';
import { describeReadiness } from './readiness';

/** Folds per-folder states into the one health, quiescence and sentence a status bar shows. */
export function describeStatus(input: {
  folders: FolderStatus[];
  /** Folders (by path) whose live index holds a finished pass. */
  complete: ReadonlySet<string>;
  embedder: EmbedderStatus;
  /** Why the embedder's latest call failed; undefined while it answers. */
  embedderFailure?: string;
  providers: ProviderState[];
  lastAnswered: { provider: string; model: string } | undefined;
  endpoints: Endpoint[];
  restartPending?: readonly SettingKey[];
  version: string;
}): StatusReport {
  const { folders } = input;
  const failed = folders.filter((f) => f.state === 'error');
  const busy = folders.filter((f) => f.state !== 'ready' && f.state !== 'error');
  const quiescent = busy.length === 0 && folders.every((f) => f.pending === 0);
  const files = folders.reduce((n, f) => n + f.files, 0);
  const chunks = folders.reduce((n, f) => n + f.chunks, 0);
  const readiness = describeReadiness(input);
  let health: Health = 'ok';
  let message: string;
  if (failed.length) {
    health = 'error';
    message = failed.map((f) => `${f.folder}: ${f.error ?? 'indexing failed'}`).join(' ');
  } else if (!quiescent) {
    const done = busy.reduce((n, f) => n + (f.progress?.done ?? 0), 0);
    const total = busy.reduce((n, f) => n + (f.progress?.total ?? 0), 0);
    message = total ? `Indexing ${formatProgress(done, total)} files…` : 'Scanning the workspace…';
  } else if (!readiness.ready) {
    message = readiness.notReadyReason;
  } else {
    message = `Ready: ${countOf(files, 'file')}, ${countOf(chunks, 'chunk')}.`;
  }
  if (input.embedder.pendingVectors > 0 && health === 'ok') health = 'warning';
  // Changes are still followed, only late: worth the user's notice, not an error.
  if (health === 'ok' && folders.some((f) => f.watching)) health = 'warning';
  // The index's health; a paused model counts, a model that failed once is told per provider
  // (`availability`), which the status bar shows, so a daemon without a model still reports its index ok.
  if (health === 'ok' && input.providers.some((p) => p.breaker === 'open')) health = 'warning';
  return {
    health,
    quiescent,
    ...readiness,
    message,
    folders,
    embedder: input.embedder,
    providers: input.providers,
    ...(input.lastAnswered ? { lastAnswered: input.lastAnswered } : {}),
    endpoints: input.endpoints,
    ...(input.restartPending?.length ? { restartPending: [...input.restartPending] } : {}),
    version: input.version,
  };
}
