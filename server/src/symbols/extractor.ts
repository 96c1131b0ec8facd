/**
 * Entry point of symbols/: the definitions and references of one file. Indexing, which has parsed
 * the file for chunking already, hands its tree to `extractSymbols`; `createSymbolExtractor` parses
 * on its own for callers without a tree (tests, benches, tools).
 */
import type { Tree } from 'web-tree-sitter';
import { locateGrammar } from '../chunk/grammarLocator';
import { languageOf, lookup, SYNTAX_RULES } from '../chunk/languages';
import { TreeParser } from '../chunk/treeParser';
import { findDefinitions } from './definitions';
import { findReferences } from './references';
import { hasTagQueries, runTagQuery, tagQueriesFor } from './tagQueries';
import type { FileSymbols } from './types';

export type { FileSymbols, SymbolDefinition, SymbolKind, SymbolReference } from './types';

export type SymbolsOutcome = { symbols: FileSymbols } | { failure: string };

export interface SymbolExtractorOptions {
  /** A parse running longer than this gives a failure (default 2000 ms, as for chunking). */
  parseTimeoutMs?: number;
  locateGrammar?: (file: string) => string;
}

export interface SymbolExtractor {
  /** Symbols of one file; `relPath` decides the language. Languages without a grammar have none. */
  symbolsOf(relPath: string, text: string): Promise<SymbolsOutcome>;
  /** Frees the parser's WASM memory; the extractor cannot be used afterwards. */
  dispose(): void;
}

const DEFAULT_PARSE_TIMEOUT_MS = 2000;

/**
 * Symbols of a tree parsed with `language`'s grammar (SYNTAX_RULES[language].grammar).
 */
export function extractSymbols(tree: Tree, language: string): FileSymbols {
  const rules = lookup(SYNTAX_RULES, language);
  const queries = rules && tree.language ? tagQueriesFor(language, tree.language) : null;
  if (!rules || !queries) return { definitions: [], references: [] };
  const matches = runTagQuery(tree.rootNode, queries);
  const defined = findDefinitions(matches.definitions, queries, rules);
  return {
    definitions: defined.flatMap((entry) => (entry.definition ? [entry.definition] : [])),
    references: findReferences(matches.references, queries, defined),
  };
}

export function createSymbolExtractor(options: SymbolExtractorOptions = {}): SymbolExtractor {
  const parser = new TreeParser(options.locateGrammar ?? locateGrammar);
  const timeoutMs = options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  let disposed = false;
  return {
    async symbolsOf(relPath: string, text: string): Promise<SymbolsOutcome> {
      if (disposed) throw new Error('symbol extractor used after dispose()');
      const language = languageOf(relPath);
      const rules = lookup(SYNTAX_RULES, language);
      if (!rules || !hasTagQueries(language)) return { symbols: { definitions: [], references: [] } };
      const outcome = await parser.parse(rules.grammar, text, timeoutMs);
      if ('failure' in outcome) return outcome;
      try {
        return { symbols: extractSymbols(outcome.tree, language) };
      } finally {
        outcome.tree.delete();
      }
    },
    dispose(): void {
      disposed = true;
      parser.dispose();
    },
  };
}

