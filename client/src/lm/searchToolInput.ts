/**
 * The input of the `ferret_search_codebase` language-model tool, as declared by its `inputSchema`
 * in package.json, and its translation to `ferret/search`. Pure, so it is unit-tested without VS Code.
 */
import type { SearchParams } from '../../../server/src/shared/protocol';

/** Name of the tool in `lm.tools`; package.json's `languageModelTools` entry carries the same name. */
export const SEARCH_TOOL_NAME = 'ferret_search_codebase';

/** What a model sends; mirrors the tool's `inputSchema`. */
export interface SearchToolInput {
  query: string;
  k?: number;
  path?: string;
  language?: string;
}

/** Every property the schema declares, so a test can hold package.json to it. */
export const SEARCH_TOOL_INPUT_KEYS = ['query', 'k', 'path', 'language'] as const;

/** Ranges returned when the model does not say; enough to choose from, few enough to read. */
export const DEFAULT_TOOL_RESULTS = 8;
export const MAX_TOOL_RESULTS = 30;

/** A tool input the tool cannot use; its message is one sentence the model can act on. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

/**
 * The `ferret/search` params for a tool input. Checked here even though VS Code validates inputs
 * against the schema for models, because any extension can call `lm.invokeTool` with anything.
 */
export function searchParamsFor(input: unknown): SearchParams {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ToolInputError('The input must be an object such as {"query": "where are passwords checked"}.');
  }
  const { query, k, path, language } = input as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') {
    throw new ToolInputError('"query" must be a non-empty string: words from the code, a symbol name, or a question about it.');
  }
  const params: SearchParams = { query: query.trim(), k: DEFAULT_TOOL_RESULTS };
  if (k !== undefined) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_TOOL_RESULTS) throw new ToolInputError(`"k" must be a whole number from 1 to ${MAX_TOOL_RESULTS}.`);
    params.k = k;
  }
  if (path !== undefined) {
    if (typeof path !== 'string' || path.trim() === '') throw new ToolInputError('"path" must be a glob relative to a workspace folder, such as "src/**" or "**/*.py".');
    params.paths = [path.trim()];
  }
  if (language !== undefined) {
    if (typeof language !== 'string' || language.trim() === '') throw new ToolInputError('"language" must be a language id such as "typescript" or "python".');
    params.languages = [language.trim()];
  }
  return params;
}

/** The progress line VS Code shows while the tool runs; never throws, whatever the input. */
export function invocationMessage(input: unknown): string {
  const { query, path, language } = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const what = typeof query === 'string' && query.trim() ? `"${query.trim()}"` : 'code';
  const where = [typeof path === 'string' && path ? `in ${path}` : '', typeof language === 'string' && language ? `(${language})` : ''].filter(Boolean).join(' ');
  return `Searching the codebase with Ferret for ${what}${where ? ` ${where}` : ''}`;
}
