import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseArgs, type CliCommand } from '../../server/src/cli/args';
import { checkWorkspace } from '../../server/src/daemonClient/workspaceOptions';
import { exitCodeOf, UsageError } from '../../server/src/daemonClient/errors';
import { tempDir } from '../support/tempDir';

const CWD = '/home/me/project';
const parse = (...argv: string[]): CliCommand => parseArgs(argv, CWD);

function usageError(argv: string[], sentence: RegExp): void {
  assert.throws(
    () => parseArgs(argv, CWD),
    (error: unknown) => error instanceof UsageError && sentence.test(error.message) && exitCodeOf(error) === 2,
  );
}

test('search takes a query, repeatable filters and a k, with defaults for the rest', () => {
  assert.deepEqual(parse('search', 'parse config', '--k', '5', '--path', 'src/**', '--path=lib/*.py', '--lang', 'python'), {
    kind: 'search',
    common: { workspace: CWD, verbose: false, json: false },
    query: 'parse config',
    stdin: false,
    k: 5,
    paths: ['src/**', 'lib/*.py'],
    languages: ['python'],
  });
});

test('relative --workspace and --index-dir resolve against the current folder', () => {
  const command = parse('index', '--workspace', '../other', '--index-dir=.idx', '--embedder', 'local', '--full', '--json');
  assert.deepEqual(command, {
    kind: 'index',
    common: { workspace: '/home/me/other', indexDir: '/home/me/project/.idx', embedder: 'local', verbose: false, json: true },
    full: true,
  });
});

test('words after the command form one query, and -- lets a query start with a dash', () => {
  const unquoted = parse('search', 'where', 'is', 'auth');
  assert.equal(unquoted.kind === 'search' && unquoted.query, 'where is auth');
  const dashed = parse('search', '--json', '--', '--force flag');
  assert.equal(dashed.kind === 'search' && dashed.query, '--force flag');
});

test('--help and --version win wherever they appear', () => {
  assert.deepEqual(parse('search', '--bogus', '--help'), { kind: 'help' });
  assert.deepEqual(parse('-h'), { kind: 'help' });
  assert.deepEqual(parse('--version'), { kind: 'version' });
});

test('serve needs --stdio and takes no workspace options', () => {
  assert.deepEqual(parse('serve', '--stdio'), { kind: 'serve', verbose: false });
  usageError(['serve'], /needs --stdio/);
  usageError(['serve', '--stdio', '--workspace', '.'], /--workspace does not apply to "ferret serve"/);
});

test('a one-letter option takes one dash too, as users type it', () => {
  const search = parse('search', 'parse config', '-k', '3');
  assert.equal(search.kind === 'search' && search.k, 3);
  const symbols = parse('symbols', 'Parser', '-k=7');
  assert.equal(symbols.kind === 'symbols' && symbols.limit, 7);
  usageError(['search', 'x', '-k', '1', '--k', '2'], /--k was given more than once/);
  usageError(['search', 'x', '-kk'], /Unknown option -kk/);
  usageError(['search', 'x', '-workspace', '/tmp'], /Unknown option -workspace/);
});

test('serve takes a metrics port from 0 (any free one) to 65535, and only serve does', () => {
  assert.deepEqual(parse('serve', '--stdio', '--metrics-port', '9464'), { kind: 'serve', verbose: false, metricsPort: 9464 });
  assert.deepEqual(parse('serve', '--stdio', '--metrics-port=0'), { kind: 'serve', verbose: false, metricsPort: 0 });
  usageError(['serve', '--stdio', '--metrics-port', '65536'], /--metrics-port needs a port number from 0 to 65535/);
  usageError(['serve', '--stdio', '--metrics-port', 'http'], /got "http"/);
  usageError(['serve', '--stdio', '--metrics-port', '-1'], /needs a port number .*got "-1"/);
  usageError(['status', '--metrics-port', '9464'], /--metrics-port does not apply to "ferret status"/);
});

test('bad command lines are one sentence and exit code 2', () => {
  usageError([], /Missing command/);
  usageError(['frobnicate'], /Unknown command "frobnicate"/);
  usageError(['search', 'x', '--frob'], /Unknown option --frob/);
  usageError(['search', 'x', '-x'], /Unknown option -x/);
  usageError(['search', 'x', '--k'], /--k needs a value/);
  usageError(['search', 'x', '--k', '--json'], /--k needs a value/);
  usageError(['search', 'x', '--k', 'ten'], /--k needs a positive integer; got "ten"/);
  usageError(['search', 'x', '--k', '0'], /positive integer/);
  usageError(['search', 'x', '--k', '2.5'], /positive integer/);
  usageError(['search', 'x', '--k', '-3'], /positive integer/);
  usageError(['search', 'x', '--k', '1', '--k', '2'], /--k was given more than once/);
  usageError(['search', 'x', '--embedder', 'gpt'], /--embedder must be one of auto, local, ollama, openai; got "gpt"/);
  usageError(['search'], /needs a query, or --stdin/);
  usageError(['search', '   '], /needs a query/);
  usageError(['search', 'x', '--stdin'], /either a query or --stdin/);
  usageError(['status', '--full'], /--full does not apply to "ferret status"/);
  usageError(['index', 'extra'], /Unexpected argument "extra"/);
  usageError(['index', '--json=yes'], /--json does not take a value/);
  usageError(['index', '--workspace='], /--workspace needs a value/);
});

test('the workspace must be an existing folder', () => {
  const dir = tempDir();
  const file = join(dir, 'file.txt');
  writeFileSync(file, 'x');
  assert.doesNotThrow(() => checkWorkspace(dir));
  assert.throws(() => checkWorkspace(join(dir, 'missing')), /The workspace folder .*missing does not exist\./);
  assert.throws(() => checkWorkspace(file), /is not a folder/);
});

test('index --publish and --shared-index keep object-store URIs as given and resolve folders', () => {
  assert.deepEqual(parse('index', '--publish', 's3://team-bucket/ferret', '--shared-index', 'shared'), {
    kind: 'index',
    common: { workspace: CWD, sharedIndex: '/home/me/project/shared', verbose: false, json: false },
    full: false,
    publish: 's3://team-bucket/ferret',
  });
  const search = parse('search', 'x', '--shared-index=gs://bucket/index');
  assert.equal(search.kind === 'search' && search.common.sharedIndex, 'gs://bucket/index');
  usageError(['search', 'x', '--publish', 's3://b/p'], /^--publish does not apply to "ferret search"\.$/);
  usageError(['index', '--publish='], /^--publish needs a location/);
  usageError(['index', '--shared-index', ' '], /^--shared-index needs a location/);
});
