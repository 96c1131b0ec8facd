/**
 * The chat webview's script: wires the static skeleton (from chatHtml.ts) to the extension.
 * Every message received is validated; the webview sends only names and ids, never ranges, code or
 * commands, so a compromised page can ask for nothing the extension would not offer anyway.
 */
import { describeRejected, parseToWebview, type Banner, type BannerCommand, type ChatHeader, type ToExtension, type ViewState } from '../src/chat/chatMessages';
import { FollowState } from './follow';
import { renderInline } from './markdown';
import { TurnList } from './turns';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const post = (message: ToExtension): void => vscode.postMessage(message);

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`chat view skeleton lacks #${id}`);
  return el;
}

const health = byId('health', HTMLElement);
const answeredBy = byId('answered-by', HTMLElement);
const banners = byId('banners', HTMLDivElement);
const scroller = byId('scroller', HTMLElement);
const empty = byId('empty', HTMLElement);
const examples = byId('examples', HTMLUListElement);
const conversation = byId('conversation', HTMLDivElement);
const jump = byId('jump', HTMLButtonElement);
const form = byId('composer', HTMLFormElement);
const question = byId('question', HTMLTextAreaElement);
const send = byId('send', HTMLButtonElement);
const stop = byId('stop', HTMLButtonElement);
const clear = byId('clear', HTMLButtonElement);
const follow = new FollowState();
let busy = false;
let shownExamples = '';

/** Keeps the newest text in view while following; otherwise offers the jump. */
function afterRender(newTurn: boolean): void {
  if (newTurn) follow.resume();
  if (follow.isFollowing) scroller.scrollTop = scroller.scrollHeight;
  jump.hidden = !follow.showJump(scroller);
}
const turns = new TurnList(conversation, afterRender);
// A narrower view re-wraps the text without a scroll event, and the conversation may grow after the
// view settled (the webview resized in steps, code highlighted); keep the newest text in view then too.
const relayout = new ResizeObserver(() => afterRender(false));
relayout.observe(scroller);
relayout.observe(conversation);

const actionLabels: Record<BannerCommand, string> = {
  restartDaemon: 'Restart Daemon',
  openLogs: 'Open Logs',
  showStatus: 'Show Status',
};

function renderBanner(banner: Banner): HTMLElement {
  const box = document.createElement('div');
  box.className = `banner banner-${banner.kind}`;
  box.setAttribute('role', banner.kind === 'daemon-down' ? 'alert' : 'status');
  const text = document.createElement('p');
  text.innerHTML = renderInline(banner.text);
  box.append(text);
  for (const command of banner.actions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'banner-action secondary';
    button.dataset.command = command;
    button.textContent = actionLabels[command];
    box.append(button);
  }
  return box;
}

function renderHeader(header: ChatHeader): void {
  health.textContent = header.health.text;
  health.className = `health health-${header.health.kind}`;
  answeredBy.hidden = header.answeredBy === undefined;
  answeredBy.textContent = header.answeredBy ? `Last answer: ${header.answeredBy}` : '';
}

function renderExamples(list: readonly string[]): void {
  const key = JSON.stringify(list);
  if (key === shownExamples) return;
  shownExamples = key;
  examples.replaceChildren(...list.map((text) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'example';
    button.textContent = text;
    item.append(button);
    return item;
  }));
}

function applyState(state: ViewState): void {
  busy = state.busy;
  renderHeader(state.header);
  banners.replaceChildren(...state.banners.map(renderBanner));
  renderExamples(state.examples);
  empty.hidden = state.turns.length > 0;
  clear.disabled = state.turns.length === 0;
  // A disabled button drops focus to <body>; keep keyboard users in the composer instead.
  if (!busy && document.activeElement === stop) question.focus();
  send.disabled = busy;
  stop.disabled = !busy;
  turns.update(state.turns);
}

function submit(): void {
  const text = question.value.trim();
  if (busy || text === '') return;
  post({ type: 'ask', question: text });
  question.value = '';
  question.focus();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToWebview(event.data);
  if (!message) {
    console.warn(`ferret chat: ${describeRejected(event.data)}`);
    return;
  }
  if (message.type === 'state') applyState(message.state);
  else turns.append(message.turnId, message.text);
});

/** A scroll this soon after the user's own input is theirs; any other comes from layout or focus. */
const userScrollWindowMs = 1000;
let lastUserInput = -Infinity;
const scrollKeys = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);
const markUserInput = () => {
  lastUserInput = performance.now();
};
scroller.addEventListener('wheel', markUserInput, { passive: true });
scroller.addEventListener('touchmove', markUserInput, { passive: true });
// A click on a button inside the conversation (Copy, a source, Jump) is not a scroll; a press on
// the scroller itself is its scrollbar being dragged.
scroller.addEventListener('pointerdown', (event) => {
  if (event.target === scroller) markUserInput();
}, { passive: true });
scroller.addEventListener('keydown', (event) => {
  if (scrollKeys.has(event.key)) markUserInput();
}, { passive: true });
scroller.addEventListener('scroll', () => {
  follow.scrolled(scroller, performance.now() - lastUserInput < userScrollWindowMs);
  jump.hidden = !follow.showJump(scroller);
}, { passive: true });
jump.addEventListener('click', () => {
  follow.resume();
  afterRender(false);
  question.focus();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});
question.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && busy) {
    post({ type: 'stop' });
    question.focus();
  }
});
stop.addEventListener('click', () => post({ type: 'stop' }));
clear.addEventListener('click', () => {
  post({ type: 'clear' });
  question.focus();
});

examples.addEventListener('click', (event) => {
  const example = (event.target as Element).closest('button.example');
  if (!example) return;
  question.value = example.textContent ?? '';
  submit();
});

banners.addEventListener('click', (event) => {
  const command = (event.target as Element).closest<HTMLElement>('button.banner-action')?.dataset.command;
  if (command) post({ type: 'runCommand', command: command as BannerCommand });
});

/** Clicks (and Enter on links) inside answers: sources, code actions, links, retry. */
function activate(target: Element, event: Event): void {
  const turnId = target.closest<HTMLElement>('[data-turn-id]')?.dataset.turnId;
  if (!turnId) return;
  const cite = target.closest<HTMLElement>('button.cite, button.source');
  const code = target.closest<HTMLElement>('button.code-copy, button.code-insert');
  const link = target.closest<HTMLElement>('a');
  if (cite) post({ type: 'revealCitation', turnId, n: Number(cite.dataset.cite) });
  else if (code) post({ type: code.classList.contains('code-copy') ? 'copyCode' : 'insertCode', turnId, block: Number(code.dataset.block) });
  else if (link) {
    event.preventDefault();
    if (link.dataset.href) post({ type: 'openLink', href: link.dataset.href });
  } else if (target.closest('button.retry')) post({ type: 'retry', turnId });
}
conversation.addEventListener('click', (event) => activate(event.target as Element, event));
conversation.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.target as Element).matches('a.link')) activate(event.target as Element, event);
});

post({ type: 'ready' });
question.focus();
