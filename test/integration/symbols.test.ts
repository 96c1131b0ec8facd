// The symbol graph through the real daemon, the CLI and the MCP server: definitions with their
// containers and the units that use a name, following edits, renames and deletions as they happen.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { sendRequest } from '../../server/src/shared/messageTypes';
import { definitionsRequest, referencesRequest, type DefinitionsResult, type ReferencesResult } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { FakeOllama } from '../support/fakeOllama';
import { tempDir } from '../support/tempDir';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const run = promisify(execFile);

const SOURCES: Record<string, string> = {
  'shop/cart.ts': `export class Cart {
  items: number[] = [];
  total(): number {
    return this.items.reduce((a, b) => a + b, 0);
  }
}

export class Invoice {
  total(): number {
    return 0;
  }
}

export function checkout(cart: Cart): number {
  return cart.total();
}
`,
  'shop/pricing.py': `class Discount:
    def apply(self, amount):
        return amount * 0.9


def final_price(amount):
    return Discount().apply(amount)
`,
  'shop/stock.go': `package shop

type Stock struct{ count int }

func (s *Stock) Reserve(n int) bool {
	return s.count >= n
}

func Order(s *Stock) bool {
	return s.Reserve(1)
}
`,
};

function writeWorkspace(): string {
  const workspace = tempDir();
  for (const [path, text] of Object.entries(SOURCES)) {
    mkdirSync(join(workspace, path, '..'), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  return workspace;
}

/** 1-based line of the `nth` line of `path` that starts (after indentation) with `start`. */
function lineOf(workspace: string, path: string, start: string, nth = 1): number {
  const lines = readFileSync(join(workspace, path), 'utf8').split('\n');
  const found = lines.flatMap((line, i) => (line.trimStart().startsWith(start) ? [i + 1] : []));
  if (found.length < nth) throw new Error(`${path} has no line ${nth} starting with ${start}`);
  return found[nth - 1]!;
}

/** The line of the brace, `end` or last body line that closes the block opened at `startLine`, by indentation. */
function blockEnd(workspace: string, path: string, startLine: number): number {
  const lines = readFileSync(join(workspace, path), 'utf8').split('\n');
  const indent = (line: string) => line.length - line.trimStart().length;
  const own = indent(lines[startLine - 1]!);
  let last = startLine;
  for (let i = startLine; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (indent(line) <= own) return line.trim().startsWith('}') ? i + 1 : last;
    last = i + 1;
  }
  return last;
}

const definitions = (daemon: Daemon, name: string) => sendRequest(daemon.connection, definitionsRequest, { name });
const references = (daemon: Daemon, name: string) => sendRequest(daemon.connection, referencesRequest, { name });
const brief = (result: DefinitionsResult) => result.definitions.map((d) => `${d.path}:${d.startLine}-${d.endLine} ${d.kind} ${d.container}.${d.name}`);
const users = (result: ReferencesResult) => result.references.map((r) => `${r.path}:${r.startLine}-${r.endLine} ${r.symbol}`);

async function settled(daemon: Daemon, files: number): Promise<number> {
  return (await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === files)).folders[0]!.revision;
}

async function changed(daemon: Daemon, since: number): Promise<number> {
  return (await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.revision > since)).folders[0]!.revision;
}

test('definitions and references follow the code through edits, renames and deletions', async () => {
  const workspace = writeWorkspace();
  const daemon = await startDaemon([workspace], { indexDir: tempDir(), embedder: 'local', watch: true, autoIndex: true });
  try {
    let revision = await settled(daemon, 3);
    const cart = 'shop/cart.ts';
    const cartTotal = lineOf(workspace, cart, 'total()', 1);
    const invoiceTotal = lineOf(workspace, cart, 'total()', 2);
    const checkout = lineOf(workspace, cart, 'export function checkout');
    assert.deepEqual(brief(await definitions(daemon, 'total')), [
      `${cart}:${cartTotal}-${blockEnd(workspace, cart, cartTotal)} method Cart.total`,
      `${cart}:${invoiceTotal}-${blockEnd(workspace, cart, invoiceTotal)} method Invoice.total`,
    ]);
    assert.deepEqual(brief(await definitions(daemon, 'Invoice.total')), [`${cart}:${invoiceTotal}-${blockEnd(workspace, cart, invoiceTotal)} method Invoice.total`]);
    assert.deepEqual(users(await references(daemon, 'Cart.total')), [`${cart}:${checkout}-${blockEnd(workspace, cart, checkout)} checkout`]);

    const stock = 'shop/stock.go';
    const reserve = lineOf(workspace, stock, 'func (s *Stock) Reserve');
    assert.deepEqual(brief(await definitions(daemon, 'Reserve')), [`${stock}:${reserve}-${blockEnd(workspace, stock, reserve)} method Stock.Reserve`]);
    const order = lineOf(workspace, stock, 'func Order');
    assert.deepEqual(users(await references(daemon, 'Reserve')), [`${stock}:${order}-${blockEnd(workspace, stock, order)} Order`]);

    const pricing = 'shop/pricing.py';
    const apply = lineOf(workspace, pricing, 'def apply');
    assert.deepEqual(brief(await definitions(daemon, 'Discount.apply')), [`${pricing}:${apply}-${blockEnd(workspace, pricing, apply)} method Discount.apply`]);
    const finalPrice = lineOf(workspace, pricing, 'def final_price');
    assert.deepEqual(users(await references(daemon, 'Discount')), [`${pricing}:${finalPrice}-${blockEnd(workspace, pricing, finalPrice)} final_price`]);

    writeFileSync(join(workspace, cart), SOURCES[cart]!.replace('function checkout', 'function payNow'));
    revision = await changed(daemon, revision);
    assert.deepEqual((await definitions(daemon, 'checkout')).definitions, [], 'a renamed function is gone under its old name');
    assert.deepEqual(users(await references(daemon, 'total')), [`${cart}:${checkout}-${blockEnd(workspace, cart, checkout)} payNow`]);

    rmSync(join(workspace, pricing));
    revision = await changed(daemon, revision);
    assert.deepEqual((await definitions(daemon, 'Discount')).definitions, []);
    assert.deepEqual((await references(daemon, 'Discount')).references, []);

    mkdirSync(join(workspace, 'inventory'));
    renameSync(join(workspace, stock), join(workspace, 'inventory/stock.go'));
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.revision > revision && s.folders[0]!.files === 2);
    assert.deepEqual((await definitions(daemon, 'Reserve')).definitions.map((d) => d.path), ['inventory/stock.go']);
    assert.deepEqual((await references(daemon, 'Reserve')).references.map((r) => r.path), ['inventory/stock.go']);

    assert.deepEqual(await definitions(daemon, 'NoSuchName'), { name: 'NoSuchName', definitions: [] });
    await assert.rejects(definitions(daemon, '  '), /"name" must be a non-empty string/);
    await assert.rejects(sendRequest(daemon.connection, referencesRequest, { name: 'total', limit: 0 }), /"limit" must be a whole number from 1 to 1000/);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- daemon log ---\n${daemon.logs.join('').slice(-3000)}`, { cause: error });
  } finally {
    await daemon.stop();
  }
});

test('ferret symbols prints definitions first and users after, as JSON or a table; an unknown name is not an error', async () => {
  const workspace = writeWorkspace();
  const flags = ['--workspace', workspace, '--index-dir', tempDir()];
  const env = { ...process.env, NO_COLOR: '1', LANCEDB_LOG: 'error' };
  const json = JSON.parse((await run(process.execPath, [CLI, 'symbols', 'Cart.total', '--json', ...flags], { env })).stdout) as Record<string, unknown>;
  const cart = 'shop/cart.ts';
  const cartTotal = lineOf(workspace, cart, 'total()', 1);
  const checkout = lineOf(workspace, cart, 'export function checkout');
  assert.deepEqual(json, {
    name: 'Cart.total',
    definitions: [{ path: cart, startLine: cartTotal, endLine: blockEnd(workspace, cart, cartTotal), name: 'total', kind: 'method', container: 'Cart' }],
    references: [{ path: cart, startLine: checkout, endLine: blockEnd(workspace, cart, checkout), symbol: 'checkout' }],
  });
  const table = (await run(process.execPath, [CLI, 'symbols', 'total', ...flags], { env })).stdout;
  assert.match(table, /^Defined \(2\):\n {2}shop\/cart\.ts:\d+-\d+ +method Cart\.total\n {2}shop\/cart\.ts:\d+-\d+ +method Invoice\.total\nUsed by \(1\):\n {2}shop\/cart\.ts:\d+-\d+ +checkout\n$/);
  const unknown = await run(process.execPath, [CLI, 'symbols', 'NoSuchName', '--json', ...flags], { env });
  assert.deepEqual(JSON.parse(unknown.stdout), { name: 'NoSuchName', definitions: [], references: [] });
});

test('find_symbol and find_references answer an MCP client with structured content and links to the files', async () => {
  const workspace = writeWorkspace();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--workspace', workspace, '--index-dir', tempDir(), '--embedder', 'local'],
    env: { ...(process.env as Record<string, string>), LANCEDB_LOG: 'error' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'ferret-test', version: '1.0.0' });
  await client.connect(transport);
  after(() => client.close());
  const tools = (await client.listTools()).tools.map((t) => t.name);
  assert.ok(tools.includes('find_symbol') && tools.includes('find_references'), tools.join(', '));

  const found = await client.callTool({ name: 'find_symbol', arguments: { name: 'Stock.Reserve' } });
  const stock = 'shop/stock.go';
  const reserve = lineOf(workspace, stock, 'func (s *Stock) Reserve');
  const structured = found.structuredContent as { definitions: Array<Record<string, unknown>> };
  assert.deepEqual(
    structured.definitions.map(({ path, startLine, kind, container, name }) => ({ path, startLine, kind, container, name })),
    [{ path: stock, startLine: reserve, kind: 'method', container: 'Stock', name: 'Reserve' }],
  );
  const content = found.content as Array<{ type: string; text?: string; uri?: string }>;
  assert.match(content[0]!.text ?? '', /1 definition of Stock\.Reserve:\nshop\/stock\.go:\d+-\d+ {2}method Stock\.Reserve/);
  assert.ok(content.some((c) => c.type === 'resource_link' && c.uri?.endsWith('/shop/stock.go')), 'the file is linked as a resource');

  const used = await client.callTool({ name: 'find_references', arguments: { name: 'Reserve' } });
  const order = lineOf(workspace, stock, 'func Order');
  assert.deepEqual((used.structuredContent as { references: Array<{ symbol: string; startLine: number }>; truncated: boolean }).references.map((r) => [r.symbol, r.startLine]), [['Order', order]]);
  const refused = await client.callTool({ name: 'find_symbol', arguments: { name: '' } });
  assert.equal(refused.isError, true);
  assert.match((refused.content as Array<{ text: string }>)[0]!.text, /name must not be empty/);
});

test('an answer\'s prompt shows the signatures of what the cited code calls, from other files', async () => {
  const workspace = tempDir();
  mkdirSync(join(workspace, 'src'));
  writeFileSync(join(workspace, 'src/checkout.ts'), `import { applyDiscount } from './pricing';

/** Settles an order: the discounted total, charged once. */
export function checkout(order: { total: number }, rate: number): number {
  const due = applyDiscount(order.total, rate);
  return chargeCard(due);
}
`);
  writeFileSync(join(workspace, 'src/pricing.ts'), `export function applyDiscount(amount: number, rate: number): number {
  return Math.round(amount * (1 - rate));
}

export function chargeCard(amount: number): number {
  return amount;
}
`);
  const ollama = await FakeOllama.start({ models: ['nomic-embed-text', 'qwen2.5-coder:7b'], chatTokens: ['It discounts, then charges [1].'] });
  after(() => ollama.close());
  const daemon = await startDaemon([workspace], { indexDir: tempDir(), embedder: 'local', watch: false, autoIndex: false, ollamaHost: ollama.url, providers: ['ollama'] });
  try {
    await daemon.connection.sendRequest('ferret/reindex', {});
    await daemon.connection.sendRequest('ferret/ask', { question: 'How does checkout settle an order?', k: 1 });
    const chat = ollama.requestsTo('/api/chat').at(-1)!.body as { messages: Array<{ content: string }> };
    const user = chat.messages.at(-1)!.content;
    assert.match(user, /<source n="1" path="src\/checkout\.ts"/);
    const map = /<definitions>\n([\s\S]*?)\n<\/definitions>/.exec(user);
    assert.ok(map, user);
    const pricing = readFileSync(join(workspace, 'src/pricing.ts'), 'utf8').split('\n');
    const line = (start: string) => pricing.findIndex((l) => l.startsWith(start)) + 1;
    assert.equal(map[1], `src/pricing.ts:\n  ${line('export function applyDiscount')}: export function applyDiscount(amount: number, rate: number): number {\n  ${line('export function chargeCard')}: export function chargeCard(amount: number): number {`);
  } finally {
    await daemon.stop();
  }
});
