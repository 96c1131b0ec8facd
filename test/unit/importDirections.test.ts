/**
 * Imports run one way. Read from the sources themselves, so a new file that breaks a rule fails
 * here, naming the import.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..', '..');
const serverSrc = join(root, 'server', 'src');
const shared = join(serverSrc, 'shared');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports or re-exports from, type-only imports included. */
function specifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

/** The absolute module paths (no extension) a file imports by relative path. */
function relativeImports(file: string): string[] {
  return specifiers(file)
    .filter((spec) => /^\.{1,2}\//.test(spec))
    .map((spec) => resolve(dirname(file), spec.replace(/\.(ts|js)$/, '')));
}

const show = (path: string) => relative(root, path);
const isUnder = (path: string, dir: string) => path === dir || path.startsWith(dir + '/');

/** "a → b" for every import from a file under `from` that breaks `allowed`. */
function violations(from: string, allowed: (target: string) => boolean): string[] {
  return sourcesUnder(from).flatMap((file) =>
    relativeImports(file)
      .filter((target) => !allowed(target))
      .map((target) => `${show(file)} → ${show(target)}`),
  );
}

/** "file → package" for every import of a package (not a relative path) under `dir` that `allowed` refuses. */
function packageImports(dir: string, allowed: (spec: string) => boolean): string[] {
  return sourcesUnder(dir).flatMap((file) =>
    specifiers(file)
      .filter((spec) => !spec.startsWith('.') && !allowed(spec))
      .map((spec) => `${show(file)} → ${spec}`),
  );
}

test('the extension and the webview import from the server only through server/src/shared', () => {
  const outsideServer = (target: string) => !isUnder(target, join(root, 'server')) || isUnder(target, shared);
  assert.deepEqual([...violations(join(root, 'client', 'src'), outsideServer), ...violations(join(root, 'client', 'webview'), outsideServer)], []);
});

test('server/src/shared imports nothing outside itself, not even a library, so every side can take it whole', () => {
  assert.deepEqual(violations(shared, (target) => isUnder(target, shared)), []);
  assert.deepEqual(packageImports(shared, () => false), []);
});

test('server/src/config imports only shared/ and Node built-ins, so settings never pull in an implementation', () => {
  const config = join(serverSrc, 'config');
  assert.deepEqual(violations(config, (target) => isUnder(target, shared)), []);
  assert.deepEqual(packageImports(config, (spec) => spec.startsWith('node:')), []);
});

/** Import edges between the top-level folders of `src` (a file directly in `src` is its own node). */
function folderGraph(src: string): Map<string, Set<string>> {
  const nodeOf = (path: string) => relative(src, path).split('/')[0] ?? '';
  const graph = new Map<string, Set<string>>();
  for (const file of sourcesUnder(src)) {
    const from = nodeOf(file);
    for (const target of relativeImports(file)) {
      if (!isUnder(target, src)) continue;
      const to = nodeOf(target);
      if (to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Every cycle's folder path, found by depth-first search; empty when the graph is acyclic. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]) => {
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), node, next].join(' → '));
      else if (!state.has(next)) visit(next, [...path, node]);
    }
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node, []);
  return found;
}

test('the extension has no import circle between its folders', () => {
  assert.deepEqual(cycles(folderGraph(join(root, 'client', 'src'))), []);
});

test('the cycle finder names a circle it is given', () => {
  const graph = new Map([
    ['chat', new Set(['citations'])],
    ['citations', new Set(['chat'])],
  ]);
  assert.deepEqual(cycles(graph), ['chat → citations → chat']);
});

test('the daemon has no import circle between its folders', () => {
  assert.deepEqual(cycles(folderGraph(serverSrc)), []);
});

test('the HTTP layers run one way: net below ollama and openai, and those below the embedders and chat providers', () => {
  const within = (...folders: string[]) => (target: string) => !isUnder(target, serverSrc) || folders.some((folder) => isUnder(target, join(serverSrc, folder)));
  assert.deepEqual(
    [
      ...violations(join(serverSrc, 'net'), within('net', 'text')),
      ...violations(join(serverSrc, 'ollama'), within('ollama', 'net', 'text')),
      ...violations(join(serverSrc, 'openai'), within('openai', 'net', 'text')),
    ],
    [],
  );
});
