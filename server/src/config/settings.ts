import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { keysThatTakeEffect, SETTING_KEYS, settingSpec, type FerretSettings, type SettingSpec } from '../shared/settingsSchema';

/**
 * Turns whatever a client sent into complete settings. A wrong value is reported and
 * replaced by its default rather than refusing to start: a typo in one setting should
 * not leave the user without search.
 */
export function resolveSettings(raw: unknown, warn: (message: string) => void): FerretSettings {
  const given = isRecord(raw) ? raw : {};
  const resolved = SETTING_KEYS.map((key) => {
    const spec = settingSpec(key);
    const value = given[key];
    if (value === undefined || value === null) return [key, defaultOf(spec)];
    if (isValid(spec, value)) return [key, value];
    warn(`Setting ${key} has an invalid value ${JSON.stringify(value)}; using ${JSON.stringify(spec.default)}.`);
    return [key, defaultOf(spec)];
  });
  // Each value was checked against its own spec above, which is what FerretSettings is derived from.
  return Object.fromEntries(resolved) as FerretSettings;
}

/** A list default is copied, so a caller that changes its settings cannot change the defaults. */
function defaultOf(spec: SettingSpec): unknown {
  return Array.isArray(spec.default) ? [...spec.default] : spec.default;
}

function isValid(spec: SettingSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' && value.length >= (spec.minLength ?? 0) && (!spec.enum || spec.enum.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (spec.type === 'number' || Number.isInteger(value)) &&
        value >= (spec.minimum ?? -Infinity) &&
        value <= (spec.maximum ?? Infinity)
      );
    case 'array': {
      const allowed = spec.items.enum;
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && (!allowed || allowed.includes(item)));
    }
  }
}

/**
 * Keys the daemon reads only at start: they choose the embedder (and so the vectors on disk),
 * where the index lives, and what happens at start-up. A running daemon keeps its values for
 * these; the extension asks the user to restart instead.
 */
export const RESTART_ONLY_KEYS = keysThatTakeEffect('restart');
/** Keys that shape the chat providers; a change rebuilds them. */
export const PROVIDER_KEYS = keysThatTakeEffect('providers');
/** Keys that decide which files are indexed; a change reloads the ignore rules and syncs. */
export const FILE_RULE_KEYS = keysThatTakeEffect('fileRules');

/** The keys whose values differ between two complete settings. */
export function changedKeys(before: FerretSettings, after: FerretSettings): (keyof FerretSettings)[] {
  return (Object.keys(after) as (keyof FerretSettings)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** The user's cache folder, per platform conventions. */
function cacheHome(): string {
  if (process.env.XDG_CACHE_HOME) return process.env.XDG_CACHE_HOME;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches');
  if (process.platform === 'win32') return process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  return join(homedir(), '.cache');
}

/** A readable, collision-free folder name for a workspace path. */
export function folderSlug(folder: string): string {
  const name = basename(folder).replace(/[^\w.-]+/g, '_').slice(0, 40) || 'root';
  return `${name}-${createHash('sha1').update(folder).digest('hex').slice(0, 10)}`;
}

/** Where one workspace folder's index lives: under the configured root, or the user's cache dir. */
export function folderIndexDir(settings: FerretSettings, folder: string): string {
  const root = settings.indexDir || join(cacheHome(), 'ferret');
  return join(root, folderSlug(folder));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
