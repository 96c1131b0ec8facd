/**
 * What the workspace teaches about its own words, kept as a pure function of the stored chunks:
 * how rare each term is (TermStats) and which comment words go with which name parts
 * (Associations). Counting a chunk in and later out restores the exact prior state, so the
 * vocabulary follows edits and deletions and equals a clean build's after any sequence of passes.
 */
import { codeTokens, splitIdentifier } from '../text/codeTokens';
import { PROSE_WORDS } from '../text/stopWords';
import { stem } from '../text/stem';
import { decodeUnits } from '../store/unitColumn';
import type { ChunkRow, Lexicon } from '../store/vectorStore';
import { lastName } from '../chunk/naming';
import { isTestCode } from '../text/testCode';
import { Associations, type Associate } from './associations';
import { commentText } from './commentWords';
import { TermStats } from './termStats';
import { words } from './counter';

/** The columns of a stored chunk the vocabulary reads. */
export type VocabularyRow = Pick<ChunkRow, 'path' | 'startLine' | 'endLine' | 'language' | 'symbol' | 'kind' | 'text' | 'searchText' | 'units' | 'lexicon'>;
export const VOCABULARY_COLUMNS: ReadonlyArray<keyof VocabularyRow> = ['path', 'startLine', 'endLine', 'language', 'symbol', 'kind', 'text', 'searchText', 'units'];

/** The distinct stemmed terms of a chunk's full-text tokens. */
export function stemmedTerms(tokens: Iterable<string>): string[] {
  const terms = new Set<string>();
  // The tokens repeat (the symbol twice, identifiers whole and split): stem each once.
  for (const token of new Set(tokens)) if (token) terms.add(stem(token));
  return [...terms];
}

/**
 * A chunk's lexicon, computed where its row is built (a worker thread, on a cold index) and again
 * from the stored columns when the row is counted out. Tests teach nothing: their names say what
 * they check, not what the code does.
 */
export function lexiconOf(row: Omit<VocabularyRow, 'lexicon'>, terms = stemmedTerms(row.searchText.split(' '))): Lexicon {
  if (isTestCode(row.path, '')) return { terms: terms.join(' '), units: [] };
  const lines = row.text.split('\n');
  const units: Lexicon['units'] = [];
  for (const unit of decodeUnits(row.units, row)) {
    if (isTestCode(row.path, unit.symbol)) continue;
    const body = lines.slice(unit.startLine - row.startLine, unit.endLine - row.startLine + 1).join('\n');
    const words = proseStems(commentText(body, row.language));
    if (words.length) units.push({ words: words.join(' '), names: nameStems(unit.symbol).join(' ') });
  }
  return { terms: terms.join(' '), units };
}

/** Words of comment prose worth learning: not prose glue, not numbers, not single letters. */
function proseStems(text: string): string[] {
  const words = new Set<string>();
  for (const token of codeTokens(text)) {
    if (token.length > 2 && !PROSE_WORDS.has(token) && !/^\d/.test(token)) words.add(stem(token));
  }
  return [...words];
}

/** The parts of a unit's own name, stemmed: `parse_header` → `pars`, `head`. */
function nameStems(symbol: string): string[] {
  return [...new Set(splitIdentifier(lastName(symbol)).filter((part) => part.length > 1).map(stem))];
}

/** How an abbreviation the workspace uses (`pos` for "position") weighs against the word itself. */
const ABBREVIATION_STRENGTH = 0.6;
/** An abbreviation is a term of the workspace at least this common, and of at least three letters. */
const ABBREVIATION_MIN_CHUNKS = 3;
const ABBREVIATION_MIN_LENGTH = 3;

export class Vocabulary {
  constructor(
    readonly terms = new TermStats(),
    readonly associations = new Associations(),
  ) {}

  /** Counts stored chunks in (`sign` 1) or out (-1). */
  count(rows: Iterable<VocabularyRow>, sign: 1 | -1): void {
    for (const row of rows) {
      const lexicon = row.lexicon ?? lexiconOf(row);
      this.terms.count(words(lexicon.terms), sign);
      for (const unit of lexicon.units) this.associations.count(new Set(words(unit.words)), new Set(words(unit.names)), sign);
    }
  }

  /**
   * The shortenings of `word` that this workspace's code uses: `pos` for "position", `init` for
   * "initialize", `len` for "length", `cfg`-less but `config` for "configuration". A prefix counts
   * when it is a term of the workspace and leaves at least two letters out.
   */
  abbreviations(word: string): string[] {
    const found: string[] = [];
    if (!/^[a-z]+$/.test(word)) return found;
    for (let length = ABBREVIATION_MIN_LENGTH; length <= word.length - 2; length++) {
      const prefix = word.slice(0, length);
      if (this.terms.frequency(prefix) >= ABBREVIATION_MIN_CHUNKS) found.push(prefix);
    }
    return found;
  }

  toJSON(): unknown {
    return { terms: this.terms.toJSON(), associations: this.associations.toJSON() };
  }

  /** A vocabulary saved by {@link toJSON}; undefined when `value` is not one. */
  static fromJSON(value: unknown): Vocabulary | undefined {
    const raw = value as { terms?: unknown; associations?: unknown } | null;
    const terms = TermStats.fromJSON(raw?.terms);
    const associations = Associations.fromJSON(raw?.associations);
    return terms && associations ? new Vocabulary(terms, associations) : undefined;
  }

  /**
   * The strongest name parts for each of `stems`, leaving out the stems themselves. A word's
   * associates count by the word's own rarity: "position" says more about `tell` and `seek` than
   * "return" says about anything.
   */
  associates(stems: readonly string[], limit: number, minStrength: number): Associate[] {
    const own = new Set(stems);
    const maxIdf = Math.log(1 + (this.terms.documents + 0.5) / 0.5) || 1;
    const best = new Map<string, number>();
    for (const word of stems) {
      for (const short of this.abbreviations(word)) if (!own.has(short)) best.set(short, Math.max(best.get(short) ?? 0, ABBREVIATION_STRENGTH));
      const specificity = this.terms.idf(word) / maxIdf;
      for (const associate of this.associations.associates(word, limit, minStrength)) {
        const strength = associate.strength * specificity;
        if (!own.has(associate.stem)) best.set(associate.stem, Math.max(best.get(associate.stem) ?? 0, strength));
      }
    }
    return [...best].map(([stem, strength]) => ({ stem, strength }));
  }
}
