import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { DEFAULT_MLX_MODEL } from '../bridge/mlxChat';
import { DEFAULT_OLLAMA_EMBED_MODEL } from '../embed/ollamaEmbedder';
import { DEFAULT_FIRST_TOKEN_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS } from '../llm/chatRouter';
import { DEFAULT_OLLAMA_CHAT_MODEL } from '../llm/ollamaChat';
import type { EmbedderChoice, FerretSettings } from '../shared/protocol';

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
const EMBEDDERS: readonly EmbedderChoice[] = ['auto', 'local', 'ollama', 'openai'];
const PROVIDERS: readonly string[] = ['mlx', 'ollama', 'openai'];

/**
 * Turns whatever a client sent into complete settings. A wrong value is reported and
 * replaced by its default rather than refusing to start: a typo in one setting should
 * not leave the user without search.
 */
export function resolveSettings(raw: unknown, warn: (message: string) => void): FerretSettings {
  const given = isRecord(raw) ? raw : {};
  const pick = <T>(key: keyof FerretSettings, fallback: T, valid: (v: unknown) => v is T): T => {
    const value = given[key];
    if (value === undefined || value === null) return fallback;
    if (valid(value)) return value;
    warn(`Setting ${key} has an invalid value ${JSON.stringify(value)}; using ${JSON.stringify(fallback)}.`);
    return fallback;
  };
  return {
    indexDir: pick('indexDir', '', isString),
    embedder: pick('embedder', 'auto', (v): v is EmbedderChoice => EMBEDDERS.includes(v as EmbedderChoice)),
    ollamaHost: pick('ollamaHost', '', isString),
    ollamaEmbedModel: pick('ollamaEmbedModel', DEFAULT_OLLAMA_EMBED_MODEL, isNonEmptyString),
    openaiBaseUrl: pick('openaiBaseUrl', '', isString),
    openaiEmbedModel: pick('openaiEmbedModel', 'text-embedding-3-small', isNonEmptyString),
    openaiApiKey: pick('openaiApiKey', '', isString),
    exclude: pick('exclude', [], (v): v is string[] => Array.isArray(v) && v.every(isString)),
    maxFileSize: pick('maxFileSize', DEFAULT_MAX_FILE_SIZE, (v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0),
    watch: pick('watch', true, isBoolean),
    autoIndex: pick('autoIndex', true, isBoolean),
    providers: pick('providers', [], (v): v is string[] => Array.isArray(v) && v.every((p) => PROVIDERS.includes(p as string))),
    ollamaChatModel: pick('ollamaChatModel', DEFAULT_OLLAMA_CHAT_MODEL, isNonEmptyString),
    openaiChatModel: pick('openaiChatModel', 'gpt-4o-mini', isNonEmptyString),
    mlxModel: pick('mlxModel', DEFAULT_MLX_MODEL, isNonEmptyString),
    pythonPath: pick('pythonPath', '', isString),
    answerSources: pick('answerSources', 8, (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 50),
    firstTokenTimeoutSeconds: pick('firstTokenTimeoutSeconds', DEFAULT_FIRST_TOKEN_TIMEOUT_MS / 1000, isPositiveSeconds),
    answerTimeoutSeconds: pick('answerTimeoutSeconds', DEFAULT_TOTAL_TIMEOUT_MS / 1000, isPositiveSeconds),
    metricsPort: pick('metricsPort', 0, (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535),
  };
}

/**
 * Keys the daemon reads only at start: they choose the embedder (and so the vectors on disk),
 * where the index lives, and what happens at start-up. A running daemon keeps its values for
 * these; the client asks the user to restart instead (its RESTART_KEYS).
 */
export const RESTART_ONLY_KEYS = ['indexDir', 'embedder', 'ollamaEmbedModel', 'openaiEmbedModel', 'autoIndex', 'watch', 'metricsPort'] as const satisfies readonly (keyof FerretSettings)[];
/** Keys that shape the chat providers; a change rebuilds them. */
export const PROVIDER_KEYS = ['providers', 'ollamaHost', 'ollamaChatModel', 'openaiBaseUrl', 'openaiChatModel', 'openaiApiKey', 'mlxModel', 'pythonPath', 'firstTokenTimeoutSeconds', 'answerTimeoutSeconds'] as const satisfies readonly (keyof FerretSettings)[];
/** Keys that decide which files are indexed; a change reloads the ignore rules and syncs. */
export const FILE_RULE_KEYS = ['exclude', 'maxFileSize'] as const satisfies readonly (keyof FerretSettings)[];

/** The keys whose values differ between two complete settings. */
export function changedKeys(before: FerretSettings, after: FerretSettings): (keyof FerretSettings)[] {
  return (Object.keys(after) as (keyof FerretSettings)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** The user's cache folder, per platform conventions. */
function cacheHome(): string {
  if (process.env.XDG_CACHE_HOME) return process.env.XDG_CACHE_HOME;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches');
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  return join(homedir(), '.cache');
}

/** A readable, collision-free folder name for a workspace path. */
export function folderSlug(folder: string): string {
  const name = basename(folder).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return `${name}-${createHash('sha1').update(folder).digest('hex').slice(0, 10)}`;
}

/** Where one workspace folder's index lives: under the configured root, or the user's cache dir. */
export function folderIndexDir(settings: FerretSettings, folder: string): string {
  const root = settings.indexDir || join(cacheHome(), 'ferret');
  return join(root, folderSlug(folder));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isString(value: unknown): value is string {
  return typeof value === 'string';
}
function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
function isPositiveSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= 24 * 3600;
}
function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}
