/** Text some embedding models expect before a document and before a query; both empty for most. */
export interface TaskPrefixes {
  document: string;
  query: string;
}

const PASSAGES = 'Represent this sentence for searching relevant passages: ';

/**
 * Models trained with task instructions embed poorly without them (nomic's model card: "the
 * prefix is required"). Matched on the model's base name, so `nomic-embed-text:v1.5` and
 * `hf.co/nomic-ai/nomic-embed-text-v1.5-GGUF` both count.
 */
const KNOWN: { pattern: RegExp; prefixes: TaskPrefixes }[] = [
  { pattern: /^nomic-embed-text/, prefixes: { document: 'search_document: ', query: 'search_query: ' } },
  { pattern: /^mxbai-embed-large/, prefixes: { document: '', query: PASSAGES } },
  { pattern: /^snowflake-arctic-embed2/, prefixes: { document: '', query: 'query: ' } },
  { pattern: /^snowflake-arctic-embed/, prefixes: { document: '', query: PASSAGES } },
];

const NONE: TaskPrefixes = { document: '', query: '' };

export function taskPrefixes(model: string): TaskPrefixes {
  const base = model.toLowerCase().split('/').pop()?.split(':')[0] ?? '';
  return KNOWN.find(({ pattern }) => pattern.test(base))?.prefixes ?? NONE;
}
