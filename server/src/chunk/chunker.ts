/**
 * Entry point of chunk/: picks syntax, markdown or line chunking for a file and turns the result
 * into chunks. Code that cannot be parsed falls back to line windows, with the reason recorded
 * on the result and logged once.
 */
import { locateGrammar } from './grammarLocator';
import { languageOf, lookup, SYNTAX_RULES } from './languages';
import { chunkLines } from './lineChunker';
import { LineIndex } from './lineIndex';
import { limitsFor } from './limits';
import { chunkMarkdown } from './markdownChunker';
import { toChunks } from './pieces';
import { errorShare } from './nodeRows';
import { chunkSyntaxTree } from './syntaxChunker';
import { initRuntime, TreeParser } from './treeParser';
import type { Tree } from 'web-tree-sitter';
import type { ChunkedFile } from './types';

export { languageOf } from './languages';

/**
 * Bump when the same file may be chunked differently (boundaries, masking, grammars, symbol
 * columns): a shared index is only copied from when its chunker version matches.
 */
export const CHUNKER_VERSION = 1;

export interface ChunkerOptions<T = never> {
  /** Hard cap on a chunk's lines (default 100); merged and split pieces aim at 40 % of it. */
  maxChunkLines?: number;
  /** Hard cap on a chunk's characters (default 4000), unless a single line is longer. */
  maxChunkChars?: number;
  /** A parse running longer than this is abandoned for line windows (default 2000 ms). */
  parseTimeoutMs?: number;
  /** Where grammar files are; defaults to beside the bundle, else node_modules. */
  locateGrammar?: (file: string) => string;
  log?: (msg: string) => void;
  /** Reads more than chunks from each parsed tree (symbols/ reads definitions), so a file is parsed once. */
  readTree?: TreeReader<T>;
}

/** Called with a syntax tree while it is alive. */
export type TreeReader<T> = (tree: Tree, language: string) => T;

/** A file's chunks, and what the tree reader read from its parse (absent when it was not parsed). */
export type ReadFile<T> = ChunkedFile & { fromTree?: T };

export interface Chunker<T = never> {
  /** Chunks one file; `relPath` is workspace-relative (either separator) and decides the language. */
  chunkFile(relPath: string, text: string): Promise<ReadFile<T>>;
  /** Frees the parser's WASM memory; the chunker cannot be used afterwards. */
  dispose(): void;
}

export const DEFAULT_PARSE_TIMEOUT_MS = 2000;

/**
 * Files whose top-level syntax errors hold more than this share of their lines get line windows:
 * below it, error nodes are just statements among the others and the rest of the file still
 * chunks well (an unfinished edit, a grammar lagging behind the language).
 */
const MAX_ERROR_SHARE = 0.5;

export async function createChunker<T = never>(options: ChunkerOptions<T> = {}): Promise<Chunker<T>> {
  const limits = limitsFor(options.maxChunkLines, options.maxChunkChars);
  const timeoutMs = options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const log = options.log ?? ((): void => undefined);
  try {
    await initRuntime();
  } catch (error) {
    // Markdown and text still chunk; code files report the failure one by one as their fallback reason.
    log(`tree-sitter runtime unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parser = new TreeParser(options.locateGrammar ?? locateGrammar);
  let disposed = false;

  const linesOf = (path: string, language: string, index: LineIndex, fallbackReason?: string): ChunkedFile => {
    const chunks = toChunks(chunkLines(index, limits), index, path, language);
    if (fallbackReason === undefined) return { chunks, method: 'lines' };
    log(`${path}: chunked by lines (${fallbackReason})`);
    return { chunks, method: 'lines', fallbackReason };
  };

  return {
    async chunkFile(path: string, text: string): Promise<ReadFile<T>> {
      if (disposed) throw new Error('chunker used after dispose()');
      // `path` is already '/'-separated; a backslash left in it is part of a (POSIX) file name.
      const language = languageOf(path);
      const index = new LineIndex(text);
      if (language === 'markdown') return { chunks: toChunks(chunkMarkdown(index, limits), index, path, language), method: 'markdown' };
      const rules = lookup(SYNTAX_RULES, language);
      if (!rules) return linesOf(path, language, index);
      const outcome = await parser.parse(rules.grammar, text, timeoutMs);
      if ('failure' in outcome) return linesOf(path, language, index, outcome.failure);
      const { tree } = outcome;
      try {
        if (errorShare(tree.rootNode, index) > MAX_ERROR_SHARE) return linesOf(path, language, index, 'mostly syntax errors');
        const pieces = chunkSyntaxTree(tree.rootNode, text, index, rules, limits);
        const chunked: ReadFile<T> = { chunks: toChunks(pieces, index, path, language), method: 'syntax' };
        if (options.readTree) chunked.fromTree = options.readTree(tree, language);
        return chunked;
      } finally {
        tree.delete();
      }
    },
    dispose(): void {
      disposed = true;
      parser.dispose();
    },
  };
}
