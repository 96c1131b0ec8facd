/**
 * How many stored chunks hold each stemmed term: the document frequencies that weigh a query term by
 * its rarity in this workspace, when a unit inside a chunk is scored on its own. Counts are exact and
 * additive, so adding a file's chunks and later removing them leaves the statistics as they were.
 */
import { bump } from './counter';

export class TermStats {
  private readonly frequencies = new Map<string, number>();
  private documentCount = 0;

  get documents(): number {
    return this.documentCount;
  }

  get terms(): number {
    return this.frequencies.size;
  }

  /** Counts one chunk's distinct terms in (`sign` 1) or out (`sign` -1). */
  count(terms: Iterable<string>, sign: 1 | -1): void {
    this.documentCount += sign;
    for (const term of terms) bump(this.frequencies, term, sign);
  }

  frequency(term: string): number {
    return this.frequencies.get(term) ?? 0;
  }

  /** BM25's inverse document frequency, with the +1 that keeps very common terms from scoring below zero. */
  idf(term: string): number {
    const n = this.frequency(term);
    return Math.log(1 + (this.documentCount - n + 0.5) / (n + 0.5));
  }

  toJSON(): { documents: number; frequencies: Array<[string, number]> } {
    return { documents: this.documentCount, frequencies: [...this.frequencies] };
  }

  static fromJSON(value: unknown): TermStats | undefined {
    const raw = value as { documents?: unknown; frequencies?: unknown } | null;
    if (!raw || typeof raw.documents !== 'number' || !Array.isArray(raw.frequencies)) return undefined;
    const stats = new TermStats();
    stats.documentCount = raw.documents;
    for (const entry of raw.frequencies as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') return undefined;
      stats.frequencies.set(entry[0], entry[1]);
    }
    return stats;
  }
}
