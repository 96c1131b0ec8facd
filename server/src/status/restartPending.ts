import type { FerretSettings, SettingKey } from '../shared/settingsSchema';
import { changedKeys, RESTART_ONLY_KEYS } from '../config/settings';

/**
 * The connection settings a running embedder was built with. The chat providers are rebuilt when
 * these change, but the embedder is not (its vectors are on disk, and re-embedding follows a
 * deliberate restart): Ollama's host for an Ollama embedder, the server and key for an
 * OpenAI-compatible one. With `auto` the host also decides which embedder a start picks, so a
 * local fallback waits on it too.
 */
export function embedderConnectionKeys(settings: FerretSettings, embedderId: string): SettingKey[] {
  if (embedderId.startsWith('ollama')) return ['ollamaHost'];
  if (embedderId.startsWith('openai')) return ['openaiBaseUrl', 'openaiApiKey'];
  return settings.embedder === 'auto' ? ['ollamaHost'] : [];
}

/**
 * Settings whose latest values a running daemon does not use until it restarts: restart-only keys
 * and the embedder's connection, each where the latest value differs from the start-up one (a
 * value changed back needs no restart).
 */
export function restartPending(startup: FerretSettings, latest: FerretSettings, embedderId: string): SettingKey[] {
  const waiting = new Set<SettingKey>([...RESTART_ONLY_KEYS, ...embedderConnectionKeys(startup, embedderId)]);
  return changedKeys(startup, latest).filter((key) => waiting.has(key));
}
