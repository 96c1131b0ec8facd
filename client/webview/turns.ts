/**
 * Renders the conversation into the DOM, keyed by turn id: a turn is rebuilt only when its data
 * changed (so focus on a source survives unrelated updates), and streamed text re-renders just that
 * answer, at most once per frame. Only the sanitizer's output and the sources list's HTML reach
 * `innerHTML`; everything else is set as text.
 */
import type { ChatTurn } from '../src/chat/chatMessages';
import { renderAnswer, renderInline } from './markdown';
import { citationLocation, renderSources } from './sources';

interface Item {
  turn: ChatTurn;
  key: string;
  root: HTMLElement;
  answer: HTMLElement;
}

/** Called after every render; `newTurn` when a turn appeared that was not shown before. */
export type Rendered = (newTurn: boolean) => void;

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

  constructor(private readonly container: HTMLElement, private readonly rendered: Rendered) {}

  update(turns: readonly ChatTurn[]): void {
    const keep = new Set(turns.map((t) => t.id));
    for (const [id, item] of this.items) {
      if (!keep.has(id)) {
        item.root.remove();
        this.items.delete(id);
      }
    }
    let newTurn = false;
    for (const turn of turns) {
      const key = JSON.stringify(turn);
      let item = this.items.get(turn.id);
      newTurn ||= !item;
      if (!item || item.key !== key) {
        const built = buildTurn(turn);
        if (item) item.root.replaceWith(built.root);
        item = { turn: { ...turn }, key, ...built };
        this.items.set(turn.id, item);
      }
      // appendChild moves an existing node, so this also puts turns in order.
      this.container.appendChild(item.root);
    }
    this.rendered(newTurn);
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
    for (const id of this.dirtyAnswers) {
      const item = this.items.get(id);
      if (item) fillAnswer(item.answer, item.turn);
    }
    this.dirtyAnswers.clear();
    this.rendered(false);
  }
}

/** The answer's HTML, with Copy and Insert at Cursor on each code block (named by its index, in answer order). */
function fillAnswer(answer: HTMLElement, turn: ChatTurn): void {
  answer.innerHTML = renderAnswer(turn.answer, turn.citations);
  answer.querySelectorAll('pre').forEach((pre, index) => {
    const block = element('div', 'code-block');
    const actions = element('div', 'code-actions');
    for (const [kind, label] of [['copy', 'Copy'], ['insert', 'Insert at Cursor']] as const) {
      const button = element('button', `code-${kind} secondary`, label);
      button.type = 'button';
      button.dataset.block = String(index);
      actions.append(button);
    }
    pre.replaceWith(block);
    block.append(actions, pre);
  });
}

function buildTurn(turn: ChatTurn): { root: HTMLElement; answer: HTMLElement } {
  const root = element('article', `turn turn-${turn.status}`);
  root.dataset.turnId = turn.id;
  root.setAttribute('aria-label', `Question: ${turn.question}`);

  const question = element('div', 'question');
  question.append(element('p', 'question-text', turn.question));
  if (turn.selection) {
    const { path, label, startLine, endLine } = turn.selection;
    question.append(element('p', 'selection', `About the selection ${citationLocation({ path: label ?? path, startLine, endLine })}`));
  }
  root.append(question);

  const sourcesOnly = turn.sourcesOnlyReason !== undefined;
  const answer = element('div', 'answer');
  answer.setAttribute('aria-live', 'polite');
  answer.setAttribute('aria-busy', String(turn.status === 'streaming'));
  if (sourcesOnly) {
    // The daemon's sources-only text is a list of the same ranges; the sources list below says it once.
    const notice = element('p', 'notice notice-sources-only');
    notice.innerHTML = `<strong>Sources only</strong> — ${renderInline(turn.sourcesOnlyReason ?? '')}`;
    root.append(notice);
  } else if (turn.answer === '' && turn.status === 'streaming') answer.append(element('p', 'pending', 'Searching the workspace…'));
  else fillAnswer(answer, turn);
  root.append(answer);

  const notice = endNotice(turn);
  if (notice) root.append(notice);

  const sources = renderSources(turn.citations, turn.answer, sourcesOnly);
  if (sources !== '') root.insertAdjacentHTML('beforeend', sources);
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
