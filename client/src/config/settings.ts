import * as vscode from 'vscode';
import type { FerretSettings } from '../../../server/src/shared/protocol';

/** The `ferret.*` keys, each named as in {@link FerretSettings}. `indexDir` and `watch` are not user settings. */
const KEYS = [
  'embedder',
  'providers',
  'ollamaHost',
  'ollamaEmbedModel',
  'ollamaChatModel',
  'openaiBaseUrl',
  'openaiEmbedModel',
  'openaiChatModel',
  'openaiApiKey',
  'mlxModel',
  'pythonPath',
  'exclude',
  'maxFileSize',
  'autoIndex',
  'answerSources',
  'firstTokenTimeoutSeconds',
  'answerTimeoutSeconds',
  'metricsPort',
] as const satisfies readonly (keyof FerretSettings)[];

/**
 * The daemon pulls the rest live (`workspace/configuration`); these it reads only at start, as
 * they choose the embedder (the vectors on disk), the index location, start-up indexing and the
 * metrics endpoint.
 * Mirrors the daemon's RESTART_ONLY_KEYS; `indexDir` is not a user setting but listed for that parity.
 */
export const RESTART_KEYS: readonly string[] = (['embedder', 'ollamaEmbedModel', 'openaiEmbedModel', 'indexDir', 'autoIndex', 'metricsPort'] as const satisfies readonly (keyof FerretSettings)[]).map(
  (key) => `ferret.${key}`,
);

/**
 * Reads the user's `ferret.*` settings into the shape the daemon takes. Only values the user
 * set are sent, so the daemon's defaults (one place) apply to the rest; the daemon validates
 * and reports wrong values in the log.
 */
export function readSettings(config: vscode.WorkspaceConfiguration, indexDir: string): Partial<FerretSettings> {
  const settings: Partial<FerretSettings> = { indexDir, watch: config.get<boolean>('autoIndex', true) };
  const writable = settings as Record<string, unknown>;
  for (const key of KEYS) {
    const inspected = config.inspect(key);
    const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
    if (value !== undefined) writable[key] = value;
  }
  return settings;
}

/** Where the index lives: per workspace when there is one, else in the extension's global storage. */
export function indexDirectory(context: vscode.ExtensionContext): string {
  return (context.storageUri ?? context.globalStorageUri).fsPath;
}

/** True when a configuration change touches a key that needs a daemon restart. */
export function needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
  return RESTART_KEYS.some((key) => event.affectsConfiguration(key));
}
