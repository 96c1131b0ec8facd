/**
 * The symbol tools' input and results as text for a language model. Pure, so it is unit-tested
 * without VS Code; locations read as they do in `ferret symbols` and the MCP tools.
 */
import type { DefinitionsResult, ReferencesResult, SymbolParams } from '../../../server/src/shared/protocol';
import { ToolInputError } from './searchToolInput';

export const FIND_SYMBOL_TOOL = 'ferret_find_symbol';
export const FIND_REFERENCES_TOOL = 'ferret_find_references';

/** What a model sends; mirrors both tools' `inputSchema` in package.json. */
export interface SymbolToolInput {
  name: string;
  limit?: number;
}
export const SYMBOL_TOOL_INPUT_KEYS = ['name', 'limit'] as const;
const MAX_LIMIT = 200;
/** Enough places to act on, few enough to read. */
const DEFAULT_LIMIT = 50;

export function symbolParamsFor(input: unknown): Required<SymbolParams> {
  const { name, limit } = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') throw new ToolInputError('"name" must be a non-empty string: an identifier such as "parseHeader" or "Router.handle".');
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)) {
    throw new ToolInputError(`"limit" must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  return { name: name.trim(), limit: limit ?? DEFAULT_LIMIT };
}

const where = (folders: ReadonlySet<string>) => (folders.size === 1 ? ` Paths are relative to the workspace folder ${[...folders][0]}.` : '');
const folderOf = (folders: ReadonlySet<string>, folder: string) => (folders.size > 1 ? ` in ${folder}` : '');

export function definitionsText(result: DefinitionsResult): string {
  if (result.definitions.length === 0) return `No definition of ${result.name} in the index. Check the spelling, or search for what it does with ferret_search_codebase.`;
  const folders = new Set(result.definitions.map((d) => d.folder));
  const lines = result.definitions.map(
    (d) => `- ${d.path}:${d.startLine}-${d.endLine}  ${d.kind} ${d.container ? `${d.container}.${d.name}` : d.name}${folderOf(folders, d.folder)}`,
  );
  const note = result.incompleteReason ? ` Incomplete: ${result.incompleteReason}.` : '';
  return [`${result.name} is defined in ${result.definitions.length} place${result.definitions.length === 1 ? '' : 's'}, exact name first.${where(folders)}${note}`, ...lines].join('\n');
}

export function referencesText(result: ReferencesResult): string {
  if (result.references.length === 0) return `Nothing in the index uses ${result.name}.`;
  const folders = new Set(result.references.map((r) => r.folder));
  const lines = result.references.map((r) => `- ${r.path}:${r.startLine}-${r.endLine}  ${r.symbol || '(top-level code)'}${folderOf(folders, r.folder)}`);
  const more = result.truncated ? ' More places use it than are listed; raise "limit" to see them.' : '';
  const note = result.incompleteReason ? ` Incomplete: ${result.incompleteReason}.` : '';
  return [
    `${result.references.length} unit${result.references.length === 1 ? '' : 's'} (functions, methods, classes) use ${result.name}, matched by name.${where(folders)}${more}${note}`,
    ...lines,
  ].join('\n');
}
