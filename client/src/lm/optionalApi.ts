import type * as vscode from 'vscode';

/**
 * Registers something through an editor API that not every host offers (VS Code forks, editors
 * with chat turned off by policy). When the API is missing or refuses, Ferret goes on without
 * that feature: one log line, no pop-up, since the user did nothing wrong.
 */
export function registerIfAvailable(
  what: string,
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  register: () => vscode.Disposable | undefined,
): vscode.Disposable[] {
  try {
    const registration = register();
    if (registration) return [registration];
    log.info(`This editor has no API for ${what}; Ferret works without it.`);
  } catch (error) {
    log.warn(`This editor refused ${what}, so Ferret works without it: ${error instanceof Error ? error.message : String(error)}`);
  }
  return [];
}
