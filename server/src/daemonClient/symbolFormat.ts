import type { DefinitionsResult, ReferencesResult, SymbolKind } from '../shared/protocol';
import type { Style } from './style';

/** The JSON of `ferret symbols --json` (and of the MCP symbol tools): paths stay relative to the workspace. */
export interface SymbolReport {
  name: string;
  definitions: Array<{ path: string; startLine: number; endLine: number; name: string; kind: SymbolKind; container: string }>;
  references: Array<{ path: string; startLine: number; endLine: number; symbol: string }>;
  /** Present when more units use the name than were listed. */
  truncated?: true;
  incompleteReason?: string;
}

export function symbolReport(definitions: DefinitionsResult, references: ReferencesResult): SymbolReport {
  const reason = definitions.incompleteReason ?? references.incompleteReason;
  return {
    name: definitions.name,
    definitions: definitions.definitions.map(({ path, startLine, endLine, name, kind, container }) => ({ path, startLine, endLine, name, kind, container })),
    references: references.references.map(({ path, startLine, endLine, symbol }) => ({ path, startLine, endLine, symbol })),
    ...(references.truncated ? { truncated: true as const } : {}),
    ...(reason ? { incompleteReason: reason } : {}),
  };
}

/** Two aligned tables, definitions then references, each row a location and what is there. */
export function formatSymbols(report: SymbolReport, style: Style): string {
  const lines: string[] = [];
  const location = (path: string, start: number, end: number) => `${path}:${start}-${end}`;
  const rows = (entries: Array<[string, string]>) => {
    const width = Math.max(...entries.map(([where]) => where.length));
    return entries.map(([where, what]) => `  ${style.cyan(where.padEnd(width))}  ${what}`);
  };
  if (report.definitions.length === 0) lines.push(`No definition of ${report.name} found.`);
  else {
    lines.push(style.bold(`Defined (${report.definitions.length}):`));
    lines.push(...rows(report.definitions.map((d) => [location(d.path, d.startLine, d.endLine), `${style.dim(d.kind)} ${d.container ? `${d.container}.${d.name}` : d.name}`])));
  }
  if (report.references.length === 0) lines.push(`No function, method or class uses ${report.name}.`);
  else {
    const more = report.truncated ? ', more not shown' : '';
    lines.push(style.bold(`Used by (${report.references.length}${more}):`));
    lines.push(...rows(report.references.map((r) => [location(r.path, r.startLine, r.endLine), r.symbol || style.dim('(top level)')])));
  }
  if (report.incompleteReason) lines.push(style.yellow(`Incomplete: ${report.incompleteReason}.`));
  return `${lines.join('\n')}\n`;
}
