import { askRequest, chatRequest, definitionsRequest, publishRequest, reindexRequest, searchRequest, type AskParams, type AskSelection, type ChatParams, type ConversationTurn, type PublishParams, type ReindexParams, type SearchParams, type SymbolParams } from './shared/protocol';

/** A request whose params are wrong; the message says what to send instead. */
export class InvalidParamsError extends Error {}

const MAX_QUERY_CHARS = 10_000;
const MAX_K = 100;

function record(params: unknown, method: string): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw new InvalidParamsError(`${method} takes an object of named params.`);
  return params as Record<string, unknown>;
}

/** Beyond these a request is not a search but a load: Lance's SQL parser overflows its stack near 1,000 ORed filters. */
const MAX_FILTERS = 50;
const MAX_FILTER_CHARS = 500;
/**
 * Globs become backtracking regular expressions: each `*` or `**` multiplies the work on a path
 * that almost matches (five took 10 s on one 240-character path, four 24 ms), so a filter holds at most four.
 */
const MAX_GLOB_WILDCARDS = 4;

function stringList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.length > 0)) {
    throw new InvalidParamsError(`"${name}" must be a list of non-empty strings.`);
  }
  if (value.length > MAX_FILTERS) throw new InvalidParamsError(`"${name}" has ${value.length} entries; give at most ${MAX_FILTERS}.`);
  const long = value.find((v: string) => v.length > MAX_FILTER_CHARS);
  if (long !== undefined) throw new InvalidParamsError(`An entry of "${name}" is ${long.length} characters long; keep each under ${MAX_FILTER_CHARS}.`);
  return value as string[];
}

/** A glob a person would type into a search box, relative to a workspace folder. */
function checkPathGlob(glob: string): void {
  if (glob.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(glob) || glob.split(/[\\/]/).includes('..')) {
    throw new InvalidParamsError(`Path filter "${glob}" leaves the workspace; use a glob relative to a workspace folder, such as "src/**".`);
  }
  if ((glob.match(/\*+/g) ?? []).length > MAX_GLOB_WILDCARDS) {
    throw new InvalidParamsError(`Path filter "${glob}" has more than ${MAX_GLOB_WILDCARDS} wildcards; use fewer, such as "src/**/*.ts".`);
  }
  // The glob library passes groups and a `+` after them into its regular expression, where `(a|aa)+` backtracks without end.
  if (/[()]|[\]}]\+/.test(glob)) {
    throw new InvalidParamsError(`Path filter "${glob}" uses regular-expression syntax; use *, **, ?, [abc] and {a,b}.`);
  }
}

export function validateSearchParams(params: unknown): Required<SearchParams> {
  const p = record(params, searchRequest.method);
  if (typeof p.query !== 'string' || !p.query.trim()) throw new InvalidParamsError('"query" must be a non-empty string: the words or question to search for.');
  if (p.query.length > MAX_QUERY_CHARS) throw new InvalidParamsError(`"query" is ${p.query.length} characters long; keep it under ${MAX_QUERY_CHARS}.`);
  let k = 10;
  if (p.k !== undefined && p.k !== null) {
    if (typeof p.k !== 'number' || !Number.isInteger(p.k) || p.k < 1 || p.k > MAX_K) throw new InvalidParamsError(`"k" must be a whole number from 1 to ${MAX_K}.`);
    k = p.k;
  }
  const paths = stringList(p.paths, 'paths');
  paths.forEach(checkPathGlob);
  return { query: p.query, k, paths, languages: stringList(p.languages, 'languages').map((l) => l.toLowerCase()) };
}

const MAX_SYMBOL_CHARS = 500;
const MAX_SYMBOL_RESULTS = 1000;

/** The same params serve both symbol requests; their method names only differ in the message. */
export function validateSymbolParams(params: unknown): Required<SymbolParams> {
  const p = record(params, definitionsRequest.method);
  if (typeof p.name !== 'string' || !p.name.trim()) throw new InvalidParamsError('"name" must be a non-empty string: the name to look up, such as "parseHeader" or "Router.handle".');
  if (p.name.length > MAX_SYMBOL_CHARS) throw new InvalidParamsError(`"name" is ${p.name.length} characters long; a name is under ${MAX_SYMBOL_CHARS}.`);
  let limit = 100;
  if (p.limit !== undefined && p.limit !== null) {
    if (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 1 || p.limit > MAX_SYMBOL_RESULTS) {
      throw new InvalidParamsError(`"limit" must be a whole number from 1 to ${MAX_SYMBOL_RESULTS}.`);
    }
    limit = p.limit;
  }
  return { name: p.name.trim(), limit };
}

export function validateReindexParams(params: unknown, folders: readonly string[]): ReindexParams {
  const p = record(params, reindexRequest.method);
  if (p.full !== undefined && typeof p.full !== 'boolean') throw new InvalidParamsError('"full" must be true or false.');
  if (p.folder === undefined || p.folder === null) return { full: p.full === true };
  if (typeof p.folder !== 'string' || !folders.includes(p.folder)) {
    throw new InvalidParamsError(`"folder" must be one of the workspace folders: ${folders.map((f) => JSON.stringify(f)).join(', ')}.`);
  }
  return { folder: p.folder, full: p.full === true };
}

export function validatePublishParams(params: unknown): PublishParams {
  const p = record(params, publishRequest.method);
  if (typeof p.location !== 'string' || !p.location.trim()) throw new InvalidParamsError('"location" must be a URI (s3://, gs://, az://) or a folder.');
  return { location: p.location };
}

const MAX_HISTORY_TURNS = 50;
/** An earlier answer, even a sources-only one, is far shorter; a turn this long is not a conversation. */
const MAX_TURN_CHARS = 100_000;
/** A whole file at the default size cap; the prompt keeps only what fits the model's window anyway. */
const MAX_SELECTION_CHARS = 1_048_576;
const MAX_PATH_CHARS = 4096;

function positiveLine(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidParamsError(`"selection.${name}" must be a line number (1 or more).`);
  return value;
}

export function validateAskParams(params: unknown): AskParams {
  const p = record(params, askRequest.method);
  if (typeof p.question !== 'string' || !p.question.trim()) throw new InvalidParamsError('"question" must be a non-empty string: what you want to know about the code.');
  if (p.question.length > MAX_QUERY_CHARS) throw new InvalidParamsError(`"question" is ${p.question.length} characters long; keep it under ${MAX_QUERY_CHARS}.`);
  const ask: AskParams = { question: p.question };
  if (p.k !== undefined && p.k !== null) {
    if (typeof p.k !== 'number' || !Number.isInteger(p.k) || p.k < 1 || p.k > 50) throw new InvalidParamsError('"k" must be a whole number from 1 to 50.');
    ask.k = p.k;
  }
  if (p.history !== undefined && p.history !== null) {
    if (!Array.isArray(p.history) || p.history.length > MAX_HISTORY_TURNS) throw new InvalidParamsError(`"history" must be a list of at most ${MAX_HISTORY_TURNS} turns.`);
    ask.history = p.history.map((turn: unknown): ConversationTurn => {
      const t = turn as Partial<ConversationTurn> | null;
      if (!t || (t.role !== 'user' && t.role !== 'assistant') || typeof t.content !== 'string') {
        throw new InvalidParamsError('Each "history" turn must be {"role": "user" | "assistant", "content": string}.');
      }
      if (t.content.length > MAX_TURN_CHARS) throw new InvalidParamsError(`A "history" turn is ${t.content.length} characters long; keep each under ${MAX_TURN_CHARS}.`);
      return { role: t.role, content: t.content };
    });
  }
  if (p.selection !== undefined && p.selection !== null) {
    const sel = record(p.selection, '"selection"');
    if (typeof sel.path !== 'string' || !sel.path || sel.path.length > MAX_PATH_CHARS) throw new InvalidParamsError('"selection.path" must name the file the selection is in.');
    const selection: AskSelection = { path: sel.path, startLine: positiveLine(sel.startLine, 'startLine'), endLine: positiveLine(sel.endLine, 'endLine') };
    if (selection.endLine < selection.startLine) throw new InvalidParamsError('"selection.endLine" must not be before "selection.startLine".');
    if (sel.text !== undefined) {
      if (typeof sel.text !== 'string') throw new InvalidParamsError('"selection.text" must be a string.');
      if (sel.text.length > MAX_SELECTION_CHARS) throw new InvalidParamsError(`"selection.text" is ${sel.text.length} characters long; select less than ${MAX_SELECTION_CHARS}.`);
      selection.text = sel.text;
    }
    ask.selection = selection;
  }
  return ask;
}

/** Most messages a `ferret/chat` conversation may hold. */
const MAX_CHAT_MESSAGES = 200;
const CHAT_ROLES: readonly string[] = ['system', 'user', 'assistant'];

export function validateChatParams(params: unknown, providers: readonly string[]): ChatParams {
  const p = record(params, chatRequest.method);
  if (typeof p.provider !== 'string' || !providers.includes(p.provider)) {
    throw new InvalidParamsError(`"provider" must be one of the configured chat providers (${providers.join(', ') || 'none is configured'}).`);
  }
  if (!Array.isArray(p.messages) || p.messages.length === 0 || p.messages.length > MAX_CHAT_MESSAGES) {
    throw new InvalidParamsError(`"messages" must be a list of 1 to ${MAX_CHAT_MESSAGES} messages.`);
  }
  const messages = p.messages.map((message: unknown): ChatParams['messages'][number] => {
    const m = message as { role?: unknown; content?: unknown } | null;
    if (!m || typeof m.role !== 'string' || !CHAT_ROLES.includes(m.role) || typeof m.content !== 'string') {
      throw new InvalidParamsError('Each message must be {"role": "system" | "user" | "assistant", "content": string}.');
    }
    if (m.content.length > MAX_TURN_CHARS) throw new InvalidParamsError(`A message is ${m.content.length} characters long; keep each under ${MAX_TURN_CHARS}.`);
    return { role: m.role as ChatParams['messages'][number]['role'], content: m.content };
  });
  const chat: ChatParams = { provider: p.provider, messages };
  if (p.maxTokens !== undefined && p.maxTokens !== null) {
    if (typeof p.maxTokens !== 'number' || !Number.isInteger(p.maxTokens) || p.maxTokens < 1) throw new InvalidParamsError('"maxTokens" must be a whole number of at least 1.');
    chat.maxTokens = p.maxTokens;
  }
  return chat;
}
