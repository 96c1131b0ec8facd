/**
 * What the code an answer cites calls: for the retrieved ranges, the definitions of the names they
 * use, each as its signature line, so the model sees `applyDiscount(order, rate)` even when its
 * body was not retrieved. Common names (defined in many places) are left out: which of them is
 * meant cannot be told by name.
 */
import type { Hit, SymbolKind } from '../shared/protocol';
import { signatureLine } from '../shared/rangeText';
import { decodeReferences } from './symbolColumns';
import type { SymbolSource } from './symbolLookup';

const MAX_DEFINITIONS_PER_NAME = 2;
const MAX_RELATED = 40;

/** A definition the retrieved code uses, as the prompt shows it. */
export interface RelatedDefinition {
  folder: string;
  path: string;
  startLine: number;
  kind: SymbolKind;
  /** Qualified: `Cart.total`. */
  name: string;
  /** The definition's first line of code. */
  signature: string;
}

export async function relatedDefinitions(sources: readonly SymbolSource[], hits: readonly Hit[]): Promise<RelatedDefinition[]> {
  const related = new Map<string, RelatedDefinition & { uses: number }>();
  for (const { folder, store } of sources) {
    const mine = hits.filter((hit) => hit.folder === folder);
    if (!store || mine.length === 0) continue;
    const used = new Map<string, number>();
    for await (const rows of store.scanRows(['path', 'references'], [...new Set(mine.map((hit) => hit.path))])) {
      for (const row of rows) {
        for (const reference of decodeReferences(row.references)) {
          const inHit = mine.some((hit) => hit.path === row.path && reference.startLine <= hit.endLine && reference.endLine >= hit.startLine);
          if (inHit) used.set(reference.name, (used.get(reference.name) ?? 0) + 1);
        }
      }
    }
    const wanted = [...used].flatMap(([name, uses]) => {
      const found = store.symbols.definitions(name).filter((d) => d.name === name);
      const shown = found.filter((d) => !mine.some((hit) => hit.path === d.path && d.startLine >= hit.startLine && d.startLine <= hit.endLine));
      return found.length <= MAX_DEFINITIONS_PER_NAME ? shown.map((definition) => ({ definition, uses })) : [];
    });
    for await (const rows of store.scanRows(['path', 'startLine', 'endLine', 'text'], [...new Set(wanted.map((w) => w.definition.path))])) {
      for (const row of rows) {
        for (const { definition, uses } of wanted) {
          if (definition.path !== row.path || definition.startLine < row.startLine || definition.startLine > row.endLine) continue;
          const signature = signatureLine(row.text.split('\n').slice(definition.startLine - row.startLine, definition.startLine - row.startLine + 3).join('\n'));
          const name = definition.container ? `${definition.container}.${definition.name}` : definition.name;
          related.set(`${folder}\0${definition.path}\0${definition.startLine}`, { folder, path: definition.path, startLine: definition.startLine, kind: definition.kind, name, signature, uses });
        }
      }
    }
  }
  return [...related.values()]
    .sort((a, b) => b.uses - a.uses || a.path.localeCompare(b.path) || a.startLine - b.startLine)
    .slice(0, MAX_RELATED)
    .map(({ uses: _uses, ...definition }) => definition);
}
