/**
 * "Where is parseHeader defined", "what does `Router.handle` do": when a question names an
 * identifier, the chunk that defines it is a candidate whether or not full-text or vector search
 * found it, and it is marked so ranking puts the definition above the places that mention it.
 */
import type { StoredChunk, VectorStore } from '../store/vectorStore';
import { decodeUnits } from '../store/unitColumn';
import type { SymbolIndex } from '../symbols/symbolIndex';
import { codeTokens } from '../text/codeTokens';
import { PROSE_WORDS } from '../text/stopWords';
import { asksAboutTests } from '../text/testCode';

/** More definitions than this for one name is a common name (`get`, `run`), not the one thing asked about. */
const MAX_DEFINITIONS_PER_NAME = 3;
/**
 * A question is about the names it uses when, besides them and prose words, it has at most this
 * many words ("where is parseHeader defined", "what does `Router.handle` do"). In a longer one a
 * name is context ("the inverse of `from_utf8`"): offering its definition there cost the bench's
 * doc-comment questions 0.02-0.03 MRR in Rust and Python; with this rule, at most 0.001.
 */
const MAX_OTHER_WORDS = 2;
const CHUNK_COLUMNS = ['id', 'path', 'startLine', 'endLine', 'language', 'symbol', 'kind', 'text', 'units'] as const;

/**
 * The words of a question that may name a definition: qualified (`Cart.total`, `Vec::push`), in
 * backticks, called (`parse()`), or shaped like code (`parseHeader`, `parse_header`, `HTTPServer`,
 * `sha256`), and any other word that is not prose and does not start the sentence (`urlparse`);
 * names defined in more than a few places are dropped by the caller, so common words cost little.
 */
export function identifiersIn(query: string): string[] {
  const found = new Set<string>();
  const pattern = /(`?)([A-Za-z_$][\w$]*(?:(?:\.|::|#)[A-Za-z_$][\w$]*)*)(`?)(\()?/g;
  for (const match of query.matchAll(pattern)) {
    const [, open, word, close, call] = match as unknown as [string, string, string, string, string | undefined];
    const first = match.index === 0 || /^[\s"'(]*$/.test(query.slice(0, match.index));
    const shaped =
      /[.:#]/.test(word) ||
      /_/.test(word.slice(1)) ||
      /[a-z][A-Z]|[A-Z]{2}[a-z]/.test(word) ||
      (/\d/.test(word) && /[a-z]/i.test(word)) ||
      (!first && /^[A-Z][a-z0-9]+[A-Z]?\w*$/.test(word));
    if ((open && close) || call || shaped) found.add(word);
    else if (!PROSE_WORDS.has(word.toLowerCase()) && word.length > 2 && !first) found.add(word);
  }
  return [...found];
}

/**
 * The stored chunks holding the definitions the query names, rare names only. A question about
 * tests names what is tested: its definition is the subject, not the answer, so none is offered.
 */
export async function namedDefinitions(store: Pick<VectorStore, 'scanRows'>, symbols: SymbolIndex, query: string): Promise<StoredChunk[]> {
  const tokens = codeTokens(query);
  if (asksAboutTests(tokens)) return [];
  const named = identifiersIn(query).flatMap((word) => {
    const found = symbols.definitions(word);
    return found.length > 0 && found.length <= MAX_DEFINITIONS_PER_NAME ? [{ word, found }] : [];
  });
  const nameParts = new Set(named.flatMap(({ word }) => codeTokens(word)));
  if (named.length === 0 || tokens.filter((token) => !PROSE_WORDS.has(token) && !nameParts.has(token)).length > MAX_OTHER_WORDS) return [];
  const wanted = named.flatMap(({ found }) => found);
  const chunks = new Map<string, StoredChunk>();
  for await (const rows of store.scanRows(CHUNK_COLUMNS, [...new Set(wanted.map((d) => d.path))])) {
    for (const row of rows) {
      if (!wanted.some((d) => d.path === row.path && d.startLine >= row.startLine && d.startLine <= row.endLine)) continue;
      const { units, ...chunk } = row;
      chunks.set(row.id, { ...chunk, units: decodeUnits(units, chunk) });
    }
  }
  return [...chunks.values()];
}
