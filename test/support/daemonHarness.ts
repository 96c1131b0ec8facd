import { createHook } from 'node:async_hooks';
import { ChildProcess, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Server, Socket } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { WorkDoneProgress } from 'vscode-languageserver/node';
import { onNotification, sendRequest } from '../../server/src/shared/messageTypes';
import { statusNotification, statusRequest, type FerretSettings, type StatusReport } from '../../server/src/shared/protocol';

export const SERVER_BUNDLE = join(__dirname, '..', '..', 'dist', 'server.js');

/**
 * A test file's process ends when nothing is left open. A file that leaves a handle open (a
 * daemon not stopped, a socket, a timer) would keep the runner waiting for it until its timeout.
 * Once every test and hook of the file is done, a process still alive 20 s later has leaked: the
 * file fails (exit code 1) and stderr names what is still open, as precisely as Node tells.
 */
after(() => {
  const guard = setTimeout(() => {
    process.stderr.write(`Leak: this test file's process is still alive 20 s after its last test. Still open:\n${openHandles().map((h) => `  - ${h}\n`).join('')}`);
    process.exit(1);
  }, 20_000);
  guard.unref();
});

/** Timers of this process that have not fired or been cleared, for naming leaked ones; Node lists timers by type only. */
const timers = new Map<number, { timer: NodeJS.Timeout; createdAt: string }>();
createHook({
  init(asyncId, type, _trigger, resource) {
    if (type !== 'Timeout') return;
    const site: { stack?: string } = {};
    Error.captureStackTrace(site, undefined);
    // The first caller outside Node and this file, preferring the project's code to a library's.
    const frames = (site.stack ?? '').split('\n').map((line) => line.trim()).filter((line) => line.startsWith('at ') && !line.includes('node:') && !line.includes(__filename));
    const frame = frames.find((line) => !line.includes('node_modules')) ?? frames[0];
    timers.set(asyncId, { timer: resource as NodeJS.Timeout, createdAt: frame?.slice(3) ?? 'an unknown place' });
  },
  destroy(asyncId) {
    timers.delete(asyncId);
  },
}).enable();

/** What keeps this process alive: each handle with what it is (address, pid, delay), then Node's own list of resources. */
function openHandles(): string[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const children = handles.filter((h): h is ChildProcess => h instanceof ChildProcess);
  const described = handles.flatMap((handle): string[] => {
    if (handle === process.stdin || handle === process.stdout || handle === process.stderr) return [];
    if (handle instanceof ChildProcess) return [`child process pid ${handle.pid}: ${handle.spawnargs.join(' ').slice(0, 160)}`];
    if (handle instanceof Socket) {
      const child = children.find((c) => c.stdio.includes(handle));
      if (child) return [`pipe to the ${['stdin', 'stdout', 'stderr'][child.stdio.indexOf(handle)] ?? 'stdio'} of child process pid ${child.pid}`];
      if (handle.remoteAddress) return [`TCP socket ${handle.localAddress}:${handle.localPort} → ${handle.remoteAddress}:${handle.remotePort}`];
      return ['a socket or pipe that is not connected to an address'];
    }
    if (handle instanceof Server) {
      const address = handle.address();
      return [`server listening on ${typeof address === 'string' ? address : address ? `${address.address}:${address.port}` : 'nothing yet'}`];
    }
    return [`a ${(handle as object).constructor?.name ?? typeof handle} handle`];
  });
  for (const { timer, createdAt } of timers.values()) {
    const { _idleTimeout, _repeat, _onTimeout, _destroyed } = timer as unknown as { _idleTimeout: number; _repeat: number | null; _onTimeout?: () => void; _destroyed: boolean };
    if (_destroyed || !timer.hasRef()) continue;
    described.push(`${_repeat ? 'interval' : 'timer'} of ${_idleTimeout} ms running ${_onTimeout?.name || 'an anonymous function'}, set at ${createdAt}`);
  }
  return [...described, `Node's list of open resources: ${process.getActiveResourcesInfo().join(', ')}`];
}

export interface Daemon {
  child: ChildProcessWithoutNullStreams;
  connection: MessageConnection;
  /** Everything the daemon wrote to stderr and logged, for failure messages. */
  logs: string[];
  /** Kinds of the standard work-done progress notifications received, in order. */
  progress: string[];
  /** Messages of the work-done progress reports received, in order (`12/40 files`). */
  progressMessages: string[];
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
  /** A command the daemon is started through, its own command line appended (e.g. `unshare … sh -c '…; exec "$0" "$@"'`). */
  launcher?: string[];
}

/** Runs `fn` on a started daemon, adds the daemon's log to a failure, and stops the daemon either way. */
export async function usingDaemon(daemon: Daemon, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- daemon log ---\n${daemon.logs.join('')}`, { cause: error });
  } finally {
    await daemon.stop();
  }
}

/** Spawns the bundled daemon over stdio, as the CLI does, and completes the handshake. */
export async function startDaemon(folders: string[], settings: Partial<FerretSettings>, env: NodeJS.ProcessEnv = {}, options: DaemonOptions = {}): Promise<Daemon> {
  const [command = process.execPath, ...launcherArgs] = options.launcher ?? [];
  const args = [...launcherArgs, ...(options.launcher ? [process.execPath] : []), SERVER_BUNDLE, '--stdio'];
  const child = spawn(command, args, { env: { ...process.env, OLLAMA_HOST: 'http://127.0.0.1:9', ...env }, ...options.user });
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
  const progressMessages: string[] = [];
  // Progress is followed per token: a catch-all '$/progress' handler would swallow the
  // partial results of ferret/ask, which vscode-jsonrpc routes by token too.
  connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
    connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
      progress.push(value.kind);
      if (value.kind === 'report' && value.message !== undefined) progressMessages.push(value.message);
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
    progressMessages,
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
