/**
 * What symbols/ extracts from one file: the names it defines, with where they sit, and the names
 * each of its units uses. Lines are 1-based and inclusive, like chunks'.
 */

import type { SymbolKind } from '../shared/protocol';

export type { SymbolKind };


export interface SymbolDefinition {
  name: string;
  kind: SymbolKind;
  /**
   * Qualified name of the enclosing definition, '' at top level: a class, an `impl Type` or trait,
   * a module or namespace that qualifies names, a Go method's receiver type, or the function that
   * holds a nested function. `${container}.${name}` is the definition's qualified name.
   */
  container: string;
  /** The definition's own node, without decorators or doc comments before it. */
  startLine: number;
  endLine: number;
}

/** One name used by one unit (a definition, or the file's top-level code when `symbol` is ''). */
export interface SymbolReference {
  name: string;
  /** The unit's lines, not the use's (a unit that uses a name many times has one reference to it); for top-level code, the first use's line. */
  startLine: number;
  endLine: number;
  /** Qualified name of the unit; '' for code outside every definition, whose range is the line of the first use. */
  symbol: string;
}

export interface FileSymbols {
  /** In source order. */
  definitions: SymbolDefinition[];
  /** Grouped by unit in source order, each unit's names in order of first use. */
  references: SymbolReference[];
}
