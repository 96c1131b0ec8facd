import { execFile } from 'node:child_process';

/** The commit a folder's checkout is at, or undefined when it is not a git checkout (or git is absent or slow). */
export function headCommit(folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd: folder, timeout: 5_000 }, (error, stdout) => {
      const commit = stdout.trim();
      resolve(!error && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined);
    });
  });
}
