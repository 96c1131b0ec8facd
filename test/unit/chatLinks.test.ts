// Which links from an answer may be opened, and that workspace paths cannot leave the workspace.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyHref } from '../../client/src/chat/linkPolicy';
import { findInWorkspace } from '../../client/src/citations/workspacePath';
import { tempDir } from '../support/tempDir';

test('http(s) links are web links; workspace paths keep their line fragment', () => {
  assert.deepEqual(classifyHref('https://example.com/a b'), undefined);
  assert.deepEqual(classifyHref('HTTPS://Example.com/x'), { kind: 'web', url: 'https://example.com/x' });
  assert.deepEqual(classifyHref('src/auth.ts'), { kind: 'workspace', path: 'src/auth.ts' });
  assert.deepEqual(classifyHref('src/auth.ts#L10'), { kind: 'workspace', path: 'src/auth.ts', startLine: 10, endLine: 10 });
  assert.deepEqual(classifyHref('src/auth.ts#L10-L20'), { kind: 'workspace', path: 'src/auth.ts', startLine: 10, endLine: 20 });
  assert.deepEqual(classifyHref('src/my%20file.ts#L3-5'), { kind: 'workspace', path: 'src/my file.ts', startLine: 3, endLine: 5 });
  assert.deepEqual(classifyHref('src/a.ts#intro'), { kind: 'workspace', path: 'src/a.ts' });
});

test('every other scheme and trick is refused', () => {
  for (const href of [
    'javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:x',
    'file:///etc/passwd', 'command:workbench.action.openSettings', 'vscode://x', 'vscode-webview://x', 'data:text/html,x',
    'mailto:a@b.c', '//evil.example/x', '\\\\evil\\share', '#top', '?q', '', '   ', 'src/%E0%A4%A.ts', 'a%00b',
    'http://', 'ftp://example.com',
  ]) {
    assert.equal(classifyHref(href), undefined, JSON.stringify(href));
  }
});

test('only existing files inside a workspace folder are found', async () => {
  const root = tempDir('ferret-chat-links-');
  const ws = join(root, 'ws');
  const other = join(root, 'ws2');
  mkdirSync(join(ws, 'src'), { recursive: true });
  mkdirSync(other);
  writeFileSync(join(ws, 'src', 'a.ts'), 'a');
  writeFileSync(join(other, 'b.ts'), 'b');
  writeFileSync(join(root, 'secret.txt'), 's');
  symlinkSync(join(root, 'secret.txt'), join(ws, 'leak.txt'));

  assert.equal(await findInWorkspace([ws], 'src/a.ts'), join(ws, 'src', 'a.ts'));
  assert.equal(await findInWorkspace([ws], join(ws, 'src', 'a.ts')), join(ws, 'src', 'a.ts'));
  assert.equal(await findInWorkspace([ws, other], 'b.ts'), join(other, 'b.ts'), 'second folder of a multi-root workspace');
  assert.equal(await findInWorkspace([ws], '../secret.txt'), undefined, 'relative path out of the folder');
  assert.equal(await findInWorkspace([ws], 'src/../../secret.txt'), undefined);
  assert.equal(await findInWorkspace([ws], join(root, 'secret.txt')), undefined, 'absolute path outside');
  assert.equal(await findInWorkspace([ws], 'leak.txt'), undefined, 'symlink pointing outside');
  assert.equal(await findInWorkspace([ws], 'src'), undefined, 'a folder is not a file');
  assert.equal(await findInWorkspace([ws], 'missing.ts'), undefined);
  assert.equal(await findInWorkspace([ws], '.'), undefined);
  assert.equal(await findInWorkspace([], 'src/a.ts'), undefined);
});
