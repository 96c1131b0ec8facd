/**
 * Per-language tree-sitter queries, in the spirit of the `tags.scm` files grammars ship, compiled
 * once per grammar. Queries run inside the WASM module and hand back only the nodes they capture,
 * which is far cheaper than walking every node from JavaScript.
 *
 * Captures in `definitions`:
 * - `@definition.<kind>` the definition's node, `<kind>` a SymbolKind; `@name` its name, unless
 *   `names` or the chunker has a naming hook for that node type (Go receivers, C declarators);
 * - `@scope` a node that qualifies the names inside it without defining one (a Rust `impl`).
 * When several patterns match one node, the first pattern wins, so specific ones go first.
 *
 * Captures in `references`: `@reference` a name used; `@local` a name bound by the unit itself
 * (parameters, type parameters), which is no reference within that unit.
 *
 * Both sets of patterns make one query, so that each file's tree is traversed once.
 */
import { Query, type Language, type Node, type QueryCapture, type QueryMatch } from 'web-tree-sitter';
import { lookup } from '../chunk/languages';
import { C, CPP } from './queries/cFamily';
import { CSHARP } from './queries/csharp';
import { GO } from './queries/go';
import { JAVA } from './queries/java';
import { JAVASCRIPT, TSX, TYPESCRIPT } from './queries/javascript';
import { PHP } from './queries/php';
import { PYTHON } from './queries/python';
import { RUBY } from './queries/ruby';
import { RUST } from './queries/rust';
import type { SymbolKind } from './types';

export interface TagQuerySource {
  definitions: string;
  references: string;
  /** Names that are never references: receivers like `self`, builtins spelled as plain names. */
  ignored: readonly string[];
  /** How to name nodes of these types, before the chunker's hooks and the `@name` capture. */
  names?: Readonly<Record<string, (node: Node) => string | null>>;
}

export interface TagQueries {
  query: Query;
  ignored: ReadonlySet<string>;
  names: Readonly<Record<string, (node: Node) => string | null>>;
  /** Definition kind per capture name, `definition.class` → `class`. */
  kinds: ReadonlyMap<string, SymbolKind>;
}

const SOURCES: Readonly<Record<string, TagQuerySource>> = {
  typescript: TYPESCRIPT,
  tsx: TSX,
  javascript: JAVASCRIPT,
  python: PYTHON,
  go: GO,
  rust: RUST,
  java: JAVA,
  c: C,
  cpp: CPP,
  csharp: CSHARP,
  ruby: RUBY,
  php: PHP,
};

const KINDS: ReadonlySet<string> = new Set<SymbolKind>(['function', 'method', 'class', 'interface', 'type', 'enum', 'constant', 'module']);

const compiled = new WeakMap<Language, TagQueries>();

/** Whether symbols/ knows the language id (as chunk/languages.ts names it). */
export function hasTagQueries(language: string): boolean {
  return lookup(SOURCES, language) !== undefined;
}

/** The compiled queries for a language id and its loaded grammar; throws when a query does not fit the grammar. */
export function tagQueriesFor(language: string, grammar: Language): TagQueries | null {
  const known = compiled.get(grammar);
  if (known) return known;
  const source = lookup(SOURCES, language);
  if (!source) return null;
  const query = new Query(grammar, source.definitions + source.references);
  const kinds = new Map<string, SymbolKind>();
  for (const name of query.captureNames) {
    const [head, kind] = name.split('.');
    if (head !== 'definition') continue;
    if (!kind || !KINDS.has(kind)) throw new Error(`${language} tag query: unknown kind in @${name}`);
    kinds.set(name, kind as SymbolKind);
  }
  const queries: TagQueries = { query, ignored: new Set(source.ignored), names: source.names ?? {}, kinds };
  compiled.set(grammar, queries);
  return queries;
}


export interface TagMatches {
  /** Matches of definition and scope patterns. */
  definitions: QueryMatch[];
  /** `@reference` and `@local` captures, in source order. */
  references: QueryCapture[];
}

export function runTagQuery(root: Node, queries: TagQueries): TagMatches {
  const definitions: QueryMatch[] = [];
  const references: QueryCapture[] = [];
  for (const match of queries.query.matches(root)) {
    const [first] = match.captures;
    if (match.captures.length === 1 && first && (first.name === 'reference' || first.name === 'local')) references.push(first);
    else definitions.push(match);
  }
  references.sort((a, b) => a.node.startIndex - b.node.startIndex);
  return { definitions, references };
}
