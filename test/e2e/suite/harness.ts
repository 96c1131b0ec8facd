import type * as vscode from 'vscode';

/** A named check run inside the extension host. */
export interface Check {
  name: string;
  run: () => Promise<void>;
}

/**
 * Runs checks in order and rejects if any failed: the `run()` contract of VS Code's test
 * runners (code-server's smoke-test driver here, `@vscode/test-electron` elsewhere).
 */
export async function runChecks(checks: Check[]): Promise<void> {
  const failures: string[] = [];
  for (const check of checks) {
    const started = Date.now();
    try {
      await check.run();
      console.log(`ok ${check.name} (${Date.now() - started} ms)`);
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`not ok ${check.name}\n${detail}`);
      failures.push(check.name);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${checks.length} checks failed: ${failures.join(', ')}`);
}

/** Resolves with the first value of an event that satisfies `ready`, checking `current` first; rejects after `ms`. */
export function until<T>(event: vscode.Event<T> | ((l: (v: T) => void) => vscode.Disposable), ready: (v: T) => boolean, what: string, current?: T, ms = 60_000): Promise<T> {
  if (current !== undefined && ready(current)) return Promise.resolve(current);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const subscription = event((value: T) => {
      if (!ready(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}
