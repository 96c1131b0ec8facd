import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { locateBridgeScript, locatePython } from '../../server/src/bridge/pythonLocator';
import { tempDir } from '../support/tempDir';

/** Creates an executable file (and its folders). */
function executable(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('locatePython', () => {
  it('takes the setting first, as given when it is a path, even one that does not exist', async () => {
    const root = tempDir();
    executable(path.join(root, 'ws', '.venv', 'bin', 'python'));
    const setting = path.join(root, 'elsewhere', 'python3.12');
    assert.deepEqual(await locatePython({ setting, workspaceFolders: [path.join(root, 'ws')] }), { command: setting, source: 'setting' });
  });

  it('looks a setting that is a bare name up on PATH', async () => {
    const bin = tempDir();
    const found = executable(path.join(bin, 'python3.12'));
    assert.deepEqual(await locatePython({ setting: 'python3.12', env: { PATH: bin }, platform: 'linux' }), { command: found, source: 'setting' });
  });

  it('prefers a workspace virtualenv (.venv, then venv) over PATH', async () => {
    const root = tempDir();
    const bin = tempDir();
    executable(path.join(bin, 'python3'));
    const venv = executable(path.join(root, 'b', 'venv', 'bin', 'python'));
    const env = { PATH: bin };
    const folders = [path.join(root, 'a'), path.join(root, 'b')];
    assert.deepEqual(await locatePython({ workspaceFolders: folders, env, platform: 'linux' }), { command: venv, source: 'virtualenv' });
    const dotVenv = executable(path.join(root, 'b', '.venv', 'bin', 'python'));
    assert.deepEqual(await locatePython({ workspaceFolders: folders, env, platform: 'linux' }), { command: dotVenv, source: 'virtualenv' });
  });

  it('uses the Windows virtualenv layout on Windows', async () => {
    const root = tempDir();
    const python = executable(path.join(root, '.venv', 'Scripts', 'python.exe'));
    executable(path.join(root, '.venv', 'bin', 'python'));
    assert.deepEqual(await locatePython({ workspaceFolders: [root], env: {}, platform: 'win32' }), { command: python, source: 'virtualenv' });
  });

  it('falls back to python3, then python, on PATH, skipping folders and non-executables', async () => {
    const first = tempDir();
    const second = tempDir();
    mkdirSync(path.join(first, 'python3'));
    writeFileSync(path.join(first, 'python'), 'not executable');
    const python = executable(path.join(second, 'python'));
    assert.deepEqual(await locatePython({ env: { PATH: `${first}:${second}` }, platform: 'linux' }), { command: python, source: 'path' });
    const python3 = executable(path.join(second, 'python3'));
    assert.deepEqual(await locatePython({ env: { PATH: `${first}:${second}` }, platform: 'linux' }), { command: python3, source: 'path' });
  });

  it('finds nothing when there is no Python', async () => {
    assert.equal(await locatePython({ workspaceFolders: [tempDir()], env: { PATH: tempDir() }, platform: 'linux' }), undefined);
  });
});

describe('locateBridgeScript', () => {
  it('uses python/ beside the bundle when it is there, else the repository copy', () => {
    const dist = tempDir();
    assert.ok(existsSync(locateBridgeScript()), 'the repository copy, found from the sources');
    assert.equal(path.relative(process.cwd(), locateBridgeScript()), path.join('python', 'mlx_bridge.py'));
    const bundled = path.join(dist, 'python', 'mlx_bridge.py');
    mkdirSync(path.dirname(bundled));
    writeFileSync(bundled, '');
    assert.equal(locateBridgeScript(dist), bundled);
  });
});
