/**
 * Markdown by headings. A section is a heading with everything up to the next heading of the same
 * or a higher level, so it includes its subsections. A section within the caps is one chunk; a
 * bigger one splits into its intro and its subsections, and text without subsections into windows
 * at paragraph starts. Small sibling sections merge up to the target size. Headings inside fenced
 * code and front matter are not headings.
 */
import type { Limits } from './limits';
import { splitWindows, type LineIndex } from './lineIndex';
import { coverExactly, mergeTiny, type Draft, type Piece } from './pieces';

interface Heading {
  row: number;
  level: number;
  title: string;
}

interface Outline {
  headings: Heading[];
  /** Rows where a paragraph, list or code block starts: good places to cut a long section. */
  paragraphs: number[];
}

interface SectionDraft extends Draft {
  /** Heading paths of the sections merged into this draft. */
  names: string[];
  context: readonly string[];
  settled: Piece[] | null;
}

const MAX_NAMES = 4;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

function outline(index: LineIndex): Outline {
  const headings: Heading[] = [];
  const paragraphs: number[] = [];
  let row = 0;
  if (index.count > 0 && index.line(0).trim() === '---') {
    for (row = 1; row < index.count && !/^(---|\.\.\.)\s*$/.test(index.line(row)); row++);
    row++;
  }
  let fence = '';
  for (; row < index.count; row++) {
    const line = index.line(row);
    const startsBlock = !index.isBlank(row) && (row === 0 || index.isBlank(row - 1));
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && line.trim() === fenceMatch[1]) fence = '';
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      if (startsBlock) paragraphs.push(row);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      headings.push({ row, level: atx[1].length, title: (atx[2] ?? '').trim() });
      continue;
    }
    const underline = row + 1 < index.count ? SETEXT.exec(index.line(row + 1)) : null;
    if (underline && startsBlock && !/^\s*([-*+>]|\d+[.)])\s/.test(line)) {
      headings.push({ row, level: underline[1][0] === '=' ? 1 : 2, title: line.trim() });
      row++;
      continue;
    }
    if (startsBlock) paragraphs.push(row);
  }
  return { headings, paragraphs };
}

export function chunkMarkdown(index: LineIndex, limits: Limits): Piece[] {
  const { headings, paragraphs } = outline(index);
  const { maxLines, maxChars, targetLines, targetChars, smallLines, smallChars } = limits;
  const fits = (start: number, end: number, lines: number, chars: number): boolean =>
    end - start + 1 <= lines && index.chars(start, end) <= chars;

  /** One piece, or windows cut at paragraph starts when the range is over the caps. */
  const range = (start: number, end: number, path: readonly string[]): Piece[] => {
    const symbol = path.join(' > ');
    if (fits(start, end, maxLines, maxChars)) return [{ start, end, symbol, kind: 'section', context: path }];
    return splitWindows(index, start, end, paragraphs, maxLines, maxChars).map(([from, to]) => ({
      start: from,
      end: to,
      symbol,
      kind: 'section',
      context: path,
    }));
  };

  /** Pieces for rows start..end holding `children` (indexes into headings), under the heading path `path`. */
  const level = (start: number, end: number, children: number[], path: readonly string[]): Piece[] => {
    const drafts: SectionDraft[] = [];
    // Merged sections are named by their parent heading, or at the top by their own names.
    const joined = (first: SectionDraft, second: SectionDraft): SectionDraft => ({
      start: first.start,
      end: second.end,
      fixed: false,
      names: path.length ? [path.join(' > ')] : [...new Set([...first.names, ...second.names].filter(Boolean))],
      context: path.length ? path : first.context,
      settled: null,
    });
    // Consecutive small sections (a changelog's entries) gather into runs up to the target size.
    let runOpen = false;
    const push = (from: number, to: number, sectionPath: readonly string[], pieces: Piece[]): void => {
      const single = pieces.length === 1 && pieces[0].start === from && pieces[0].end === to;
      const draft: SectionDraft = { start: from, end: to, fixed: !single, names: [sectionPath.join(' > ')], context: sectionPath, settled: single ? null : pieces };
      const small = single && fits(from, to, smallLines, smallChars);
      const last = drafts[drafts.length - 1];
      if (small && runOpen && fits(last.start, to, targetLines, targetChars)) drafts[drafts.length - 1] = joined(last, draft);
      else drafts.push(draft);
      runOpen = small;
    };
    const firstRow = children.length ? headings[children[0]].row : end + 1;
    const introEnd = index.lastNonBlank(start, firstRow - 1);
    if (introEnd >= 0) push(start, introEnd, path, range(start, introEnd, path));
    children.forEach((child, i) => {
      const from = headings[child].row;
      // Blank lines before the next heading do not count towards the caps.
      const to = index.lastNonBlank(from, i + 1 < children.length ? headings[children[i + 1]].row - 1 : end);
      const sectionPath = [...path, headings[child].title];
      push(from, to, sectionPath, section(from, to, child, sectionPath));
    });
    mergeTiny(
      drafts,
      (draft) => fits(draft.start, draft.end, smallLines, smallChars),
      (from, to) => fits(from, to, targetLines + smallLines, targetChars + smallChars),
      joined,
    );
    return drafts.flatMap(
      (draft) =>
        draft.settled ?? [
          { start: draft.start, end: draft.end, symbol: draft.names.slice(0, MAX_NAMES).join(', '), kind: 'section', context: draft.context },
        ],
    );
  };

  /** A heading's section: whole when it fits, else its intro plus its subsections. */
  const section = (start: number, end: number, heading: number, path: readonly string[]): Piece[] => {
    if (fits(start, end, maxLines, maxChars)) return [{ start, end, symbol: path.join(' > '), kind: 'section', context: path }];
    const inside = childrenOf(heading + 1, end);
    if (inside.length === 0) return range(start, end, path);
    return level(start, end, inside, path);
  };

  /** Headings from `first` up to row `end` that no earlier one of them encloses (no shallower heading before them). */
  const childrenOf = (first: number, end: number): number[] => {
    const children: number[] = [];
    let shallowest = Infinity;
    for (let i = first; i < headings.length && headings[i].row <= end; i++) {
      if (headings[i].level <= shallowest) {
        shallowest = headings[i].level;
        children.push(i);
      }
    }
    return children;
  };

  return coverExactly(level(0, index.count - 1, childrenOf(0, index.count - 1), []), index);
}
