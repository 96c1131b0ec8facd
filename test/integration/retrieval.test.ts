// Retrieval through the real daemon: results are the units that answer (not the chunk around them),
// the implementation comes before its tests, a name asked for finds its definition, folders compare
// fairly, and the vocabulary learned from the index follows edits and deletions.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { SearchResult } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { readVocabulary } from '../support/indexContents';
import { tempDir } from '../support/tempDir';

/** Small units that the chunker merges into one chunk per file, in four languages, plus tests and callers. */
const FILES: Record<string, string> = {
  'src/cart.ts': [
    'export class Cart {', // 1
    '  private items: number[] = [];', // 2
    '', // 3
    '  subtotal(): number {', // 4
    '    return this.items.reduce((sum, price) => sum + price, 0);', // 5
    '  }', // 6
    '', // 7
    '  applyCoupon(rate: number): number {', // 8
    '    return this.subtotal() * (1 - rate);', // 9
    '  }', // 10
    '}', // 11
  ].join('\n'),
  'lib/env.py': ['import os', '', 'def home_directory():', '    return os.environ["HOME"]', '', 'def login_shell():', '    return os.environ.get("SHELL", "/bin/sh")', ''].join('\n'),
  'queue/queue.go': ['package queue', '', 'func (q *Queue) Len() int { return len(q.items) }', '', 'func (q *Queue) Full() bool {', '\treturn len(q.items) >= q.capacity', '}', ''].join('\n'),
  'src/buffer.rs': ['impl Buffer {', '    pub fn capacity(&self) -> usize {', '        self.bytes.capacity()', '    }', '    pub fn truncate(&mut self, len: usize) {', '        self.bytes.truncate(len)', '    }', '}', ''].join('\n'),
  'src/middleware/cors.ts': [
    'export function cors(req: Request): Response | undefined {',
    "  if (req.method !== 'OPTIONS') return undefined;",
    "  const headers = new Headers({ 'Access-Control-Allow-Methods': 'GET, POST' });",
    '  return new Response(null, { status: 204, headers });',
    '}',
  ].join('\n'),
  'test/cors.test.ts': [
    "test('cors answers a preflight OPTIONS request', () => {",
    "  const preflight = new Request('http://x', { method: 'OPTIONS' });",
    '  assert.equal(cors(preflight)?.status, 204);',
    '});',
    "test('cors preflight lists the allowed methods', () => {",
    "  const preflight = new Request('http://x', { method: 'OPTIONS' });",
    "  assert.match(cors(preflight)!.headers.get('Access-Control-Allow-Methods')!, /POST/);",
    '});',
  ].join('\n'),
  'src/http/headers.ts': ['export function parseHeaderLine(line: string): [string, string] {', "  const at = line.indexOf(':');", '  return [line.slice(0, at).trim(), line.slice(at + 1).trim()];', '}'].join('\n'),
  ...Object.fromEntries(
    ['a', 'b', 'c', 'd'].map((n) => [`src/http/client_${n}.ts`, `import { parseHeaderLine } from './headers';\nexport function read${n.toUpperCase()}(lines: string[]) {\n  return lines.map(parseHeaderLine);\n}\n`]),
  ),
};

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

async function withWorkspace(fn: (search: (query: string, k?: number) => Promise<SearchResult>) => Promise<void>): Promise<void> {
  const workspace = tempDir();
  writeFiles(workspace, FILES);
  const daemon = await startDaemon([workspace], { indexDir: tempDir(), embedder: 'local', watch: false, autoIndex: false });
  try {
    await daemon.connection.sendRequest('ferret/reindex', {});
    await fn((query, k = 5) => daemon.connection.sendRequest<SearchResult>('ferret/search', { query, k }));
  } finally {
    await daemon.stop();
  }
}

test('a hit on a merged chunk is narrowed to the unit that matched, in TypeScript, Python, Go and Rust', async () => {
  const cases: Array<[string, string, number, number, string]> = [
    ['apply a coupon rate to the cart', 'src/cart.ts', 8, 11, 'Cart.applyCoupon'],
    ['which login shell does the user have', 'lib/env.py', 6, 7, 'login_shell'],
    ['is the queue full at capacity', 'queue/queue.go', 5, 7, 'Queue.Full'],
    ['truncate the bytes to a given len', 'src/buffer.rs', 5, 8, 'Buffer.truncate'],
  ];
  await withWorkspace(async (search) => {
    for (const [query, path, startLine, endLine, symbol] of cases) {
      const top = (await search(query)).results[0]!;
      assert.deepEqual([top.path, top.startLine, top.endLine, top.symbol], [path, startLine, endLine, symbol], query);
      assert.equal(top.text, FILES[path]!.split('\n').slice(startLine - 1, endLine).join('\n'), `${query}: the text is the unit's`);
    }
  });
});

test('a behaviour question gets the implementation before its tests; a question about tests gets the tests', async () => {
  await withWorkspace(async (search) => {
    const behaviour = await search('How does the cors middleware handle preflight requests?');
    assert.equal(behaviour.results[0]!.path, 'src/middleware/cors.ts');
    const tests = await search('which tests cover the cors preflight?');
    assert.equal(tests.results[0]!.path, 'test/cors.test.ts');
  });
});

test('a name asked for finds its definition before the places that use it', async () => {
  await withWorkspace(async (search) => {
    for (const query of ['where is parseHeaderLine defined', 'parseHeaderLine']) {
      const top = (await search(query)).results[0]!;
      assert.deepEqual([top.path, top.symbol], ['src/http/headers.ts', 'parseHeaderLine'], query);
    }
  });
});

test('scores compare across folders: a folder with nothing relevant does not lead with its best guess', async () => {
  const relevant = tempDir();
  const unrelated = tempDir();
  writeFiles(relevant, { 'billing/invoice.ts': 'export function totalInvoiceAmount(lines: { amount: number }[]): number {\n  return lines.reduce((sum, line) => sum + line.amount, 0);\n}\n' });
  writeFiles(unrelated, { 'ui/theme.ts': 'export const colors = { primary: "#0af", secondary: "#333" };\nexport function amountOfPadding(): number {\n  return 4;\n}\n' });
  const daemon = await startDaemon([unrelated, relevant], { indexDir: tempDir(), embedder: 'local', watch: false, autoIndex: false });
  try {
    await daemon.connection.sendRequest('ferret/reindex', {});
    const result = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'total invoice amount', k: 5 });
    assert.equal(result.results[0]!.path, 'billing/invoice.ts');
    const [first, second] = result.results;
    assert.ok(!second || second.score < first!.score / 2, `the other folder's best guess scores ${second?.score} against ${first!.score}`);
  } finally {
    await daemon.stop();
  }
});

test('the vocabulary follows edits and deletions: after them it equals a clean build’s', async () => {
  const workspace = tempDir();
  writeFiles(workspace, FILES);
  const indexDir = tempDir();
  const settings = { embedder: 'local' as const, watch: false, autoIndex: false };
  const first = await startDaemon([workspace], { ...settings, indexDir });
  await first.connection.sendRequest('ferret/reindex', {});
  writeFileSync(join(workspace, 'lib/env.py'), '# Where the session cache expires.\ndef cache_expiry():\n    return 60\n');
  rmSync(join(workspace, 'src/buffer.rs'));
  writeFiles(workspace, { 'src/added.ts': '// Retry the request with backoff.\nexport function retryWithBackoff() {}\n' });
  await first.connection.sendRequest('ferret/reindex', {});
  await first.stop();
  const cleanDir = tempDir();
  const clean = await startDaemon([workspace], { ...settings, indexDir: cleanDir });
  await clean.connection.sendRequest('ferret/reindex', {});
  await clean.stop();
  assert.deepEqual(readVocabulary(indexDir), readVocabulary(cleanDir));
});
