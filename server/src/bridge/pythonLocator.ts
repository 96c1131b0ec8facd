/**
 * Finds the Python that runs the MLX bridge, and the bridge script itself. mlx-lm is usually
 * installed in a project virtualenv rather than the system Python, so a workspace `.venv` wins
 * over PATH; an explicit setting wins over both.
 */
import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface PythonLocation {
  command: string;
  source: 'setting' | 'virtualenv' | 'path';
}

export interface PythonSearch {
  /** The user's setting: a path to an interpreter, or a command name looked up on PATH. */
  setting?: string;
  workspaceFolders?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

const VENV_FOLDERS = ['.venv', 'venv'];

/** The interpreter to use, or undefined when there is none anywhere. */
export async function locatePython(search: PythonSearch = {}): Promise<PythonLocation | undefined> {
  const platform = search.platform ?? process.platform;
  const env = search.env ?? process.env;
  const setting = search.setting?.trim();
  if (setting) {
    // A path that does not exist is still the user's choice: spawning it reports the mistake.
    if (isPath(setting)) return { command: setting, source: 'setting' };
    return { command: (await onPath(setting, env, platform)) ?? setting, source: 'setting' };
  }
  const inVenv = platform === 'win32' ? ['Scripts', 'python.exe'] : ['bin', 'python'];
  for (const folder of search.workspaceFolders ?? []) {
    for (const venv of VENV_FOLDERS) {
      const candidate = path.join(folder, venv, ...inVenv);
      if (await isExecutable(candidate)) return { command: candidate, source: 'virtualenv' };
    }
  }
  for (const name of ['python3', 'python']) {
    const found = await onPath(name, env, platform);
    if (found) return { command: found, source: 'path' };
  }
  return undefined;
}

/**
 * Absolute path of python/mlx_bridge.py. The bundle (dist/server.js) has python/ copied beside
 * it by esbuild.mjs; runs from source (tests, tsx) use the repository's python/ folder.
 */
export function locateBridgeScript(baseDir: string = __dirname): string {
  const besideBundle = path.join(baseDir, 'python', 'mlx_bridge.py');
  if (existsSync(besideBundle)) return besideBundle;
  return path.resolve(baseDir, '..', '..', '..', 'python', 'mlx_bridge.py');
}

function isPath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || path.isAbsolute(value);
}

async function onPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  const pathValue = (platform === 'win32' ? (env.Path ?? env.PATH) : env.PATH) ?? '';
  const separator = platform === 'win32' ? ';' : ':';
  const extensions = platform === 'win32' && !path.extname(name) ? (env.PATHEXT ?? '.EXE;.BAT;.CMD').split(';') : [''];
  for (const dir of pathValue.split(separator)) {
    if (!dir) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension.toLowerCase());
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
