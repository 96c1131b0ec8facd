/**
 * Rows of tree-sitter nodes as chunkers see them, and how much of a tree is syntax errors.
 */
import type { Node } from 'web-tree-sitter';
import type { LineIndex } from './lineIndex';

/** Rows of a node, 0-based inclusive; a node ending at column 0 ends on the row before. */
export function rowsOf(node: Node): [number, number] {
  const start = node.startPosition.row;
  const end = node.endPosition;
  return [start, end.column === 0 && end.row > start ? end.row - 1 : end.row];
}

/** Grammars call them comment, line_comment, block_comment, doc_comment… */
export function isComment(node: Node): boolean {
  return node.type.includes('comment');
}

/**
 * Share of the file's text lines touched by top-level ERROR nodes. A root that is itself an ERROR
 * often still holds well-formed statements, so only its ERROR children count; errors nested inside
 * a unit (an unfinished edit) do not count at all.
 */
export function errorShare(root: Node, index: LineIndex): number {
  if (!root.hasError) return 0;
  const total = index.filledRows(0, index.count - 1);
  if (total === 0) return 0;
  if (root.isError && root.namedChildCount === 0) return 1;
  let inErrors = 0;
  let counted = -1;
  for (const child of root.namedChildren) {
    if (!child.isError) continue;
    const [start, end] = rowsOf(child);
    if (end <= counted) continue;
    inErrors += index.filledRows(Math.max(start, counted + 1), end);
    counted = end;
  }
  return inErrors / total;
}
