import { resolve } from 'node:path';
import type { EmbedderChoice } from '../shared/protocol';
import { SETTINGS } from '../shared/settingsSchema';
import { UsageError } from '../daemonClient/errors';
import type { CommonOptions } from '../daemonClient/workspaceOptions';

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'index';
      common: CommonOptions;
      full: boolean;
      /** After the pass, copy the index to this location (an object-store URI or an absolute folder). */
      publish?: string;
    }
  | {
      kind: 'search';
      common: CommonOptions;
      /** The query; absent when queries come from stdin. */
      query?: string;
      stdin: boolean;
      k?: number;
      paths: string[];
      languages: string[];
    }
  | { kind: 'ask'; common: CommonOptions; question: string; k?: number }
  | { kind: 'status'; common: CommonOptions }
  | { kind: 'symbols'; common: CommonOptions; name: string; limit?: number }
  | { kind: 'mcp'; common: CommonOptions }
  | {
      kind: 'serve';
      verbose: boolean;
      /** Serve Prometheus metrics on this port of 127.0.0.1 (0: a free one); off when absent. */
      metricsPort?: number;
    };

type CommandName = 'index' | 'search' | 'ask' | 'symbols' | 'status' | 'serve' | 'mcp';
const COMMANDS: readonly CommandName[] = ['index', 'search', 'ask', 'symbols', 'status', 'serve', 'mcp'];
const EMBEDDERS: readonly EmbedderChoice[] = SETTINGS.embedder.enum;

interface FlagSpec {
  takesValue: boolean;
  repeatable?: boolean;
  /** Commands the flag applies to; every command when absent. */
  commands?: readonly CommandName[];
}

const DAEMON_COMMANDS: readonly CommandName[] = ['index', 'search', 'ask', 'symbols', 'status'];
/** Commands that serve one workspace, including the long-running MCP server. */
const WORKSPACE_COMMANDS: readonly CommandName[] = [...DAEMON_COMMANDS, 'mcp'];
const FLAGS: Record<string, FlagSpec> = {
  workspace: { takesValue: true, commands: WORKSPACE_COMMANDS },
  'index-dir': { takesValue: true, commands: WORKSPACE_COMMANDS },
  embedder: { takesValue: true, commands: WORKSPACE_COMMANDS },
  'shared-index': { takesValue: true, commands: WORKSPACE_COMMANDS },
  publish: { takesValue: true, commands: ['index'] },
  json: { takesValue: false, commands: DAEMON_COMMANDS },
  verbose: { takesValue: false },
  full: { takesValue: false, commands: ['index'] },
  stdin: { takesValue: false, commands: ['search'] },
  k: { takesValue: true, commands: ['search', 'ask', 'symbols'] },
  path: { takesValue: true, repeatable: true, commands: ['search'] },
  lang: { takesValue: true, repeatable: true, commands: ['search'] },
  stdio: { takesValue: false, commands: ['serve'] },
  'metrics-port': { takesValue: true, commands: ['serve'] },
};

const HELP_HINT = 'Run "ferret --help" for usage.';

/**
 * Parses `ferret` arguments (without `node` and the script). Pure: relative paths resolve
 * against `cwd`, nothing touches the file system. Throws {@link UsageError} with one sentence.
 */
export function parseArgs(argv: readonly string[], cwd: string): CliCommand {
  const endOfFlags = argv.indexOf('--');
  const flagPart = endOfFlags === -1 ? argv : argv.slice(0, endOfFlags);
  // Help and version win over everything else on the line, as users expect.
  if (flagPart.includes('--help') || flagPart.includes('-h')) return { kind: 'help' };
  if (flagPart.includes('--version')) return { kind: 'version' };

  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < flagPart.length; i++) {
    const token = flagPart[i]!;
    if (!token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    // A one-letter option takes one dash as well (`-k 5`), as users type it; longer ones take two.
    const short = !token.startsWith('--') && /^-[a-z](=|$)/.test(token) && FLAGS[token[1]!] !== undefined;
    if (!token.startsWith('--') && !short) throw new UsageError(`Unknown option ${token}. ${HELP_HINT}`);
    const eq = token.indexOf('=');
    const name = token.slice(short ? 1 : 2, eq === -1 ? undefined : eq);
    const spec = FLAGS[name];
    if (!spec) throw new UsageError(`Unknown option --${name}. ${HELP_HINT}`);
    let value: string;
    if (!spec.takesValue) {
      if (eq !== -1) throw new UsageError(`--${name} does not take a value.`);
      value = '';
    } else if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = flagPart[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value.`);
      value = next;
      i++;
    }
    const seen = values.get(name) ?? [];
    if (seen.length > 0 && !spec.repeatable) throw new UsageError(`--${name} was given more than once.`);
    values.set(name, [...seen, value]);
  }
  if (endOfFlags !== -1) positionals.push(...argv.slice(endOfFlags + 1));

  const [commandWord, ...rest] = positionals;
  if (commandWord === undefined) throw new UsageError(`Missing command (index, search, ask, symbols, status, serve or mcp). ${HELP_HINT}`);
  if (!(COMMANDS as readonly string[]).includes(commandWord)) {
    throw new UsageError(`Unknown command "${commandWord}"; the commands are index, search, ask, symbols, status, serve and mcp.`);
  }
  const command = commandWord as CommandName;
  for (const name of values.keys()) {
    const applies = FLAGS[name]!.commands;
    if (applies && !applies.includes(command)) throw new UsageError(`--${name} does not apply to "ferret ${command}".`);
  }
  const has = (name: string): boolean => values.has(name);
  const one = (name: string): string | undefined => values.get(name)?.[0];
  const many = (name: string): string[] => values.get(name) ?? [];

  if (command === 'serve') {
    if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}" for "ferret serve".`);
    if (!has('stdio')) throw new UsageError('ferret serve needs --stdio, the only transport it offers.');
    const metricsPort = one('metrics-port');
    return { kind: 'serve', verbose: has('verbose'), ...(metricsPort !== undefined ? { metricsPort: portNumber('metrics-port', metricsPort) } : {}) };
  }

  const common = commonOptions(one, has, cwd);
  if (command === 'search') {
    const stdin = has('stdin');
    const query = rest.length > 0 ? rest.join(' ') : undefined;
    if (stdin && query !== undefined) throw new UsageError('Give either a query or --stdin, not both.');
    if (!stdin && (query === undefined || query.trim() === '')) {
      throw new UsageError('ferret search needs a query, or --stdin to read one query per line.');
    }
    const k = one('k');
    return {
      kind: 'search',
      common,
      ...(query !== undefined ? { query } : {}),
      stdin,
      ...(k !== undefined ? { k: positiveInteger('k', k) } : {}),
      paths: many('path'),
      languages: many('lang'),
    };
  }
  if (command === 'ask') {
    const question = rest.join(' ').trim();
    if (!question) throw new UsageError('ferret ask needs a question, e.g. ferret ask "how are sessions refreshed?".');
    const k = one('k');
    return { kind: 'ask', common, question, ...(k !== undefined ? { k: positiveInteger('k', k) } : {}) };
  }
  if (command === 'symbols') {
    if (rest.length !== 1 || !rest[0]!.trim()) throw new UsageError('ferret symbols needs one name, e.g. ferret symbols parseHeader or ferret symbols Router.handle.');
    const k = one('k');
    return { kind: 'symbols', common, name: rest[0]!.trim(), ...(k !== undefined ? { limit: positiveInteger('k', k) } : {}) };
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}" for "ferret ${command}".`);
  if (command === 'index') {
    const publish = one('publish');
    if (publish !== undefined && !publish.trim()) throw new UsageError('--publish needs a location: s3://bucket/prefix, gs://…, az://… or a folder.');
    return { kind: 'index', common, full: has('full'), ...(publish !== undefined ? { publish: sharedTarget(publish, cwd) } : {}) };
  }
  if (command === 'mcp') return { kind: 'mcp', common };
  return { kind: 'status', common };
}

function commonOptions(
  one: (name: string) => string | undefined,
  has: (name: string) => boolean,
  cwd: string,
): CommonOptions {
  const embedder = one('embedder');
  if (embedder !== undefined && !(EMBEDDERS as readonly string[]).includes(embedder)) {
    throw new UsageError(`--embedder must be one of ${EMBEDDERS.join(', ')}; got "${embedder}".`);
  }
  const indexDir = one('index-dir');
  const workspace = one('workspace');
  if (workspace === '') throw new UsageError('--workspace needs a value.');
  if (indexDir === '') throw new UsageError('--index-dir needs a value.');
  const sharedIndex = one('shared-index');
  if (sharedIndex !== undefined && !sharedIndex.trim()) throw new UsageError('--shared-index needs a location: s3://bucket/prefix, gs://…, az://… or a folder.');
  return {
    workspace: resolve(cwd, workspace ?? '.'),
    ...(indexDir !== undefined ? { indexDir: resolve(cwd, indexDir) } : {}),
    ...(embedder !== undefined ? { embedder: embedder as EmbedderChoice } : {}),
    ...(sharedIndex !== undefined ? { sharedIndex: sharedTarget(sharedIndex, cwd) } : {}),
    verbose: has('verbose'),
    json: has('json'),
  };
}

/** A shared index location as given: URIs stay as they are, a folder resolves against `cwd` (the daemon's may differ). */
function sharedTarget(value: string, cwd: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : resolve(cwd, value);
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${name} needs a positive integer; got "${text}".`);
  }
  return value;
}

function portNumber(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 65535) throw new UsageError(`--${name} needs a port number from 0 to 65535 (0 picks a free one); got "${text}".`);
  return value;
}
