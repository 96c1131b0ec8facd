import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { WorkDoneProgress } from 'vscode-languageserver/node';
import { onNotification, sendRequest } from '../../server/src/shared/messageTypes';
import { statusNotification, statusRequest, type FerretSettings, type StatusReport } from '../../server/src/shared/protocol';

export const SERVER_BUNDLE = join(__dirname, '..', '..', 'dist', 'server.js');

/**
 * A test file's process ends when nothing is left open. Files that spawn daemons and read LanceDB
 * sometimes keep a handle alive after their last test (seen in CI, not reproduced on demand), and
 * the runner then waits for the file until its timeout. Once every test and hook of the file is
 * done, a handle still open after 20 s is named on stderr and the process ends with the exit code
 * the tests set: the results are already reported; only the wait is cut.
 */
after(() => {
  const guard = setTimeout(() => {
    process.stderr.write(`Test process still busy 20 s after its last test; open: ${JSON.stringify(process.getActiveResourcesInfo())}. Exiting.\n`);
    process.exit(process.exitCode ?? 0);
  }, 20_000);
  guard.unref();
});

export interface Daemon {
  child: ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  /** Everything the daemon wrote to stderr and logged, for failure messages. */
  logs: string[];
  /** Kinds of the standard work-done progress notifications received, in order. */
  progress: string[];
  /** Resolves with the first status notification (or request result) that satisfies `predicate`. */
  statusWhere(predicate: (status: StatusReport) => boolean): Promise<StatusReport>;
  /** Resolves once a log line matching `pattern` has arrived (now or later). */
  logWhere(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /**
   * When given, the test client declares the `workspace.configuration` capability and answers
   * every pull of the `ferret` section with this object as it is at that moment; mutate it and
   * send `workspace/didChangeConfiguration` to change settings live, as the extension does.
   */
  configuration?: Partial<FerretSettings>;
  /** Runs the daemon as this user, e.g. an unprivileged one so that file permissions bind under root. */
  user?: { uid: number; gid: number };
}

/** Spawns the bundled daemon over stdio, as the CLI does, and completes the handshake. */
export async function startDaemon(folders: string[], settings: Partial<FerretSettings>, env: NodeJS.ProcessEnv = {}, options: DaemonOptions = {}): Promise<Daemon> {
  const child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { env: { ...process.env, OLLAMA_HOST: 'http://127.0.0.1:9', ...env }, ...options.user });
  const logs: string[] = [];
  child.stderr.on('data', (d: Buffer) => logs.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const watchers: Array<{ predicate: (s: StatusReport) => boolean; resolve: (s: StatusReport) => void; reject: (e: Error) => void }> = [];
  const offer = (status: StatusReport) => {
    for (const w of [...watchers]) {
      if (w.predicate(status)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(status);
      }
    }
  };
  onNotification(connection, statusNotification, offer);
  const logWatchers: Array<{ pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  // A wait on a daemon that died can never end: fail it with the daemon's last words instead.
  void exited.then((code) => {
    const error = new Error(`The daemon exited (code ${code}, signal ${child.signalCode}) while a test waited on it. Its log ends:\n${logs.join('').slice(-2000)}`);
    for (const w of watchers.splice(0)) w.reject(error);
    for (const w of logWatchers.splice(0)) w.reject(error);
  });
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(`${p.message}\n`);
    for (const w of logWatchers.filter((w) => w.pattern.test(p.message))) {
      logWatchers.splice(logWatchers.indexOf(w), 1);
      w.resolve(p.message);
    }
  });
  const { configuration } = options;
  if (configuration) {
    connection.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((item) => (item.section === 'ferret' ? { ...configuration } : null)),
    );
  }
  const progress: string[] = [];
  // Progress is followed per token: a catch-all '$/progress' handler would swallow the
  // partial results of ferret/ask, which vscode-jsonrpc routes by token too.
  connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
    connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
      progress.push(value.kind);
    });
    return null;
  });
  connection.listen();
  await connection.sendRequest('initialize', {
    // The daemon probes this pid with kill(pid, 0) and exits on failure, which EPERM is under another user.
    processId: options.user ? null : process.pid,
    rootUri: null,
    capabilities: { window: { workDoneProgress: true }, ...(configuration ? { workspace: { configuration: true } } : {}) },
    workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: f })),
    initializationOptions: { settings },
  });
  await connection.sendNotification('initialized', {});
  return {
    child,
    connection,
    logs,
    progress,
    exited,
    logWhere: (pattern) => {
      const seen = logs.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      if (child.exitCode !== null || child.signalCode !== null) return Promise.reject(new Error(`The daemon has exited; no log line matches ${pattern}.`));
      return new Promise((resolve, reject) => logWatchers.push({ pattern, resolve, reject }));
    },
    statusWhere: async (predicate) => {
      const waiting = new Promise<StatusReport>((resolve, reject) => watchers.push({ predicate, resolve, reject }));
      // The state may already hold: ask once, after registering, so no notification is missed.
      offer(await sendRequest(connection, statusRequest, undefined));
      return waiting;
    },
    stop: async () => {
      if (child.exitCode === null && !child.killed) {
        await connection.sendRequest('shutdown').catch(() => undefined);
        await connection.sendNotification('exit').catch(() => undefined);
      }
      await exited;
      connection.dispose();
      // A pipe some other process still holds would keep this test process alive after its tests.
      child.stdin.destroy();
      child.stdout.destroy();
      child.stderr.destroy();
    },
  };
}
