/**
 * The symbol graph of one folder's index, kept equal to its rows like the vocabulary is: every
 * write counts the new rows in and the replaced ones out. Definitions are held whole (a few per
 * chunk); references only as which paths use a name, their ranges read from the rows on demand,
 * so a large workspace's graph costs tens of megabytes, not hundreds.
 */
import { detach } from '../text/detach';
import { decodeDefinitions, referencedNames } from './symbolColumns';
import type { SymbolDefinition } from './types';

/** The columns of a stored chunk the graph reads. */
export interface SymbolRow {
  path: string;
  definitions: string;
  references: string;
}
export const SYMBOL_COLUMNS = ['path', 'definitions', 'references'] as const;

export interface LocatedDefinition extends SymbolDefinition {
  path: string;
}

/** `Cart.total` → container `Cart`, name `total`; Rust and C++ `::` and PHP `\` read the same way. */
export function splitQualified(query: string): { container: string; name: string } {
  const parts = query.trim().split(/\.|::|\\|#/).filter(Boolean);
  const name = parts.pop() ?? '';
  return { container: parts.join('.'), name };
}

export class SymbolIndex {
  private readonly definitionsByName = new Map<string, LocatedDefinition[]>();
  /** name → one path entry per row that references it (a path repeats when several of its chunks do). */
  private readonly referencingPaths = new Map<string, string[]>();
  /**
   * One copy of each kind and container. Every decoded row brings its own copies (64k "method"s
   * in a large workspace), and a name cut from a row's column keeps the whole column alive. The
   * set only grows with the distinct containers the workspace ever had: a few per file.
   */
  private readonly shared = new Map<string, string>();

  count(rows: readonly SymbolRow[], sign: 1 | -1): void {
    let path = '';
    for (const row of rows) {
      // A file's rows arrive together: its path is kept once, not once per chunk.
      if (row.path !== path) path = sign > 0 ? detach(row.path) : row.path;
      for (const { kind, name, container, startLine, endLine } of decodeDefinitions(row.definitions)) {
        if (sign < 0) {
          remove(this.definitionsByName, name, (d) => sameDefinition(d, { kind, container, startLine, endLine, path }));
          continue;
        }
        const list = this.definitionsByName.get(name);
        // A literal, not a spread: spread copies gave every definition its own hidden class (about 500 bytes each).
        const located: LocatedDefinition = { kind: this.one(kind), name: list?.[0]?.name ?? detach(name), container: this.one(container), startLine, endLine, path };
        if (list) list.push(located);
        else this.definitionsByName.set(located.name, [located]);
      }
      for (const name of referencedNames(row.references)) {
        if (sign > 0) push(this.referencingPaths, name, path);
        else remove(this.referencingPaths, name, (referencing) => referencing === path);
      }
    }
  }

  private one<T extends string>(value: T): T {
    let kept = this.shared.get(value);
    if (kept === undefined) this.shared.set((kept = detach(value)), kept);
    return kept as T;
  }

  /** Definitions of `query`'s name (`name` or `Container.name`) in a container ending with the query's, by path and line. */
  definitions(query: string): LocatedDefinition[] {
    const { container, name } = splitQualified(query);
    const matching = (this.definitionsByName.get(name) ?? []).filter(
      (d) => !container || d.container === container || d.container.endsWith(`.${container}`),
    );
    return matching.sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine);
  }

  /** The distinct paths whose rows use `name`, in path order. */
  pathsReferencing(name: string): string[] {
    return [...new Set(this.referencingPaths.get(name) ?? [])].sort();
  }

  get definitionCount(): number {
    let total = 0;
    for (const list of this.definitionsByName.values()) total += list.length;
    return total;
  }
}

function sameDefinition(a: LocatedDefinition, b: Omit<LocatedDefinition, 'name'>): boolean {
  return a.path === b.path && a.startLine === b.startLine && a.endLine === b.endLine && a.kind === b.kind && a.container === b.container;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(detach(key), [value]);
}

/** Removes one entry matching `match`; the order of a list does not matter, so the last entry fills the hole. */
function remove<T>(map: Map<string, T[]>, key: string, match: (value: T) => boolean): void {
  const list = map.get(key);
  if (!list) return;
  const at = list.findIndex(match);
  if (at < 0) return;
  list[at] = list[list.length - 1]!;
  list.pop();
  if (list.length === 0) map.delete(key);
}
