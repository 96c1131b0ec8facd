/**
 * Moves a tracked range through a text edit, the way the editor moves text. Plain data so the
 * rules are unit-tested without VS Code.
 */

export interface Pos {
  line: number;
  character: number;
}

export interface Span {
  start: Pos;
  end: Pos;
}

/** One change as `TextDocumentContentChangeEvent` describes it: `range` (before the edit) replaced by `text`. */
export interface Edit {
  range: Span;
  text: string;
}

/** The span after the edit, or undefined when the edit removed all of the tracked text. */
export function applyEdit(span: Span, edit: Edit): Span | undefined {
  const { start, end } = edit.range;
  if (compare(end, span.start) <= 0) return { start: moveAfter(span.start, edit), end: moveAfter(span.end, edit) };
  if (compare(start, span.end) >= 0) return span;
  if (compare(start, span.start) <= 0 && compare(end, span.end) >= 0) return undefined;
  const newStart = compare(start, span.start) < 0 ? insertedEnd(edit) : span.start;
  const newEnd = compare(end, span.end) >= 0 ? insertedEnd(edit) : moveAfter(span.end, edit);
  return compare(newStart, newEnd) < 0 ? { start: newStart, end: newEnd } : undefined;
}

/** Applies changes in the order the editor reports them. */
export function applyEdits(span: Span, edits: readonly Edit[]): Span | undefined {
  let current: Span | undefined = span;
  for (const edit of edits) {
    if (!current) return undefined;
    current = applyEdit(current, edit);
  }
  return current;
}

/** Where a position at or after the edited range ends up. */
function moveAfter(pos: Pos, edit: Edit): Pos {
  const { end } = edit.range;
  const inserted = insertedEnd(edit);
  if (pos.line === end.line) return { line: inserted.line, character: inserted.character + (pos.character - end.character) };
  return { line: pos.line + (inserted.line - end.line), character: pos.character };
}

/** The position just after the inserted text. */
function insertedEnd(edit: Edit): Pos {
  const lines = edit.text.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1] ?? '';
  if (lines.length === 1) return { line: edit.range.start.line, character: edit.range.start.character + last.length };
  return { line: edit.range.start.line + lines.length - 1, character: last.length };
}

function compare(a: Pos, b: Pos): number {
  return a.line === b.line ? a.character - b.character : a.line - b.line;
}
