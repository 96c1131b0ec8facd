/**
 * Finds tree-sitter WASM files at run time. The bundle (dist/server.js) has them copied beside it
 * by esbuild.mjs; the TypeScript sources (tests, tsx) resolve them from node_modules.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const RUNTIME_WASM = 'web-tree-sitter.wasm';

/** Where each grammar lives in node_modules, for runs from source. */
function packagePath(file: string): string {
  if (file === 'tree-sitter-c.wasm') return 'tree-sitter-c/tree-sitter-c.wasm';
  return `@vscode/tree-sitter-wasm/wasm/${file}`;
}

function firstExisting(besideBundle: string, modulePath: string): string {
  if (existsSync(besideBundle)) return besideBundle;
  try {
    return require.resolve(modulePath);
  } catch (error) {
    throw new Error(`cannot find ${path.basename(besideBundle)} beside the bundle nor as ${modulePath}`, { cause: error });
  }
}

/** Absolute path of a grammar such as `tree-sitter-typescript.wasm`; throws when it is nowhere. */
export function locateGrammar(file: string): string {
  return firstExisting(path.join(__dirname, 'grammars', file), packagePath(file));
}

/** Absolute path of web-tree-sitter's own runtime WASM, for `Parser.init({ locateFile })`. */
export function locateRuntimeWasm(): string {
  return firstExisting(path.join(__dirname, RUNTIME_WASM), `web-tree-sitter/${RUNTIME_WASM}`);
}
