import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { IgnoreRules } from '../../server/src/watch/ignoreRules';
import { makeTree, removeTree, type Tree } from './watchFixture';

const roots: string[] = [];
after(() => Promise.all(roots.map(removeTree)));

async function rulesFor(tree: Tree, exclude: string[] = []): Promise<{ root: string; rules: IgnoreRules }> {
  const root = await makeTree(tree);
  roots.push(root);
  return { root, rules: await IgnoreRules.load(root, { exclude }) };
}

describe('IgnoreRules: nested .gitignore in a folder that is not a git repository', () => {
  const tree: Tree = {
    '.gitignore': '# root rules\n*.log\n/top-only.txt\ncache-dir/\ngen/\nlogs/\n!logs/keep.txt\n',
    'a/.gitignore': '*.tmp\n!keep.log\ngenerated/\n',
    'a/b/.gitignore': '!important.tmp\n',
    'pkg/.gitignore': '!gen/\n',
  };

  test('patterns apply at every depth below their folder', async () => {
    const { rules } = await rulesFor(tree);
    assert.equal(rules.check('x.log', false), 'ignored');
    assert.equal(rules.check('a/x.log', false), 'ignored');
    assert.equal(rules.check('a/x.tmp', false), 'ignored');
    assert.equal(rules.check('a/b/deep/x.tmp', false), 'ignored');
    assert.equal(rules.check('a/x.ts', false), undefined);
  });

  test('a rule in a subfolder does not apply to its siblings or parent', async () => {
    const { rules } = await rulesFor(tree);
    assert.equal(rules.check('c/x.tmp', false), undefined);
    assert.equal(rules.check('x.tmp', false), undefined);
    assert.equal(rules.check('generated', true), undefined);
    assert.equal(rules.check('a/generated', true), 'ignored');
    assert.equal(rules.check('a/generated/x.ts', false), 'ignored');
  });

  test('negations in deeper files override shallower rules', async () => {
    const { rules } = await rulesFor(tree);
    assert.equal(rules.check('a/keep.log', false), undefined);
    assert.equal(rules.check('a/b/keep.log', false), undefined);
    assert.equal(rules.check('a/b/important.tmp', false), undefined);
    assert.equal(rules.check('a/b/other.tmp', false), 'ignored');
  });

  test('anchored and directory-only patterns', async () => {
    const { rules } = await rulesFor(tree);
    assert.equal(rules.check('top-only.txt', false), 'ignored');
    assert.equal(rules.check('a/top-only.txt', false), undefined);
    assert.equal(rules.check('cache-dir', true), 'ignored');
    assert.equal(rules.check('cache-dir', false), undefined);
    assert.equal(rules.check('x/cache-dir/y.ts', false), 'ignored');
  });

  test('a folder re-included by a deeper file is judged path by path', async () => {
    const { rules } = await rulesFor(tree);
    assert.equal(rules.check('gen', true), 'ignored');
    assert.equal(rules.check('other/gen/x.ts', false), 'ignored');
    assert.equal(rules.check('pkg/gen', true), undefined);
    assert.equal(rules.check('pkg/gen/x.ts', false), undefined);
    assert.equal(rules.check('pkg/gen/x.log', false), 'ignored');
  });

  test('a file cannot be re-included when its folder is excluded', async () => {
    const { rules } = await rulesFor(tree);
    assert.equal(rules.check('logs/keep.txt', false), 'ignored');
  });
});

test('IgnoreRules: .ferretignore uses the same syntax and overrides .gitignore in its folder', async () => {
  const { rules } = await rulesFor({
    '.gitignore': 'generated.ts\n',
    '.ferretignore': 'docs/\n!generated.ts\n',
    'sub/.ferretignore': '*.snap\n',
  });
  assert.equal(rules.check('generated.ts', false), undefined);
  assert.equal(rules.check('docs', true), 'ignored');
  assert.equal(rules.check('docs/guide.md', false), 'ignored');
  assert.equal(rules.check('sub/a.snap', false), 'ignored');
  assert.equal(rules.check('a.snap', false), undefined);
});

test('IgnoreRules: the exclude option is gitignore syntax relative to the root, above every file', async () => {
  const { rules } = await rulesFor({ 'a/.gitignore': '!*.snap\n' }, ['**/*.snap', '/fixtures/', 'tmp', '  ']);
  assert.equal(rules.check('a/b.snap', false), 'ignored');
  assert.equal(rules.check('fixtures', true), 'ignored');
  assert.equal(rules.check('fixtures/x.ts', false), 'ignored');
  assert.equal(rules.check('src/fixtures/x.ts', false), undefined);
  assert.equal(rules.check('src/tmp/x.ts', false), 'ignored');
  assert.equal(rules.check('src/x.ts', false), undefined);
});

test('IgnoreRules: built-in folders, lock files, minified names and binary extensions', async () => {
  const { rules } = await rulesFor({});
  for (const dir of ['node_modules', 'a/node_modules', 'bower_components', '.git', '.hg', '.svn', 'vendor', 'dist', 'build',
    'out', 'target', '.next', '.nuxt', 'coverage', '__pycache__', '.venv', 'venv', '.tox', '.gradle', '.idea', '.vscode-test',
    '.cache', 'pkg/foo.egg-info']) {
    assert.equal(rules.check(dir, true), 'ignored', dir);
  }
  assert.equal(rules.check('node_modules/x/index.js', false), 'ignored');
  assert.equal(rules.check('.git', false), 'ignored');
  assert.equal(rules.check('src', true), undefined);
  assert.equal(rules.check('dist.ts', false), undefined);
  for (const file of ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'Cargo.lock', 'poetry.lock', 'Gemfile.lock',
    'composer.lock', 'a/go.sum']) {
    assert.equal(rules.check(file, false), 'lockfile', file);
  }
  for (const file of ['app.min.js', 'style.min.css', 'main.bundle.js', 'app.js.map']) {
    assert.equal(rules.check(file, false), 'minified', file);
  }
  for (const file of ['logo.png', 'photo.JPG', 'a.zip', 'font.woff2', 'clip.mp4', 'mod.wasm', 'lib.so', 'x.dll', 'x.exe',
    'A.class', 'lib.jar', 'm.pyc', 'x.o', 'libx.a', 'data.sqlite', 'doc.pdf']) {
    assert.equal(rules.check(file, false), 'binary', file);
  }
  assert.equal(rules.check('main.ts', false), undefined);
});

test('IgnoreRules: secret files, including .env templates, cannot be re-included', async () => {
  const { rules } = await rulesFor({ '.ferretignore': '!.env\n!.env.example\n!.git/\n!vendor/\n' });
  for (const file of ['.env', '.env.local', '.env.example', 'config/prod.env', '.envrc', 'server.pem', 'tls.key', 'cert.p12',
    'cert.pfx', 'id_rsa', 'id_rsa.pub', 'id_ed25519', 'id_dsa', '.npmrc', '.pypirc', '.netrc', 'credentials',
    'credentials.json', 'app.keystore', 'secrets.yaml', 'terraform.tfstate', 'gcp-service-account.json']) {
    assert.equal(rules.check(file, false), 'secret', file);
  }
  assert.equal(rules.check('.aws', true), 'secret');
  assert.equal(rules.check('.aws/credentials', false), 'secret');
  assert.equal(rules.check('.ssh/config', false), 'secret');
  assert.equal(rules.check('.git', true), 'ignored');
  for (const file of ['environment.ts', 'env.ts', 'keys.ts', 'secret-santa.md', 'monkey.py']) {
    assert.equal(rules.check(file, false), undefined, file);
  }
  // Built-in defaults, unlike hard rules, give way to a negation.
  assert.equal(rules.check('vendor', true), undefined);
  assert.equal(rules.check('vendor/lib.go', false), undefined);
});

test('IgnoreRules: invalidate re-reads a changed, new or deleted rules file', async () => {
  const { root, rules } = await rulesFor({ 'sub/.gitignore': '*.tmp\n' });
  assert.equal(rules.check('sub/a.tmp', false), 'ignored');
  assert.equal(rules.check('sub/a.gen', false), undefined);

  await writeFile(join(root, 'sub', '.gitignore'), '*.gen\n');
  assert.equal(rules.check('sub/a.tmp', false), 'ignored', 'cached until invalidated');
  rules.invalidate('sub/.gitignore');
  assert.equal(rules.check('sub/a.tmp', false), undefined);
  assert.equal(rules.check('sub/a.gen', false), 'ignored');

  await writeFile(join(root, '.ferretignore'), 'sub/\n');
  rules.invalidate('.ferretignore');
  assert.equal(rules.check('sub/x.ts', false), 'ignored');

  await rm(join(root, '.ferretignore'));
  rules.invalidate('.ferretignore');
  assert.equal(rules.check('sub/x.ts', false), undefined);
});

test('IgnoreRules: patterns and paths with special characters', async () => {
  const { rules } = await rulesFor({
    '.gitignore': 'with space.txt\n\\#hash.ts\n\\!bang.ts\nback\\\\slash.ts\n[abc].ts\nemoji-🦀/\n',
    'x/.gitignore': '!*\n',
  });
  assert.equal(rules.check('with space.txt', false), 'ignored');
  assert.equal(rules.check('#hash.ts', false), 'ignored');
  assert.equal(rules.check('!bang.ts', false), 'ignored');
  assert.equal(rules.check('back\\slash.ts', false), 'ignored');
  assert.equal(rules.check('b.ts', false), 'ignored');
  assert.equal(rules.check('[abc].ts', false), undefined);
  assert.equal(rules.check('emoji-🦀/a.ts', false), 'ignored');
  assert.equal(rules.check('new\nline.ts', false), undefined);
  assert.equal(rules.check('x/[abc]/b.ts', false), undefined);
});
