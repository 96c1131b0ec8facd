// Starts and stops code-server (VS Code in a browser, extension host in Node) in a throwaway
// profile, as ../../../shared/e2e.md describes, and opens Chromium on it with playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
const tools = join(root, '.e2e');
const codeServerBin = join(tools, 'code-server/node_modules/.bin/code-server');
const node24Bin = join(tools, 'node24/node_modules/.bin');

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

/** A fresh profile folder with quiet settings (plus `settings`) and a copy of the fixture workspace. */
export function prepareRun(dir, settings = {}) {
  mkdirSync(join(dir, 'ud/User'), { recursive: true });
  mkdirSync(join(dir, 'ext'), { recursive: true });
  writeFileSync(join(dir, 'config.yaml'), 'auth: none\n');
  writeFileSync(join(dir, 'ud/User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  const workspace = join(dir, 'workspace');
  cpSync(join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
  return { dir, workspace };
}

function codeServerArgs(dir) {
  return ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext')];
}

const env = (extra = {}) => ({ ...process.env, ...extra, PATH: `${node24Bin}:${process.env.PATH}` });

export function installVsix(dir, vsix) {
  const result = spawnSync(codeServerBin, [...codeServerArgs(dir), '--install-extension', vsix, '--force'], { env: env(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
}

async function freePort() {
  return new Promise((res, rej) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => res(port));
    });
    server.on('error', rej);
  });
}

/** Serves code-server on a free loopback port (`extraEnv` added to its environment); resolves once /healthz answers. */
export async function startCodeServer(dir, workspace, extraArgs = [], extraEnv = {}) {
  const port = await freePort();
  const args = [...codeServerArgs(dir), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...extraArgs, workspace];
  const child = spawn(codeServerBin, args, { env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited:\n${output.join('')}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100)); // polling /healthz, the documented readiness signal
  }
  return { child, port, url, output };
}

/** Stops code-server by its own pid and waits until its children (watcher, extension hosts) are gone. */
export async function stopCodeServer(server) {
  const children = descendants(server.child.pid);
  if (server.child.exitCode === null) {
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
  }
  for (const pid of children) await waitGone(pid);
}

function descendants(pid) {
  const out = spawnSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).stdout;
  const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const found = [];
  const walk = (p) => rows.filter(([, pp]) => pp === p).forEach(([c]) => { found.push(c); walk(c); });
  walk(pid);
  return found;
}

async function waitGone(pid) {
  for (let i = 0; i < 100; i++) {
    const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    if (!stat || stat.startsWith('Z')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`process ${pid} did not exit`);
}

/** Pids of daemons whose command line runs a server.js under `extensionDir`. */
export function daemonPids(extensionDir) {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes(extensionDir) && cmd.includes('dist/server.js');
    } catch {
      return false;
    }
  }).map(Number);
}

export async function launchBrowser(profileDir) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
