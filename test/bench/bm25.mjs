// The baseline the relevance benchmark must beat: Okapi BM25 (k1 1.2, b 0.75, Lucene's idf) with a
// plain lower-case word tokenizer, over any documents (whole files, line windows) — what a search
// box with no knowledge of code would do.
const K1 = 1.2;
const B = 0.75;

export const words = (text) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

export class Bm25Index {
  /** @param {{ id: string, text: string }[]} documents */
  constructor(documents) {
    this.ids = documents.map((doc) => doc.id);
    this.lengths = [];
    this.postings = new Map();
    documents.forEach((doc, docIndex) => {
      const counts = new Map();
      const tokens = words(doc.text);
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push([docIndex, tf]);
      }
      this.lengths.push(tokens.length);
    });
    this.averageLength = this.lengths.reduce((sum, n) => sum + n, 0) / Math.max(1, this.lengths.length);
  }

  /** The ids of the best `k` documents, best first; ties broken by id for determinism. */
  search(query, k) {
    return this.scored(query, k).map(({ id }) => id);
  }

  /** The best `k` documents with their scores, best first. */
  scored(query, k) {
    const n = this.ids.length;
    const scores = new Map();
    for (const term of new Set(words(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      // The +1 inside the log (as in Lucene) keeps very common terms from scoring negative.
      const idf = Math.log((n - list.length + 0.5) / (list.length + 0.5) + 1);
      for (const [doc, tf] of list) {
        const norm = tf + K1 * (1 - B + (B * this.lengths[doc]) / this.averageLength);
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || this.ids[a[0]].localeCompare(this.ids[b[0]]))
      .slice(0, k)
      .map(([doc, score]) => ({ id: this.ids[doc], score }));
  }
}
