import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeSource } from '../../server/src/watch/contentSniffer';

const SOURCE = 'export const greeting = "héllo 🦀";\n// 注释\n';

test('decodeSource: plain UTF-8 passes through', () => {
  assert.deepEqual(decodeSource(Buffer.from(SOURCE), 'a.ts'), { text: SOURCE });
  assert.deepEqual(decodeSource(Buffer.alloc(0), 'empty.ts'), { text: '' });
});

test('decodeSource: a UTF-8 BOM is stripped', () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SOURCE)]);
  assert.deepEqual(decodeSource(bytes, 'a.ts'), { text: SOURCE });
});

test('decodeSource: UTF-16 LE and BE with a BOM are decoded', () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SOURCE, 'utf16le')]);
  assert.deepEqual(decodeSource(le, 'a.cs'), { text: SOURCE });
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SOURCE, 'utf16le').swap16()]);
  assert.deepEqual(decodeSource(be, 'a.cs'), { text: SOURCE });
});

test('decodeSource: broken UTF-16 is not text', () => {
  const oddLength = Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]);
  assert.deepEqual(decodeSource(oddLength, 'a.cs'), { skip: 'invalid-utf8' });
  const loneSurrogate = Buffer.from([0xff, 0xfe, 0x3d, 0xd8, 0x41, 0x00]);
  assert.deepEqual(decodeSource(loneSurrogate, 'a.cs'), { skip: 'invalid-utf8' });
  const nulChars = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\u0000b', 'utf16le')]);
  assert.deepEqual(decodeSource(nulChars, 'a.cs'), { skip: 'binary' });
});

test('decodeSource: a NUL byte in the first 8 KiB means binary, whatever the extension', () => {
  assert.deepEqual(decodeSource(Buffer.from('const a = 1;\u0000\n'), 'a.ts'), { skip: 'binary' });
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  assert.deepEqual(decodeSource(png, 'logo.ts'), { skip: 'binary' });
  const lateNul = Buffer.concat([Buffer.from('x'.repeat(9000)), Buffer.from([0])]);
  assert.notDeepEqual(decodeSource(lateNul, 'a.txt'), { skip: 'binary' }, 'only the first 8 KiB is sniffed');
});

test('decodeSource: many control characters mean binary; tabs, CRLF, form feeds and ANSI colours do not', () => {
  const controls = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 0x01 : 0x61)));
  assert.deepEqual(decodeSource(controls, 'a.ts'), { skip: 'binary' });
  const text = 'a\tb\r\n\f\u001b[31mred\u001b[0m\n';
  assert.deepEqual(decodeSource(Buffer.from(text), 'a.log'), { text });
});

test('decodeSource: bytes that are not UTF-8 and carry no BOM', () => {
  assert.deepEqual(decodeSource(Buffer.from('caf\xe9 = 1\n', 'latin1'), 'a.py'), { skip: 'invalid-utf8' });
  assert.deepEqual(decodeSource(Buffer.from([0x61, 0xf0, 0x9f, 0xa6]), 'a.py'), { skip: 'invalid-utf8' });
});

test('decodeSource: minified by content', () => {
  const bundle = `!function(){${'var a=1,b=2;'.repeat(400)}}();`;
  assert.deepEqual(decodeSource(Buffer.from(bundle), 'vendor.js'), { skip: 'minified' });
  const withHeader = `/*! licence\n * line\n */\n${'x=1;'.repeat(2000)}\n`;
  assert.deepEqual(decodeSource(Buffer.from(withHeader), 'lib.js'), { skip: 'minified' });
  const wide = Array.from({ length: 20 }, () => 'y'.repeat(600)).join('\n');
  assert.deepEqual(decodeSource(Buffer.from(wide), 'data.js'), { skip: 'minified' });
});

test('decodeSource: ordinary code, a short one-liner and soft-wrapped prose are text', () => {
  const code = Array.from({ length: 300 }, (_, i) => `  const value${i} = compute(${i}, "some argument");`).join('\n');
  assert.ok('text' in decodeSource(Buffer.from(code), 'a.ts'));
  const oneLiner = `echo ${'z'.repeat(900)}`;
  assert.ok('text' in decodeSource(Buffer.from(oneLiner), 'run.sh'));
  const embeddedBlob = `${code}\nconst icon = "${'A'.repeat(6000)}";\n`;
  assert.ok('text' in decodeSource(Buffer.from(embeddedBlob), 'icon.ts'), 'one long line in a long file');
  const prose = Array.from({ length: 10 }, () => 'word '.repeat(150)).join('\n');
  assert.ok('text' in decodeSource(Buffer.from(prose), 'README.md'));
  assert.deepEqual(decodeSource(Buffer.from(prose), 'notes.js'), { skip: 'minified' });
});
