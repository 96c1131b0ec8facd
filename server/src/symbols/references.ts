/**
 * References of one parsed file: the names its reference query captures, gathered per unit (the
 * innermost definition around each), without the unit's own name and the names that it or the
 * units around it bind (parameters of an enclosing function, type parameters of an `impl<T>`).
 */
import type { QueryCapture } from 'web-tree-sitter';
import type { Defined } from './definitions';
import type { TagQueries } from './tagQueries';
import type { SymbolReference } from './types';

interface UnitNames {
  /** Each name the unit uses, with the line it is first used on. */
  names: Map<string, number>;
  locals: Set<string>;
}

const PLAIN = /^[\p{L}\p{N}_$]+$/u;

/** `captures` and `defined` must be in source order, `defined` outer before inner, as findDefinitions returns it. */
export function findReferences(captures: readonly QueryCapture[], queries: TagQueries, defined: readonly Defined[]): SymbolReference[] {
  const file: UnitNames = { names: new Map(), locals: new Set() };
  const byUnit = new Map<Defined, UnitNames>();
  const open: Defined[] = [];
  let next = 0;
  for (const { name: capture, node } of captures) {
    const at = node.startIndex;
    while (next < defined.length && defined[next]!.startIndex <= at) {
      const unit = defined[next++]!;
      while (open.length && open[open.length - 1]!.node.endIndex <= unit.startIndex) open.pop();
      open.push(unit);
    }
    while (open.length && open[open.length - 1]!.node.endIndex <= at) open.pop();
    const unit = open[open.length - 1];
    let names = file;
    if (unit) {
      names = byUnit.get(unit) ?? { names: new Map(), locals: new Set() };
      byUnit.set(unit, names);
    }
    const name = nameOf(node.text);
    if (!name || queries.ignored.has(name)) continue;
    if (capture === 'local') names.locals.add(name);
    else if (capture === 'reference' && name !== unit?.name && !names.names.has(name)) names.names.set(name, node.startPosition.row + 1);
  }
  const references: SymbolReference[] = [];
  const bound = (unit: Defined | undefined, name: string): boolean => {
    for (let at = unit; at; at = at.parent) if (byUnit.get(at)?.locals.has(name)) return true;
    return file.locals.has(name);
  };
  // Top-level code is no unit: its uses (imports, mostly) are placed on the line of their first use.
  for (const [name, line] of file.names) if (!file.locals.has(name)) references.push({ name, startLine: line, endLine: line, symbol: '' });
  for (const unit of defined) {
    const names = byUnit.get(unit)?.names.keys() ?? [];
    for (const name of names) if (!bound(unit, name)) references.push({ name, startLine: unit.startLine, endLine: unit.endLine, symbol: unit.symbol });
  }
  return references;
}

/**
 * Captured names are bare identifiers, but for Go's import paths, which stand for their package:
 * `"net/http"` → `http`, `"github.com/x/yaml/v3"` → `yaml`.
 */
function nameOf(text: string): string {
  if (PLAIN.test(text)) return text;
  const path = text.replace(/^["'`]|["'`]$/g, '').replace(/\/v\d+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}
