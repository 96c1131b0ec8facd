import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StatusReport } from '../../../server/src/shared/protocol';
import type { FerretApi } from '../../../client/src/extension';
import type { FerretDaemon } from '../../../client/src/daemon/ferretDaemon';
import { readSettings } from '../../../client/src/config/settings';
import { runChecks, until } from './harness';
import { invokeSearchTool, languageModelChecks } from './languageModelChecks';
import { modelChecks } from './modelChecks';

const COMMANDS = [
  'ferret.ask',
  'ferret.askSelection',
  'ferret.search',
  'ferret.reindex',
  'ferret.showStatus',
  'ferret.openLogs',
  'ferret.restartDaemon',
  'ferret.clearCitations',
];

const isReady = (s: StatusReport) => s.quiescent && s.folders.length > 0 && s.folders.every((f) => f.state === 'ready' && f.chunks > 0);

/** Extension-host checks for commands, settings and the daemon lifecycle; `run()` is the test-runner contract. */
export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension<FerretApi>('ferret.ferret');
  assert.ok(extension, 'the Ferret extension is installed');
  const api = await extension.activate();
  // The suite drives restarts and state events, which only the daemon object (not DaemonApi) offers.
  const daemon = api.daemon as FerretDaemon;
  const ready = () => until((l: (s: StatusReport) => void) => daemon.onStatus(l), isReady, 'the index to be ready', daemon.lastStatus(), 90_000);

  await runChecks([
    {
      name: 'every command is registered',
      run: async () => {
        const all = new Set(await vscode.commands.getCommands(true));
        for (const id of COMMANDS) assert.ok(all.has(id), `${id} is registered`);
      },
    },
    {
      name: 'the daemon starts and indexes the workspace',
      run: async () => {
        const report = await ready();
        assert.equal(daemon.state, 'running');
        assert.ok(report.folders[0]!.files >= 5, `indexed ${report.folders[0]!.files} files`);
      },
    },
    {
      name: 'search finds a symbol from the fixture',
      run: async () => {
        const result = await daemon.search({ query: 'verifyPassword', k: 5 });
        assert.ok(result.results.some((h) => h.path === 'src/auth/passwords.ts'), JSON.stringify(result.results.map((h) => h.path)));
      },
    },
    ...languageModelChecks(),
    ...modelChecks(),
    {
      name: 'settings: defaults are left to the daemon, user values and the index dir are sent',
      run: async () => {
        const config = vscode.workspace.getConfiguration('ferret');
        assert.equal(config.get('maxFileSize'), 1048576);
        assert.equal(config.get('embedder'), 'auto');
        await config.update('exclude', ['**/*.md'], vscode.ConfigurationTarget.Global);
        try {
          const sent = readSettings(vscode.workspace.getConfiguration('ferret'), '/tmp/index');
          assert.deepEqual(sent, { indexDir: '/tmp/index', watch: true, exclude: ['**/*.md'] });
        } finally {
          await config.update('exclude', undefined, vscode.ConfigurationTarget.Global);
        }
      },
    },
    {
      name: 'Restart Daemon brings up a new daemon that reports ready again',
      run: async () => {
        const states: string[] = [];
        const watch = daemon.onDidChangeState((s) => states.push(s));
        try {
          await vscode.commands.executeCommand('ferret.restartDaemon');
          assert.equal(daemon.state, 'running');
          assert.deepEqual(states.slice(0, 2), ['stopped', 'starting']);
          await ready();
        } finally {
          watch.dispose();
        }
      },
    },
    {
      name: 'requests say clearly that the daemon is down',
      run: async () => {
        await daemon.stop();
        await assert.rejects(daemon.search({ query: 'x' }), /not running/);
        await assert.rejects(invokeSearchTool({ query: 'x' }), /The Ferret daemon is not running\. Run "Ferret: Restart Daemon"\./);
        await daemon.start();
        await until(daemon.onDidChangeState, (s) => s === 'running', 'the daemon to run', daemon.state);
      },
    },
  ]);
}
