// One build script: bundles the daemon and the CLI to CommonJS for Node 20 and copies the
// tree-sitter WASM files beside them. Type-checking is separate (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdir = 'dist';

/** Grammar WASMs shipped beside the bundle; found at run time by chunk/grammarLocator.ts. */
function copyGrammars() {
  const target = join(outdir, 'grammars');
  mkdirSync(target, { recursive: true });
  const vscodeWasm = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  for (const file of readdirSync(vscodeWasm)) {
    if (file.startsWith('tree-sitter-') && file.endsWith('.wasm')) copyFileSync(join(vscodeWasm, file), join(target, file));
  }
  copyFileSync(join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'), join(target, 'tree-sitter-c.wasm'));
  copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(outdir, 'web-tree-sitter.wasm'));
}

/** The MLX bridge runs as its own Python process; bridge/pythonLocator.ts finds it beside the bundle. */
function copyBridge() {
  mkdirSync(join(outdir, 'python'), { recursive: true });
  copyFileSync(join('python', 'mlx_bridge.py'), join(outdir, 'python', 'mlx_bridge.py'));
}

/** Both Node bundles (daemon side and extension host) share these. */
const nodeBundle = { outdir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !production, minify: production, logLevel: 'warning' };

await esbuild.build({
  ...nodeBundle,
  entryPoints: {
    server: 'server/src/main.ts',
    cli: 'server/src/cli.ts',
    vectorIndexWorker: 'server/src/store/vectorIndexWorker.ts',
    // Worker threads of index/filePrepPool.ts, which finds this file beside the daemon's bundle.
    filePrepWorker: 'server/src/index/filePrepWorker.ts',
  },
  // LanceDB loads a platform-specific native binary, so it cannot be bundled.
  external: ['@lancedb/lancedb', 'apache-arrow'],
  // esbuild would pick the ESM build, whose import.meta.url is empty in CommonJS and crashes Parser.init().
  alias: { 'web-tree-sitter': join(dirname(require.resolve('web-tree-sitter/web-tree-sitter.wasm')), 'web-tree-sitter.cjs') },
});
copyGrammars();
copyBridge();

// The extension runs in VS Code's extension host, which provides `vscode`; everything else is bundled.
await esbuild.build({ ...nodeBundle, entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] });

// The chat webview's script runs in the webview's browser sandbox: one self-contained IIFE in media/.
await esbuild.build({
  entryPoints: { chat: 'client/webview/main.ts' },
  outdir: 'media',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
});
