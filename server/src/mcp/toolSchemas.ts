/**
 * Input and output schemas of the MCP tools. Descriptions are written for the model that
 * decides whether and how to call a tool; limits match what the daemon accepts.
 */
import * as z from 'zod';

const ONE_OR_MORE = (what: string, description: string) => {
  const error = { error: `${what} must be a non-empty string or a non-empty list of non-empty strings` };
  const item = z.string(error).min(1, error);
  return z.union([item, z.array(item, error).min(1, error)], error).describe(description);
};

/** A required piece of text such as a query; `empty` says what to give instead. */
const TEXT = (name: string, empty: string, description: string) =>
  z
    .string({ error: `${name} must be a string` })
    .trim()
    .min(1, { error: `${name} must not be empty: ${empty}` })
    .max(10_000, { error: `${name} must be under 10,000 characters` })
    .describe(description);

const K_ERROR = { error: 'k must be a whole number from 1 to 50' };
const K = (description: string) => z.number(K_ERROR).int(K_ERROR).min(1, K_ERROR).max(50, K_ERROR).optional().describe(description);

export const searchInput = {
  query: TEXT(
    'query',
    'give the words, identifier or question to search for',
    'What to look for: a natural-language description ("where are expired sessions refreshed?"), an identifier ("parseConfigFile") or words from the code.',
  ),
  k: K('How many ranges to return, best first (1-50, default 10).'),
  path: ONE_OR_MORE('path', 'Only ranges in files matching this glob, or any of these globs, relative to the workspace root, e.g. "src/**" or ["*.py", "lib/**/*.ts"].').optional(),
  language: ONE_OR_MORE('language', 'Only ranges in this language or these languages, by lower-case id: typescript, tsx, javascript, python, go, rust, java, c, cpp, csharp, ruby, php, markdown, json, yaml, shell, sql, html, css, …').optional(),
};

export const askInput = {
  question: TEXT('question', 'ask what you want to know about the code', 'The question about this codebase, e.g. "How are passwords hashed and checked?".'),
  k: K('How many code ranges to retrieve as sources for the answer (1-50, default 8).'),
};

const LIMIT_ERROR = { error: 'limit must be a whole number from 1 to 1000' };

export const symbolInput = {
  name: TEXT(
    'name',
    'give the identifier to look up, such as parseHeader or Router.handle',
    'The identifier, as written in the code: a function, method, class, type or constant name ("parseHeader"), or qualified by its class, impl or module ("Router.handle", "Vec::push").',
  ),
  limit: z.number(LIMIT_ERROR).int(LIMIT_ERROR).min(1, LIMIT_ERROR).max(1000, LIMIT_ERROR).optional().describe('At most this many results (1-1000, default 100).'),
};

export const reindexInput = {
  folder: z
    .string({ error: 'folder must be a string' })
    .min(1, { error: 'folder must not be empty; leave it out to reindex the whole workspace' })
    .optional()
    .describe('The workspace folder to reindex, absolute or relative to the workspace root. Leave out to reindex everything.'),
  full: z.boolean({ error: 'full must be true or false' }).optional().describe('true: drop the index and build it again from nothing (slow). Default false: only what changed.'),
};

const range = {
  path: z.string().describe('Path relative to the workspace root, with / separators.'),
  startLine: z.number().int().describe('First line, 1-based.'),
  endLine: z.number().int().describe('Last line, inclusive.'),
  symbol: z.string().describe('Enclosing symbol such as Router.handle, or empty.'),
  uri: z.string().describe('file:// URI of the file, readable as an MCP resource.'),
};

const indexingNote = z.string().optional().describe('Present when the index was still catching up or reported a problem: results may be incomplete.');

export const searchOutput = {
  query: z.string(),
  mode: z.enum(['hybrid', 'fulltext']).describe('hybrid: vectors and full text; fulltext: words only (see modeReason).'),
  modeReason: z.string().optional(),
  indexing: indexingNote,
  results: z.array(
    z.object({
      ...range,
      kind: z.string().describe('function, method, class, section, lines, …'),
      language: z.string(),
      score: z.number().describe('Relevance; higher is better, comparable within this list (across folders too), not across queries.'),
      signature: z.string().describe('The first line of code of the range (its declaration), past doc comments and decorators.'),
      code: z.string().describe('The text of the range.'),
    }),
  ),
};

export const askOutput = {
  answer: z.string().describe('The answer in Markdown with [n] markers, or the sources-only notice.'),
  citations: z.array(z.object({ n: z.number().int(), ...range })),
  provider: z.string().describe('mlx, ollama, openai, or none for a sources-only result.'),
  model: z.string(),
  sourcesOnly: z.boolean().describe('true when no model answered and the result lists the retrieved ranges instead.'),
  sourcesOnlyReason: z.string().optional(),
  interrupted: z.string().optional().describe('Why the model stopped mid-answer, when it did.'),
  indexing: indexingNote,
};

const SYMBOL_KINDS = ['function', 'method', 'class', 'interface', 'type', 'enum', 'constant', 'module'] as const;

export const definitionsOutput = {
  name: z.string(),
  definitions: z.array(
    z.object({
      path: range.path,
      startLine: range.startLine,
      endLine: range.endLine,
      name: z.string(),
      kind: z.enum(SYMBOL_KINDS).describe('The same kinds in every language: structs are classes, traits interfaces.'),
      container: z.string().describe('The class, impl, trait or module that holds it, or empty at top level.'),
      uri: range.uri,
    }),
  ).describe('Definitions named exactly as asked first, then the same name in other classes or modules.'),
  indexing: indexingNote,
};

export const referencesOutput = {
  name: z.string(),
  references: z.array(
    z.object({ ...range, symbol: z.string().describe('The function, method or class that uses the name (its whole range), or empty for top-level code.') }),
  ),
  truncated: z.boolean().describe('true when more places use the name than limit let through.'),
  indexing: indexingNote,
};

const counts = z.record(z.string(), z.number());

export const statusOutput = {
  health: z.enum(['ok', 'warning', 'error']),
  quiescent: z.boolean().describe('true when no indexing work is queued or running.'),
  message: z.string(),
  folders: z.array(
    z.object({
      folder: z.string(),
      state: z.enum(['starting', 'scanning', 'indexing', 'ready', 'error']),
      files: z.number().int(),
      chunks: z.number().int(),
      pending: z.number().int(),
      progress: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
      indexDir: z.string(),
      error: z.string().optional(),
      skipped: counts,
    }),
  ),
  embedder: z.object({ id: z.string(), dimensions: z.number().int(), reason: z.string(), pendingVectors: z.number().int() }),
  providers: z.array(
    z.object({
      id: z.string(),
      model: z.string(),
      breaker: z.enum(['closed', 'open', 'half-open']).describe('closed: in use; open: paused after failures; half-open: being retried.'),
      consecutiveFailures: z.number().int(),
      lastError: z.string().optional(),
    }),
  ),
  version: z.string(),
};

export const reindexOutput = {
  summaries: z.array(
    z.object({
      folder: z.string(),
      files: z.number().int(),
      chunks: z.number().int(),
      indexedFiles: z.number().int(),
      removedFiles: z.number().int(),
      embeddedChunks: z.number().int(),
      reusedChunks: z.number().int(),
      bytes: z.number().int(),
      skipped: counts,
      parseFallbacks: counts,
      seededFiles: z.number().int(),
      seededChunks: z.number().int(),
      durationMs: z.number(),
    }),
  ),
};

type Shape = Record<string, z.ZodType>;
/** The structured content a tool with output shape `S` returns. */
export type OutputOf<S extends Shape> = z.infer<z.ZodObject<S>>;
