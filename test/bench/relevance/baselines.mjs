// The baselines Ferret is measured against, computed in the same run over the same corpus: Okapi
// BM25 with a plain lower-case word tokenizer (../bm25.mjs) over non-overlapping windows of a fixed
// number of lines, or over whole files. A window is a range like any search result, so baselines
// and Ferret are scored by the same rule.
import { Bm25Index } from '../bm25.mjs';

/** Windows of `lines` lines (the last one of a file may be shorter); `lines` = Infinity: whole files. */
export function windowsOf(path, text, lines) {
  const all = text.split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const size = Number.isFinite(lines) ? lines : Math.max(1, all.length);
  const windows = [];
  for (let start = 0; start < all.length; start += size) {
    const end = Math.min(all.length, start + size);
    windows.push({ path, startLine: start + 1, endLine: end, text: all.slice(start, end).join('\n') });
  }
  return windows;
}

/** A BM25 baseline over `files` (Map path → text) cut into windows of `lines` lines. */
export function windowBaseline(files, lines) {
  const windows = [...files].flatMap(([path, text]) => windowsOf(path, text, lines));
  const index = new Bm25Index(windows.map((window, i) => ({ id: String(i).padStart(8, '0'), text: window.text })));
  return {
    search: (query, k) => index.search(query, k).map((id) => windows[Number(id)]),
  };
}

export const BASELINES = [
  { name: 'bm25-60', lines: 60 },
  { name: 'bm25-20', lines: 20 },
  { name: 'bm25-file', lines: Infinity },
];
