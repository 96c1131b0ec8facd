/**
 * Chunks one parsed file along its syntax. Only the top-level nodes are read, plus the inside of
 * units that must be split, which keeps the walk cheap.
 *
 * At each level (file, class body, function body) siblings become items: a unit (function, class…)
 * with its leading comments and decorators, or any other statement. Then:
 * - an item over the hard cap is split at its children (recursively); with no usable children it
 *   becomes windows that keep its symbol;
 * - a class-like unit over the target size that holds units (methods, nested classes) is split into
 *   them, its head (doc comment, signature, fields) going with the first members;
 * - any other unit that is not small is one piece;
 * - small units and other statements gather into runs up to the target size;
 * - a piece that is still tiny joins a neighbour when the two fit the target (give or take a tiny
 *   piece, so that greedy runs leave no crumbs); the head of a split unit joins its first member
 *   even past the target.
 * Lines are never cut, so a single line longer than the character cap is a chunk of its own.
 */
import type { Node } from 'web-tree-sitter';
import { lookup, type SyntaxRules } from './languages';
import type { Limits } from './limits';
import { splitWindows, type LineIndex } from './lineIndex';
import { fieldName, signatureOf } from './naming';
import { isComment, rowsOf } from './nodeRows';
import { coverExactly, mergeTiny, type Draft, type Piece, type UnitSpan } from './pieces';
import type { ChunkKind } from './types';

/** Where pieces are made: the enclosing unit, or the file. */
interface Scope {
  symbol: string;
  /** What qualifies the symbols of units inside: the symbol, except for namespaces that the language does not count. */
  prefix: string;
  kind: ChunkKind;
  context: readonly string[];
  /** Functions directly inside are methods. */
  classLike: boolean;
}

interface Unit {
  name: string;
  kind: ChunkKind;
  /** The node that has the unit's body; inside a wrapper such as `export …` or `const f = …`. */
  inner: Node;
}

/** One sibling at a level; `node` is null for the head of a split unit (the lines before its first member). */
interface Item {
  start: number;
  end: number;
  node: Node | null;
  unit: Unit | null;
}

/** A piece in the making: the units it holds, or the pieces a split one level down settled (then `fixed`). */
interface UnitDraft extends Draft {
  units: Scope[];
  /** The ranges inside that answer for themselves: units, their members, the code between them. */
  spans: UnitSpan[];
  settled: Piece[] | null;
}

const FILE_SCOPE: Scope = { symbol: '', prefix: '', kind: 'block', context: [], classLike: false };
const CONTAINER_KINDS: ReadonlySet<ChunkKind> = new Set(['class', 'interface', 'module']);
/** Splits nest at most this deep; deeper ranges become windows. */
const MAX_SPLIT_DEPTH = 24;
const MAX_WRAPPER_DEPTH = 4;
const MAX_DESCENT = 10;
/** A child holding this share of its parent's rows stands for the parent when looking for split points. */
const DOMINANT_SHARE = 0.8;
const SYMBOLS_IN_MERGED = 4;
/** Members of members are spans down to this depth (a method of a class in a module); deeper ones are part of theirs. */
const MAX_SPAN_DEPTH = 3;

export function chunkSyntaxTree(root: Node, source: string, index: LineIndex, rules: SyntaxRules, limits: Limits): Piece[] {
  return coverExactly(new TreeChunker(source, index, rules, limits).sequence(root.namedChildren, FILE_SCOPE, null, 0), index);
}

class TreeChunker {
  constructor(
    private readonly source: string,
    private readonly index: LineIndex,
    private readonly rules: SyntaxRules,
    private readonly limits: Limits,
  ) {}

  /**
   * Pieces for sibling nodes. `region` (the rows of a node being split) also claims the lines
   * before the first sibling (the head: doc comment, signature) and a tail after the last one
   * that is more than a few closing lines (the rest of a node whose main child was split).
   */
  sequence(nodes: readonly Node[], scope: Scope, region: [number, number] | null, depth: number): Piece[] {
    const items = this.items(nodes);
    const { maxLines, maxChars, targetLines, targetChars, smallLines, smallChars } = this.limits;
    let hasHead = false;
    if (region) {
      const first = items.length ? items[0].start : region[1] + 1;
      const last = items.length ? items[items.length - 1].end : region[1];
      if (region[0] < first) items.unshift({ start: region[0], end: first - 1, node: null, unit: null });
      if (last < region[1] && this.index.filledRows(last + 1, region[1]) > smallLines) items.push({ start: last + 1, end: region[1], node: null, unit: null });
      hasHead = region[0] < first;
    }
    const drafts: UnitDraft[] = [];
    const settle = (item: Item, pieces: Piece[]): void => {
      drafts.push({ start: item.start, end: item.end, fixed: true, units: [], spans: [], settled: pieces });
    };
    let run: UnitDraft | null = null;
    for (const item of items) {
      const lines = item.end - item.start + 1;
      const chars = this.index.chars(item.start, item.end);
      const inner = item.unit ? this.unitScope(item, item.unit, scope) : null;
      if (run && (item.end - run.start + 1 > targetLines || this.index.chars(run.start, item.end) > targetChars)) run = null;
      if ((lines > maxLines || chars > maxChars) && lines > 1) {
        run = null;
        settle(item, this.split(item, inner ?? scope, depth + 1));
        continue;
      }
      if (inner && item.unit && CONTAINER_KINDS.has(inner.kind) && (lines > targetLines || chars > targetChars)) {
        const members = this.members(item.unit.inner);
        if (members.some((member) => this.resolve(member) !== null)) {
          run = null;
          settle(item, this.sequence(members, inner, [item.start, item.end], depth + 1));
          continue;
        }
      }
      if (inner && (lines > smallLines || chars > smallChars)) {
        run = null;
        drafts.push({ start: item.start, end: item.end, fixed: false, units: [inner], spans: this.spansOf(item, inner, 0), settled: null });
        continue;
      }
      if (!run) {
        run = { start: item.start, end: item.end, fixed: false, units: [], spans: [], settled: null };
        drafts.push(run);
      }
      run.end = item.end;
      if (inner) run.units.push(inner);
      // The head or tail of a split unit is named after the unit.
      else if (!item.node && scope.symbol) run.units.push(scope);
      run.spans.push(...(inner ? this.spansOf(item, inner, 0) : [span(item, scope)]));
    }
    mergeTiny(
      drafts,
      (draft) => draft.end - draft.start + 1 <= smallLines && this.index.chars(draft.start, draft.end) <= smallChars,
      (start, end) => end - start + 1 <= targetLines + smallLines && this.index.chars(start, end) <= targetChars + smallChars,
      (first, second) => ({ start: first.start, end: second.end, fixed: false, units: [...first.units, ...second.units], spans: [...first.spans, ...second.spans], settled: null }),
    );
    if (hasHead) this.attachHead(drafts, scope);
    return drafts.flatMap((draft) => draft.settled ?? [this.piece(draft, scope)]);
  }

  /**
   * A split unit's head that is still a tiny piece of its own (`namespace App {`, `class Foo {`)
   * goes with the first member even past the target, within the hard cap. The member keeps its name.
   */
  private attachHead(drafts: UnitDraft[], scope: Scope): void {
    const [head, next] = drafts;
    const { maxLines, maxChars, smallLines, smallChars } = this.limits;
    if (!head || !next || head.fixed || head.end - head.start + 1 > smallLines || this.index.chars(head.start, head.end) > smallChars) return;
    const first = next.settled ? next.settled[0] : next;
    if (first.end - head.start + 1 > maxLines || this.index.chars(head.start, first.end) > maxChars) return;
    first.start = head.start;
    if (next.settled) next.settled[0]!.units = [...head.spans, ...(next.settled[0]!.units ?? [])];
    else {
      next.units.unshift(...head.units.filter((unit) => unit !== scope));
      next.spans.unshift(...head.spans);
    }
    next.start = head.start;
    drafts.shift();
  }

  /** Siblings as items: leading comments and decorators join the node after them when no blank line parts them. */
  private items(nodes: readonly Node[]): Item[] {
    const items: Item[] = [];
    let pending: Item | null = null;
    for (const node of this.flatten(nodes)) {
      const [start, end] = rowsOf(node);
      const last = items[items.length - 1];
      if (!pending && last && start <= last.end) {
        last.end = Math.max(last.end, end);
        continue;
      }
      if (pending && start > pending.end + 1) {
        items.push(pending);
        pending = null;
      }
      if (isComment(node) || this.rules.prefixes.has(node.type)) {
        if (pending) pending.end = Math.max(pending.end, end);
        else pending = { start, end, node, unit: null };
        continue;
      }
      items.push({ start: pending ? pending.start : start, end: Math.max(end, pending?.end ?? end), node, unit: this.resolve(node) });
      pending = null;
    }
    if (pending) items.push(pending);
    return items;
  }

  /**
   * The spans of one unit: itself, or for a class-like unit its head, its members (recursively) and
   * the code between them, so that a small class kept whole still answers method by method.
   */
  private spansOf(item: Item, scope: Scope, depth: number): UnitSpan[] {
    const whole = [span(item, scope)];
    if (!item.unit || !CONTAINER_KINDS.has(scope.kind) || depth >= MAX_SPAN_DEPTH) return whole;
    const members = this.items(this.members(item.unit.inner));
    if (!members.some((member) => member.unit)) return whole;
    const spans = members.flatMap((member) => (member.unit ? this.spansOf(member, this.unitScope(member, member.unit, scope), depth + 1) : [span(member, scope)]));
    const head = { start: item.start, end: members[0]!.start - 1 };
    // A short head (`impl From<Vec<T>> for Heap {`, `class Pool(Executor):`) says what its first
    // member is about and goes with it; a long one (fields, a docstring) answers for itself.
    if (head.start > head.end) return spans;
    if (this.isSmall(head.start, head.end)) spans[0]!.start = head.start;
    else spans.unshift({ ...head, symbol: scope.symbol, kind: scope.kind });
    return spans;
  }

  private isSmall(start: number, end: number): boolean {
    return this.index.filledRows(start, end) <= this.limits.smallLines && this.index.chars(start, end) <= this.limits.smallChars;
  }

  private *flatten(nodes: readonly Node[]): Generator<Node> {
    for (const node of nodes) {
      if (this.rules.transparent.has(node.type)) yield* this.flatten(node.namedChildren);
      else yield node;
    }
  }

  /** The unit a node is or wraps, if it has a name; anonymous functions are just code. */
  private resolve(node: Node): Unit | null {
    const found = this.find(node, 0);
    return found?.name ? { name: found.name, kind: found.kind, inner: found.inner } : null;
  }

  private find(node: Node, depth: number): { name: string | null; kind: ChunkKind; inner: Node } | null {
    const kind = lookup(this.rules.units, node.type);
    if (kind) {
      const hook = lookup(this.rules.hooks, node.type);
      const name = hook?.name ? hook.name(node) : fieldName(node);
      return { name, kind: name && hook?.kind ? hook.kind(node, name, kind) : kind, inner: node };
    }
    if (!this.rules.wrappers.has(node.type) || depth >= MAX_WRAPPER_DEPTH) return null;
    const inner = this.wrapped(node);
    const found = inner ? this.find(inner, depth + 1) : null;
    // `const load = async () => …`, `handle = (req) => …`: the wrapper names an anonymous unit.
    if (found && !found.name) found.name = fieldName(node);
    return found;
  }

  /** A wrapper's last named child, unless it holds several of that kind (`const a = …, b = …`). */
  private wrapped(node: Node): Node | null {
    let last: Node | null = null;
    let sameType = 0;
    for (const child of node.namedChildren) {
      if (isComment(child) || this.rules.prefixes.has(child.type)) continue;
      if (last && child.type === last.type) sameType++;
      else sameType = 0;
      last = child;
    }
    return last && sameType === 0 ? last : null;
  }

  private unitScope(item: Item, unit: Unit, scope: Scope): Scope {
    const kind = unit.kind === 'function' && scope.classLike ? 'method' : unit.kind;
    const signature = signatureOf(this.source, item.node ?? unit.inner, unit.inner);
    const symbol = scope.prefix ? `${scope.prefix}.${unit.name}` : unit.name;
    return {
      symbol,
      prefix: this.rules.unqualified.has(unit.inner.type) ? scope.prefix : symbol,
      kind,
      context: [...scope.context, signature],
      classLike: kind === 'class' || kind === 'interface',
    };
  }

  /**
   * The children to split a node at: its body's children, or, for nodes without a body (a call
   * with a callback, an object literal), the children of the descendant that holds nearly all of it.
   */
  private members(node: Node): Node[] {
    const body = node.childForFieldName('body');
    let current = body ?? node;
    for (let step = 0; step < MAX_DESCENT; step++) {
      const children = current.namedChildren;
      const [start, end] = rowsOf(current);
      const dominant = children.find((child) => {
        const [childStart, childEnd] = rowsOf(child);
        return childEnd - childStart + 1 >= DOMINANT_SHARE * (end - start + 1) && childEnd > childStart;
      });
      if (!dominant || isComment(dominant) || this.resolve(dominant)) break;
      current = dominant;
    }
    const members = current.namedChildren;
    if (!body) return members;
    const nodeStart = node.startPosition.row;
    // Some grammars (Ruby) hang the comments before the first member on the unit, not on its body.
    const leading = node.namedChildren.filter(
      (child) => isComment(child) && child.startIndex < body.startIndex && child.startPosition.row > nodeStart,
    );
    return leading.length ? [...leading, ...members] : members;
  }

  private split(item: Item, scope: Scope, depth: number): Piece[] {
    const node = item.unit?.inner ?? item.node;
    if (node && depth <= MAX_SPLIT_DEPTH) {
      const members = this.members(node);
      const [first, last] = members.length ? [rowsOf(members[0])[0], rowsOf(members[members.length - 1])[1]] : [0, -1];
      if (members.length > 1 || (members.length === 1 && last - first < item.end - item.start)) {
        return this.sequence(members, scope, [item.start, item.end], depth);
      }
    }
    const { maxLines, maxChars } = this.limits;
    return splitWindows(this.index, item.start, item.end, [], maxLines, maxChars).map(([start, end]) => ({
      start,
      end,
      symbol: scope.symbol,
      kind: scope.kind,
      context: scope.context,
    }));
  }

  private piece(draft: UnitDraft, scope: Scope): Piece {
    const { start, end, units, spans } = draft;
    if (units.length === 0) return { start, end, symbol: scope.symbol, kind: scope.kind, context: scope.context, units: spans };
    if (units.length === 1) return { start, end, symbol: units[0].symbol, kind: units[0].kind, context: units[0].context, units: spans };
    const symbols = [...new Set(units.map((unit) => unit.symbol))];
    const symbol = symbols.slice(0, SYMBOLS_IN_MERGED).join(', ') + (symbols.length > SYMBOLS_IN_MERGED ? ', …' : '');
    return { start, end, symbol, kind: units[0].kind, context: scope.context, units: spans };
  }
}

/** An item as one span, named after its scope (the enclosing unit, or the file when there is none). */
function span(item: Item, scope: Scope): UnitSpan {
  return { start: item.start, end: item.end, symbol: scope.symbol, kind: scope.kind };
}
