/**
 * Definitions of one parsed file, from its language's tag query (see tagQueries.ts): each match
 * names a definition, and nesting in the tree gives each its container.
 */
import type { Node, QueryCapture, QueryMatch } from 'web-tree-sitter';
import { lookup, type SyntaxRules } from '../chunk/languages';
import { cleanName } from '../chunk/naming';
import { rowsOf } from '../chunk/nodeRows';
import type { TagQueries } from './tagQueries';
import type { SymbolDefinition, SymbolKind } from './types';

/** A definition, or a scope (kind null) that only qualifies what it holds, as the walk sees it. */
export interface Defined {
  node: Node;
  /** Where the unit starts for the references inside it: before its decorators when a wrapper holds them. */
  startIndex: number;
  kind: SymbolKind | null;
  name: string;
  /** Qualified name. */
  symbol: string;
  /** The innermost definition or scope around this one. */
  parent: Defined | undefined;
  startLine: number;
  endLine: number;
  /** What this one's members are qualified with: its qualified name, or its container's when the language does not count it. */
  prefix: string;
  definition: SymbolDefinition | null;
}

const CLASS_LIKE: ReadonlySet<SymbolKind | null> = new Set([null, 'class', 'interface', 'enum']);
/** Nodes around a definition whose contents belong to it: decorators in Python and TypeScript, C++ template parameters. */
const ENCLOSING: ReadonlySet<string> = new Set(['decorated_definition', 'export_statement', 'template_declaration']);
/** Kinds whose nodes may hold others that are not theirs: a C typedef holds the struct it names. */
const NOT_CONTAINERS: ReadonlySet<SymbolKind | null> = new Set(['type']);
/** Children that a definition's own line comes after: Java annotations, C# attributes, doc comments. */
const LEADING = /^(decorator|annotation|marker_annotation|attribute_list|attribute_item|attribute|line_comment|block_comment|comment)$/;

/**
 * Definitions and scopes in source order, outer before inner. A node matched by several patterns
 * keeps the first pattern's reading, so that specific patterns go before general ones.
 */
export function findDefinitions(matches: readonly QueryMatch[], queries: TagQueries, rules: SyntaxRules): Defined[] {
  const byNode = new Map<number, { pattern: number; node: Node; kind: SymbolKind | null; nameNode: Node | null }>();
  for (const match of matches) {
    const found = readMatch(match.captures, queries);
    if (!found) continue;
    const known = byNode.get(found.node.id);
    if (!known || match.patternIndex < known.pattern) byNode.set(found.node.id, { pattern: match.patternIndex, ...found });
  }
  const ordered = [...byNode.values()].sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
  const open: Defined[] = [];
  const defined: Defined[] = [];
  for (const { node, kind, nameNode } of ordered) {
    while (open.length && open[open.length - 1]!.node.endIndex <= node.startIndex) open.pop();
    const parent = open[open.length - 1];
    const full = nameOf(node, nameNode, queries, rules);
    if (!full) continue;
    // A dotted name qualifies a function (`Foo::bar`, `Foo.prototype.bar`); a module's is all its
    // own (`namespace App.Billing`), and so is a computed one (`[Symbol.iterator]`).
    const dot = kind === 'module' || full.startsWith('[') ? -1 : full.lastIndexOf('.');
    const name = full.slice(dot + 1);
    if (!name) continue;
    const container = join(parent?.prefix ?? '', full.slice(0, Math.max(dot, 0)));
    const qualified = join(container, name);
    const finalKind = kind === 'function' && ((parent !== undefined && CLASS_LIKE.has(parent.kind)) || dot > 0) ? 'method' : kind;
    const lines = linesOf(node);
    const wrapper = node.parent && ENCLOSING.has(node.parent.type) ? node.parent : node;
    const entry: Defined = {
      node,
      startIndex: wrapper.startIndex,
      kind: finalKind,
      name,
      symbol: qualified,
      parent,
      ...lines,
      prefix: rules.unqualified.has(node.type) ? (parent?.prefix ?? '') : qualified,
      definition: finalKind ? { name, kind: finalKind, container, ...lines } : null,
    };
    if (!NOT_CONTAINERS.has(finalKind)) open.push(entry);
    defined.push(entry);
  }
  return defined;
}

function readMatch(captures: readonly QueryCapture[], queries: TagQueries): { node: Node; kind: SymbolKind | null; nameNode: Node | null } | null {
  let node: Node | null = null;
  let kind: SymbolKind | null = null;
  let nameNode: Node | null = null;
  for (const capture of captures) {
    if (capture.name === 'name') nameNode = capture.node;
    else if (capture.name === 'scope') node = capture.node;
    else {
      const captured = queries.kinds.get(capture.name);
      if (captured) {
        node = capture.node;
        kind = captured;
      }
    }
  }
  return node ? { node, kind, nameNode } : null;
}

/** A computed member name that is a plain path, `[Symbol.iterator]`, names its member; others (`[`k${i}`]`) do not. */
const COMPUTED_NAME = /^\[[\w$.]+\]$/;

/** Hooks know the odd cases (Go receivers, C declarators, `impl` types); else the `@name` capture. */
function nameOf(node: Node, nameNode: Node | null, queries: TagQueries, rules: SyntaxRules): string {
  const hook = lookup(queries.names, node.type) ?? lookup(rules.hooks, node.type)?.name;
  if (hook) return hook(node) ?? '';
  if (!nameNode) return '';
  if (nameNode.type !== 'computed_property_name') return cleanName(nameNode.text);
  return COMPUTED_NAME.test(nameNode.text) ? nameNode.text : '';
}

/** The definition's own lines: from its first line that is not an annotation or comment, to its end. */
function linesOf(node: Node): { startLine: number; endLine: number } {
  const [start, end] = rowsOf(node);
  return { startLine: headRow(node, start) + 1, endLine: end + 1 };
}

function headRow(node: Node, fallback: number): number {
  for (const child of node.children) {
    if (LEADING.test(child.type)) continue;
    if (child.type === 'modifiers') {
      const inner = headRow(child, -1);
      if (inner >= 0) return inner;
      continue;
    }
    return child.startPosition.row;
  }
  return fallback;
}

function join(prefix: string, name: string): string {
  return prefix && name ? `${prefix}.${name}` : prefix || name;
}
