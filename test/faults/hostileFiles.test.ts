import assert from 'node:assert/strict';
import { chmodSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { AskResult, FerretSettings, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { FakeOllama } from '../support/fakeOllama';
import { readIndexRows, readIndexText } from '../support/indexContents';
import { memoryOf, reportFigures } from './faultKit';

/*
 * A workspace of hostile files, indexed by the real daemon with watching on. What a user sees:
 *   indexed: deeply nested code, UTF-16 LE/BE with a BOM, names with a newline, quotes, a backslash,
 *            a space and an emoji; symlink loops end with their content listed once
 *   skipped: 8 MB one-line bundle and 100,000-line ledger (too-large at the 1 MiB default; with a raised
 *            cap the bundle is minified and the ledger indexed), NUL bytes (binary), Latin-1 (invalid-utf8),
 *            a chmod 000 file and folder (unreadable), links to outside (outside-workspace, never read)
 */

const LEDGER_LINES = 100_000;
const NESTING = 10_000;
/** Under root, permissions do not stop reads: the daemon runs as `nobody` so that they do. */
const USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

const NAMED = ['names/new\nline.ts', `names/quo"te's.ts`, 'names/back\\slash.ts', 'names/sp ace.ts', 'names/emoji🦀.ts'];
const namedSymbol = (i: number) => `namedExport${i}Quagga`;

const INDEXED = ['case/Foo.ts', 'encodings/utf16be.cs', 'encodings/utf16le.cs', 'loop/real.ts', 'nested/arrays.ts', 'nested/blocks.ts', 'src/plain.ts', ...NAMED];

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const body = Buffer.from(text, 'utf16le');
  return order === 'le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : Buffer.concat([Buffer.from([0xfe, 0xff]), body.swap16()]);
}

/** Lines of the ledger: each names its own number, so a hit's range can be checked line by line. */
const ledgerLine = (n: number) => `entry ${n}: ledgerEntry${n} balanced against account ${n % 97}`;

function buildWorkspace(root: string, more: Record<string, string>): string {
  const ws = join(root, 'workspace');
  for (const [path, content] of Object.entries(more)) write(ws, path, content);
  write(ws, 'src/plain.ts', 'export function plainGreeting(name: string): string {\n  return `hello ${name}`;\n}\n');
  write(ws, 'assets/app.js', `!function(){${'var a=1,b=2;'.repeat(700_000)}}();`);
  write(ws, 'data/ledger.txt', Array.from({ length: LEDGER_LINES }, (_, i) => ledgerLine(i + 1)).join('\n') + '\n');
  write(ws, 'nested/blocks.ts', `export function deep(x: number): number {\n${'if (x) {\n'.repeat(NESTING)}return innermostWombat(x);\n${'}\n'.repeat(NESTING)}return 0;\n}\n`);
  write(ws, 'nested/arrays.ts', `export const tower = ${'[\n'.repeat(NESTING)}towerTopMarker\n${']\n'.repeat(NESTING)};\n`);
  write(ws, 'encodings/utf16le.cs', utf16('// Burrows.\r\nclass Wombat {\r\n  void DigBurrow() {}\r\n}\r\n', 'le'));
  write(ws, 'encodings/utf16be.cs', utf16('// Forages.\nclass Numbat {\n  void ForageTermites() {}\n}\n', 'be'));
  write(ws, 'encodings/latin1.py', Buffer.from('caf\xe9 = "cr\xe8me"\n', 'latin1'));
  write(ws, 'binary/nul.ts', 'export const before = 1;\u0000\nexport const nulHiddenMarker = 2;\n');
  NAMED.forEach((name, i) => write(ws, name, `export const ${namedSymbol(i)} = ${i};\n`));
  write(ws, 'case/Foo.ts', 'export class CaseOnlyCapybara {}\n');
  write(ws, 'loop/real.ts', 'export const loopedKiwi = 1;\n');
  symlinkSync('..', join(ws, 'loop/up'));
  symlinkSync('.', join(ws, 'loop/self'));
  write(root, 'outside/leak.ts', 'export const outsideLeakMarker = "not yours";\n');
  symlinkSync(join(root, 'outside'), join(ws, 'escape'));
  symlinkSync(join(root, 'outside/leak.ts'), join(ws, 'escape.ts'));
  write(ws, 'locked.ts', 'export const lockedMarker = 1;\n');
  write(ws, 'closed/inside.ts', 'export const closedMarker = 1;\n');
  giveTo(root, USER);
  chmodSync(join(ws, 'locked.ts'), 0);
  chmodSync(join(ws, 'closed'), 0);
  return ws;
}

function giveTo(path: string, user: typeof USER): void {
  if (!user) return;
  lchownSync(path, user.uid, user.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) giveTo(join(path, entry.name), user);
    else lchownSync(join(path, entry.name), user.uid, user.gid);
  }
}

interface Hostile {
  daemon: Daemon;
  ws: string;
  indexDir: string;
  /** When the daemon was started, for figures. */
  started: number;
}

async function hostileDaemon(t: TestContext, settings: Partial<FerretSettings>, more: Record<string, string> = {}): Promise<Hostile> {
  const root = mkdtempSync(join(tmpdir(), 'ferret-hostile-'));
  const ws = buildWorkspace(root, more);
  const indexDir = join(root, 'index');
  const started = performance.now();
  const daemon = await startDaemon([ws], { indexDir, embedder: 'local', watch: true, autoIndex: true, ...settings }, {}, USER ? { user: USER } : {});
  t.after(async () => {
    await daemon.stop();
    chmodSync(join(ws, 'closed'), 0o755);
    rmSync(root, { recursive: true, force: true });
  });
  return { daemon, ws, indexDir, started };
}

async function search(daemon: Daemon, query: string, k = 5): Promise<SearchResult['results']> {
  return (await daemon.connection.sendRequest<SearchResult>('ferret/search', { query, k })).results;
}

async function storedPaths(indexDir: string): Promise<string[]> {
  return [...new Set((await readIndexRows(indexDir)).map((r) => r.path))].sort();
}

/** The hit's text is exactly the file's lines startLine..endLine: citations point at what was found. */
function assertRoundTrip(hit: SearchResult['results'][number], decoded?: string): void {
  const text = decoded ?? readFileSync(join(hit.folder, hit.path), 'utf8');
  const lines = text.split(/\r?\n/).slice(hit.startLine - 1, hit.endLine);
  assert.equal(hit.text.split(/\r?\n/).join('\n'), lines.join('\n'), `${JSON.stringify(hit.path)} lines ${hit.startLine}-${hit.endLine}`);
}

/**
 * Writes a file and waits until the index holds it. Batches are delivered in event order, so
 * every change made before it has been applied by then.
 */
async function settle(daemon: Daemon, ws: string, indexDir: string, name: string): Promise<string[]> {
  write(ws, name, `export const ${name.replace(/\W/g, '_')} = 1;\n`);
  for (;;) {
    // The revision is read before the rows, so a commit landing in between is waited for, not missed.
    const { revision } = (await daemon.connection.sendRequest<StatusReport>('ferret/status')).folders[0]!;
    const paths = await storedPaths(indexDir);
    if (paths.includes(name)) return paths;
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.revision > revision);
  }
}

test('hostile files: each is indexed correctly or skipped with its reason, and the daemon keeps serving', { timeout: 180_000 }, async (t) => {
  const { daemon, indexDir, started } = await hostileDaemon(t, {});
  const ready = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.state === 'ready' && s.folders[0]!.revision > 0);
  reportFigures('hostileFiles', { readyMs: Math.round(performance.now() - started), ...memoryOf(daemon.child.pid!) });
  const folder = ready.folders[0]!;
  assert.equal(ready.health, 'ok', ready.message);
  assert.equal(folder.error, undefined);
  assert.deepEqual(folder.skipped, { 'too-large': 2, binary: 1, 'invalid-utf8': 1, unreadable: 2, 'outside-workspace': 2 });
  assert.deepEqual(await storedPaths(indexDir), [...INDEXED].sort(), 'exactly the readable text files inside the workspace, once each');
  assert.equal(folder.files, INDEXED.length);

  for (const [query, path, line] of [['innermostWombat', 'nested/blocks.ts', NESTING + 2], ['towerTopMarker', 'nested/arrays.ts', NESTING + 2]] as const) {
    const hit = (await search(daemon, query)).find((h) => h.path === path);
    assert.ok(hit, `${path} is searchable: deep nesting neither crashed the parse nor lost the file`);
    assert.notEqual(hit.kind, 'lines', `${path} is chunked by syntax: its parse finished within the time bound`);
    assert.ok(hit.startLine <= line && line <= hit.endLine, `${path}: ${hit.startLine}-${hit.endLine} holds line ${line}`);
    assertRoundTrip(hit);
  }

  for (const [query, path, text] of [
    ['DigBurrow Wombat', 'encodings/utf16le.cs', '// Burrows.\r\nclass Wombat {\r\n  void DigBurrow() {}\r\n}\r\n'],
    ['ForageTermites Numbat', 'encodings/utf16be.cs', '// Forages.\nclass Numbat {\n  void ForageTermites() {}\n}\n'],
  ] as const) {
    const hit = (await search(daemon, query))[0];
    assert.equal(hit?.path, path, `UTF-16 is decoded: "${query}" finds ${path}`);
    assert.ok(!hit.text.includes('\uFEFF') && !hit.text.includes('\u0000'), 'no BOM or NUL left in the text');
    assertRoundTrip(hit, text);
  }

  for (const [i, name] of NAMED.entries()) {
    const hit = (await search(daemon, namedSymbol(i)))[0];
    assert.equal(hit?.path, name, `the name ${JSON.stringify(name)} comes back exactly`);
    assertRoundTrip(hit);
  }

  const everything = await search(daemon, 'outsideLeakMarker lockedMarker closedMarker nulHiddenMarker ledgerEntry73412 cr\u00e8me', 50);
  for (const hit of everything) assert.doesNotMatch(hit.text, /outsideLeakMarker|lockedMarker|closedMarker|nulHiddenMarker|ledgerEntry|cr.me/, `${hit.path} must not be indexed`);
  assert.equal(daemon.child.exitCode, null);
});

test('hostile files: changes while watching are followed, including renames, vanishing files and new links', { timeout: 180_000 }, async (t) => {
  // Files that vanish while the start-up pass that listed them is still reading.
  const vanishing = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`vanish/f${i}.ts`, `export const vanishing${i} = ${i};\n`]));
  const { daemon, ws, indexDir } = await hostileDaemon(t, {}, vanishing);
  const midPass = await daemon.statusWhere((s) => {
    const progress = s.folders[0]!.progress;
    return s.quiescent || (progress !== undefined && progress.done > 0 && progress.done < progress.total / 2);
  });
  rmSync(join(ws, 'vanish'), { recursive: true });
  assert.ok(!midPass.quiescent, 'the files vanished while the pass was still reading them');
  await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.state === 'ready' && s.folders[0]!.revision > 0);

  renameSync(join(ws, 'case/Foo.ts'), join(ws, 'case/foo.ts'));
  writeFileSync(join(ws, 'encodings/utf16le.cs'), utf16('class Wombat {\r\n  void SleepAllDay() {}\r\n}\r\n', 'le'));
  writeFileSync(join(ws, 'binary/nul.ts'), 'export const nulHiddenMarker = 2;\n');
  writeFileSync(join(ws, 'src/plain.ts'), 'export const plainGreeting = "hi";\u0000\n');
  rmSync(join(ws, NAMED[4]!));
  write(ws, 'names/late\nname🦊.ts', 'export const lateArrivalOkapi = 1;\n');
  symlinkSync(join(dirname(ws), 'outside/leak.ts'), join(ws, 'late-escape.ts'));
  symlinkSync(join(dirname(ws), 'outside'), join(ws, 'late-escape'));

  const paths = await settle(daemon, ws, indexDir, 'sentinel.ts');
  const expected = [...INDEXED.filter((p) => p !== 'case/Foo.ts' && p !== NAMED[4] && p !== 'src/plain.ts'), 'case/foo.ts', 'binary/nul.ts', 'names/late\nname🦊.ts', 'sentinel.ts'];
  assert.deepEqual(paths, expected.sort(), 'renamed, fixed, broken, deleted, vanished and linked files as they are now');

  const caseRows = (await readIndexRows(indexDir)).filter((r) => r.path.toLowerCase() === 'case/foo.ts');
  assert.ok(caseRows.length > 0 && caseRows.every((r) => r.path === 'case/foo.ts'), 'a case-only rename leaves one file, under the new name');
  const wombat = (await search(daemon, 'SleepAllDay Wombat'))[0];
  assert.equal(wombat?.path, 'encodings/utf16le.cs');
  assert.match(wombat.text, /SleepAllDay/);
  assert.doesNotMatch(wombat.text, /DigBurrow/);
  const late = (await search(daemon, 'lateArrivalOkapi'))[0];
  assert.equal(late?.path, 'names/late\nname🦊.ts');
  assertRoundTrip(late);

  const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
  assert.equal(status.health, 'ok', status.message);
  assert.equal(status.folders[0]!.error, undefined);
  assert.ok(!daemon.logs.some((l) => /vanish\//.test(l)), `a vanished file is a removal, not an error: ${daemon.logs.filter((l) => /vanish\//.test(l)).join('')}`);
  assert.equal(daemon.child.exitCode, null);
});

test('hostile files: with a raised size cap the 100,000-line file is indexed by line windows and the 8 MB bundle is minified', { timeout: 300_000 }, async (t) => {
  const { daemon, indexDir, started } = await hostileDaemon(t, { maxFileSize: 16 * 1024 * 1024, watch: false });
  const ready = await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.state === 'ready' && s.folders[0]!.revision > 0);
  reportFigures('hostileFilesRaisedCap', { readyMs: Math.round(performance.now() - started), chunks: ready.folders[0]!.chunks, ...memoryOf(daemon.child.pid!) });
  assert.deepEqual(ready.folders[0]!.skipped, { minified: 1, binary: 1, 'invalid-utf8': 1, unreadable: 2, 'outside-workspace': 2 });
  assert.ok((await storedPaths(indexDir)).includes('data/ledger.txt'));

  const ledger = readFileSync(join(ready.folders[0]!.folder, 'data/ledger.txt'), 'utf8');
  for (const n of [1, 73_412, LEDGER_LINES]) {
    const hit = (await search(daemon, `ledgerEntry${n}`, 3)).find((h) => h.path === 'data/ledger.txt');
    assert.ok(hit, `line ${n} of the ledger is searchable`);
    assert.equal(hit.kind, 'lines');
    assert.ok(hit.startLine <= n && n <= hit.endLine, `line ${n} within ${hit.startLine}-${hit.endLine}`);
    assert.equal(hit.text.split('\n')[n - hit.startLine], ledgerLine(n));
    assertRoundTrip(hit, ledger);
  }
});

// Fakes in the shape of real credentials (the AWS pair is AWS's own documentation example).
const SECRETS = {
  awsKeyId: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  password: 'Tr0ub4dor&3xk',
  yamlPassword: 'hunter2hunter2',
  keyLines: ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK'],
};
const SECRET_VALUES = [SECRETS.awsKeyId, SECRETS.awsSecret, SECRETS.password, SECRETS.yamlPassword, ...SECRETS.keyLines];
const BILLING = [
  '"""Deploy settings for the billing service."""',
  '',
  `AWS_ACCESS_KEY_ID = "${SECRETS.awsKeyId}"`,
  `AWS_SECRET_ACCESS_KEY = "${SECRETS.awsSecret}"`,
  `DATABASE_PASSWORD = "${SECRETS.password}"`,
  '',
  'SIGNING_KEY = """-----BEGIN RSA PRIVATE KEY-----',
  ...SECRETS.keyLines,
  '-----END RSA PRIVATE KEY-----"""',
  '',
  '',
  'def connect_to_billing_database(driver):',
  '    """Opens the billing database with the deploy password."""',
  '    return driver.connect(host="billing-db", password=DATABASE_PASSWORD)',
  '',
].join('\n');

test('secrets inside indexed files are masked in the index, in search results and in everything sent to a model', { timeout: 120_000 }, async (t) => {
  const ollama = await FakeOllama.start({ models: ['nomic-embed-text', 'qwen2.5-coder:7b'], dimensions: 32, chatTokens: ['The password is masked [1].'] });
  t.after(() => ollama.close());
  const root = mkdtempSync(join(tmpdir(), 'ferret-secrets-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const ws = join(root, 'workspace');
  write(ws, 'deploy/billing_settings.py', BILLING);
  write(ws, 'deploy/app.yaml', `billing:\n  host: billing-db\n  password: ${SECRETS.yamlPassword}\n`);
  const indexDir = join(root, 'index');
  const daemon = await startDaemon([ws], { indexDir, embedder: 'ollama', ollamaHost: ollama.url, providers: ['ollama'], watch: false, autoIndex: true });
  t.after(() => daemon.stop());
  await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 2);

  const hits = (await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'billing database password AWS secret access key signing key', k: 10 })).results;
  const settings = hits.filter((h) => h.path === 'deploy/billing_settings.py');
  assert.ok(settings.length > 0 && hits.some((h) => h.path === 'deploy/app.yaml'), 'both files are indexed and found');
  const lines = BILLING.split('\n');
  for (const hit of hits) {
    for (const secret of SECRET_VALUES) assert.ok(!hit.text.includes(secret), `${hit.path} ${hit.startLine}-${hit.endLine} shows no secret`);
    assert.equal(hit.text.split('\n').length, hit.endLine - hit.startLine + 1, 'masking keeps every line');
  }
  const shown = settings.map((h) => h.text).join('\n');
  assert.match(shown, /AWS_ACCESS_KEY_ID = "AKIA\[masked\]"/);
  assert.match(shown, /DATABASE_PASSWORD = "\[masked\]"/);
  assert.match(shown, /password=DATABASE_PASSWORD\)/, 'code that handles the password is untouched');
  for (const hit of settings) {
    // Each unmasked line of the file is at its own line number: masking moved nothing.
    hit.text.split('\n').forEach((line, i) => {
      if (!line.includes('[masked]') && line !== '') assert.equal(line, lines[hit.startLine - 1 + i], `line ${hit.startLine + i}`);
    });
  }

  const fragments = SECRET_VALUES.map((s) => s.replace(/[^A-Za-z0-9]/g, '').slice(0, 10).toLowerCase());
  for (const row of await readIndexText(indexDir)) {
    for (const secret of SECRET_VALUES) assert.ok(!row.text.includes(secret), `stored text of ${row.path}`);
    for (const fragment of fragments) assert.ok(!row.searchText.includes(fragment), `full-text column of ${row.path} holds no ${fragment}`);
  }

  const asks: object[] = [
    { question: 'Which credentials does the billing deploy use to reach AWS and its database?' },
    { question: 'What does this key look like?', selection: { path: 'deploy/billing_settings.py', startLine: 8, endLine: 9 } },
    { question: 'Is this safe to commit?', selection: { path: 'deploy/billing_settings.py', startLine: 3, endLine: 5, text: lines.slice(2, 5).join('\n') } },
  ];
  for (const params of asks) {
    const answer = await daemon.connection.sendRequest<AskResult>('ferret/ask', params);
    assert.equal(answer.provider, 'ollama', 'the model was asked');
    for (const source of answer.sources) for (const secret of SECRET_VALUES) assert.ok(!source.text.includes(secret), 'sources show no secret');
  }
  const prompts = ollama.requestsTo('/api/chat').map((r) => (r.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content);
  assert.equal(prompts.length, asks.length);
  assert.match(prompts[1]!, /<selection>\n\[masked\]\n\n<\/selection>/, 'a selection read from disk is masked, even without its BEGIN line');
  assert.match(prompts[2]!, /<selection>\nAWS_ACCESS_KEY_ID = "AKIA\[masked\]"\n/, 'a selection the client sends is masked');
  assert.ok(ollama.embeddedTexts.length > 0);
  const sent = [...ollama.requests.map((r) => JSON.stringify(r.body) ?? ''), ...ollama.embeddedTexts];
  for (const secret of SECRET_VALUES) {
    assert.deepEqual(sent.filter((body) => body.includes(JSON.stringify(secret).slice(1, -1))), [], `${secret} never reaches the model server`);
  }
  assert.ok(sent.some((body) => body.includes('DATABASE_PASSWORD = \\"[masked]\\"')), 'the model sees the masked assignment');
});
