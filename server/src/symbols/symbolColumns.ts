import type { SymbolDefinition, SymbolKind, SymbolReference } from './types';

/**
 * The `definitions` and `references` columns: what a chunk defines and what its units use, one
 * line per definition or unit, tab-separated. Stored on the chunk rows so they are replaced with
 * the file's chunks in the same commit: the symbol graph can never disagree with the chunks.
 * Names never hold tabs or newlines (they are identifiers), so no escaping is needed.
 */

export function encodeDefinitions(definitions: readonly SymbolDefinition[]): string {
  return definitions.map((d) => `${d.kind}\t${d.name}\t${d.container}\t${d.startLine}\t${d.endLine}`).join('\n');
}

export function decodeDefinitions(encoded: string): SymbolDefinition[] {
  if (!encoded) return [];
  return encoded.split('\n').flatMap((line) => {
    const [kind, name, container, start, end] = line.split('\t');
    if (!kind || !name || container === undefined) return [];
    return [{ kind: kind as SymbolKind, name, container, startLine: Number(start), endLine: Number(end) }];
  });
}

/** One line per unit: its symbol, its range, then the names it uses, space-separated. */
export function encodeReferences(references: readonly SymbolReference[]): string {
  const units = new Map<string, string[]>();
  for (const ref of references) {
    const key = `${ref.symbol}\t${ref.startLine}\t${ref.endLine}`;
    const names = units.get(key);
    if (names) names.push(ref.name);
    else units.set(key, [ref.name]);
  }
  return [...units].map(([key, names]) => `${key}\t${names.join(' ')}`).join('\n');
}

export function decodeReferences(encoded: string): SymbolReference[] {
  if (!encoded) return [];
  return encoded.split('\n').flatMap((line) => {
    const [symbol, start, end, names] = line.split('\t');
    if (symbol === undefined || !names) return [];
    return names.split(' ').map((name) => ({ name, startLine: Number(start), endLine: Number(end), symbol }));
  });
}

/** The distinct names a `references` column mentions, without building reference objects. */
export function referencedNames(encoded: string): string[] {
  if (!encoded) return [];
  const names = new Set<string>();
  for (const line of encoded.split('\n')) {
    const tab = line.lastIndexOf('\t');
    for (const name of line.slice(tab + 1).split(' ')) if (name) names.add(name);
  }
  return [...names];
}
