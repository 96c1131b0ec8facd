/**
 * Renders the conversation into the DOM, keyed by turn id: a turn is rebuilt only when its data
 * changed (so focus on a chip survives unrelated updates), and streamed text re-renders just that
 * answer, at most once per frame. Only the sanitizer's output and chip HTML reach `innerHTML`;
 * everything else is set as text.
 */
import type { ChatTurn } from '../src/chat/chatMessages';
import { citationLocation, renderChips } from './chips';
import { renderAnswer } from './markdown';

interface Item {
  turn: ChatTurn;
  key: string;
  root: HTMLElement;
  answer: HTMLElement;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

export class TurnList {
  private readonly items = new Map<string, Item>();
  private readonly dirtyAnswers = new Set<string>();
  private frame: number | undefined;

  constructor(private readonly container: HTMLElement) {}

  update(turns: readonly ChatTurn[]): void {
    const follow = this.atBottom();
    const keep = new Set(turns.map((t) => t.id));
    for (const [id, item] of this.items) {
      if (!keep.has(id)) {
        item.root.remove();
        this.items.delete(id);
      }
    }
    for (const turn of turns) {
      const key = JSON.stringify(turn);
      let item = this.items.get(turn.id);
      if (!item || item.key !== key) {
        const built = buildTurn(turn);
        if (item) item.root.replaceWith(built.root);
        item = { turn: { ...turn }, key, ...built };
        this.items.set(turn.id, item);
      }
      // appendChild moves an existing node, so this also puts turns in order.
      this.container.appendChild(item.root);
    }
    if (follow) this.scrollToEnd();
  }

  /** Appends streamed text to a turn's answer; the Markdown is re-rendered on the next frame. */
  append(turnId: string, text: string): void {
    const item = this.items.get(turnId);
    if (!item) return;
    item.turn.answer += text;
    // The snapshot key no longer matches, so the final state rebuilds this turn with its citations.
    item.key = '';
    this.dirtyAnswers.add(turnId);
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = undefined;
    const follow = this.atBottom();
    for (const id of this.dirtyAnswers) {
      const item = this.items.get(id);
      if (item) item.answer.innerHTML = renderAnswer(item.turn.answer, item.turn.citations);
    }
    this.dirtyAnswers.clear();
    if (follow) this.scrollToEnd();
  }

  private atBottom(): boolean {
    const el = document.scrollingElement ?? document.documentElement;
    return el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  }

  private scrollToEnd(): void {
    const el = document.scrollingElement ?? document.documentElement;
    el.scrollTop = el.scrollHeight;
  }
}

function buildTurn(turn: ChatTurn): { root: HTMLElement; answer: HTMLElement } {
  const root = element('article', `turn turn-${turn.status}`);
  root.dataset.turnId = turn.id;
  root.setAttribute('aria-label', `Question: ${turn.question}`);

  const question = element('div', 'question');
  question.append(element('p', 'question-text', turn.question));
  if (turn.selection) {
    const { path, startLine, endLine } = turn.selection;
    question.append(element('p', 'selection', `About the selection ${citationLocation({ n: 0, folder: '', path, startLine, endLine, symbol: '' })}`));
  }
  root.append(question);

  if (turn.sourcesOnlyReason !== undefined) {
    const notice = element('p', 'notice notice-sources-only');
    notice.append(element('strong', '', 'Sources only'), ` — ${turn.sourcesOnlyReason}`);
    root.append(notice);
  }

  const answer = element('div', 'answer');
  answer.setAttribute('aria-live', 'polite');
  answer.setAttribute('aria-busy', String(turn.status === 'streaming'));
  if (turn.answer === '' && turn.status === 'streaming') answer.append(element('p', 'pending', 'Searching the workspace…'));
  else answer.innerHTML = renderAnswer(turn.answer, turn.citations);
  root.append(answer);

  const notice = endNotice(turn);
  if (notice) root.append(notice);

  if (turn.citations.length > 0) {
    const chips = element('div', 'chips');
    chips.setAttribute('role', 'group');
    chips.setAttribute('aria-label', 'Sources');
    chips.innerHTML = renderChips(turn.citations);
    root.append(chips);
  }
  return { root, answer };
}

/** How the turn ended, when that needs saying, with a way to ask again. */
function endNotice(turn: ChatTurn): HTMLElement | undefined {
  let text: string;
  let kind: string;
  if (turn.status === 'error') [kind, text] = ['error', turn.error ?? 'The question could not be answered.'];
  else if (turn.status === 'stopped') [kind, text] = ['stopped', turn.interrupted ?? 'Stopped before the answer finished.'];
  else if (turn.interrupted !== undefined) [kind, text] = ['interrupted', `The answer ended early: ${turn.interrupted}`];
  else return undefined;
  const notice = element('div', `notice notice-${kind}`);
  if (kind === 'error') notice.setAttribute('role', 'alert');
  notice.append(element('p', '', text));
  const retry = element('button', 'retry secondary', kind === 'error' ? 'Retry' : 'Ask again');
  retry.type = 'button';
  notice.append(retry);
  return notice;
}
