import * as vscode from 'vscode';
import { SETTINGS, USER_SETTING_KEYS, type FerretSettings } from '../../../server/src/shared/settingsSchema';

/**
 * Reads the user's `ferret.*` settings into the shape the daemon takes. Only values the user
 * set are sent, so the daemon's defaults apply to the rest; the daemon validates and reports
 * wrong values in the log. `indexDir` and `watch` are not user settings: the index lives in the
 * extension's storage, and watching follows `autoIndex`.
 */
export function readSettings(config: vscode.WorkspaceConfiguration, indexDir: string): Partial<FerretSettings> {
  const settings: Partial<FerretSettings> = { indexDir, watch: config.get<boolean>('autoIndex', SETTINGS.autoIndex.default) };
  const writable = settings as Record<string, unknown>;
  for (const key of USER_SETTING_KEYS) {
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
