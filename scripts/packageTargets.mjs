// Release command (`npm run package:all`): one VSIX per platform LanceDB 0.31.0 ships a native binary for.
// vsce does not check native binaries against --target, so each target is packaged from its own clean
// staging copy where `npm ci --os --cpu --libc` installed only that platform's binary, and every VSIX
// is then checked to hold exactly that platform's `.node` (right file format and CPU) and no other.
// Usage: node scripts/packageTargets.mjs [--target linux-x64,win32-x64] (after `node esbuild.mjs --production`).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const vsce = join(root, 'node_modules/.bin/vsce');

/** VS Code target → npm platform flags and the LanceDB package (and binary format) it must carry. */
const targets = {
  'linux-x64': { os: 'linux', cpu: 'x64', libc: 'glibc', binary: 'linux-x64-gnu', format: 'elf', arch: 'x64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', libc: 'glibc', binary: 'linux-arm64-gnu', format: 'elf', arch: 'arm64' },
  'alpine-x64': { os: 'linux', cpu: 'x64', libc: 'musl', binary: 'linux-x64-musl', format: 'elf', arch: 'x64' },
  'alpine-arm64': { os: 'linux', cpu: 'arm64', libc: 'musl', binary: 'linux-arm64-musl', format: 'elf', arch: 'arm64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64', binary: 'darwin-arm64', format: 'macho', arch: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64', binary: 'win32-x64-msvc', format: 'pe', arch: 'x64' },
  'win32-arm64': { os: 'win32', cpu: 'arm64', binary: 'win32-arm64-msvc', format: 'pe', arch: 'arm64' },
};
// (No darwin-x64: @lancedb/lancedb-darwin-x64@0.31.0 is not published.)

const files = ['package.json', 'package-lock.json', 'README.md', 'LICENSE', '.vscodeignore', 'dist', 'media'];

const flag = process.argv.indexOf('--target');
const chosen = flag >= 0 ? process.argv[flag + 1].split(',') : Object.keys(targets);
for (const t of chosen) if (!targets[t]) throw new Error(`unknown target ${t}; known: ${Object.keys(targets).join(', ')}`);
if (!existsSync(join(root, 'dist/extension.js'))) throw new Error('dist/ is missing: run `node esbuild.mjs --production` first');

/** The file format and CPU of a native binary, read from its header. */
function binaryKind(buf) {
  if (buf.readUInt32BE(0) === 0x7f454c46) return { format: 'elf', arch: { 0x3e: 'x64', 0xb7: 'arm64' }[buf.readUInt16LE(18)] ?? 'other' };
  if (buf.readUInt32LE(0) === 0xfeedfacf) return { format: 'macho', arch: { 0x01000007: 'x64', 0x0100000c: 'arm64' }[buf.readUInt32LE(4)] ?? 'other' };
  if (buf.toString('latin1', 0, 2) === 'MZ') {
    const pe = buf.readUInt32LE(0x3c);
    return { format: 'pe', arch: { 0x8664: 'x64', 0xaa64: 'arm64' }[buf.readUInt16LE(pe + 4)] ?? 'other' };
  }
  return { format: 'unknown', arch: 'unknown' };
}

function verify(target, vsix) {
  const spec = targets[target];
  const listing = execFileSync('unzip', ['-l', vsix], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const natives = listing.split('\n').map((line) => line.trim().split(/\s+/).slice(3).join(' ')).filter((name) => name.endsWith('.node'));
  const expected = `extension/node_modules/@lancedb/lancedb-${spec.binary}/lancedb.${spec.binary}.node`;
  if (natives.length !== 1 || natives[0] !== expected) {
    throw new Error(`${vsix}: expected exactly ${expected}, found ${natives.length ? natives.join(', ') : 'no .node file'}`);
  }
  const kind = binaryKind(execFileSync('unzip', ['-p', vsix, expected], { maxBuffer: 512 << 20 }));
  if (kind.format !== spec.format || kind.arch !== spec.arch) {
    throw new Error(`${vsix}: ${expected} is ${kind.format}/${kind.arch}, expected ${spec.format}/${spec.arch}`);
  }
  return `${expected.replace('extension/node_modules/', '')} (${kind.format} ${kind.arch})`;
}

const results = [];
for (const target of chosen) {
  const spec = targets[target];
  const started = Date.now();
  const stage = mkdtempSync(join(tmpdir(), `ferret-package-${target}-`));
  try {
    for (const file of files) cpSync(join(root, file), join(stage, file), { recursive: true });
    const platform = [`--os=${spec.os}`, `--cpu=${spec.cpu}`, ...(spec.libc ? [`--libc=${spec.libc}`] : [])];
    console.log(`\n[${target}] npm ci --omit=dev ${platform.join(' ')} --ignore-scripts`);
    execFileSync('npm', ['ci', '--omit=dev', ...platform, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: stage, stdio: 'inherit' });
    const vsix = join(root, `ferret-${target}.vsix`);
    console.log(`[${target}] vsce package --target ${target}`);
    execFileSync(vsce, ['package', '--target', target, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', vsix], { cwd: stage, stdio: 'inherit' });
    let binary;
    try {
      binary = verify(target, vsix);
    } catch (error) {
      rmSync(vsix, { force: true }); // never leave a VSIX with the wrong binary behind
      throw error;
    }
    const mib = (statSync(vsix).size / 2 ** 20).toFixed(1);
    console.log(`[${target}] ok: ${binary}, ${mib} MiB, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    results.push(`${`ferret-${target}.vsix`.padEnd(26)} ${mib.padStart(6)} MiB  ${binary}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
console.log(`\n${results.join('\n')}`);
