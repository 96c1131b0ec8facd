/**
 * The chat webview's script: wires the static skeleton (from chatHtml.ts) to the extension.
 * Every message received is validated; the webview sends only names and ids, never ranges or
 * commands, so a compromised page can ask for nothing the extension would not offer anyway.
 */
import { describeRejected, parseToWebview, type Banner, type BannerCommand, type ToExtension, type ViewState } from '../src/chat/chatMessages';
import { TurnList } from './turns';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscode = acquireVsCodeApi();
const post = (message: ToExtension): void => vscode.postMessage(message);

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`chat view skeleton lacks #${id}`);
  return el;
}

const banners = byId('banners', HTMLDivElement);
const empty = byId('empty', HTMLElement);
const conversation = byId('conversation', HTMLDivElement);
const form = byId('composer', HTMLFormElement);
const question = byId('question', HTMLTextAreaElement);
const send = byId('send', HTMLButtonElement);
const stop = byId('stop', HTMLButtonElement);
const clear = byId('clear', HTMLButtonElement);
const turns = new TurnList(conversation);
let busy = false;

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
  text.textContent = banner.text;
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

function applyState(state: ViewState): void {
  busy = state.busy;
  banners.replaceChildren(...state.banners.map(renderBanner));
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
  if (event.key === 'Escape' && busy) post({ type: 'stop' });
});
stop.addEventListener('click', () => post({ type: 'stop' }));
clear.addEventListener('click', () => post({ type: 'clear' }));

empty.addEventListener('click', (event) => {
  const example = (event.target as Element).closest('button.example');
  if (!example) return;
  question.value = example.textContent ?? '';
  submit();
});

banners.addEventListener('click', (event) => {
  const command = (event.target as Element).closest<HTMLElement>('button.banner-action')?.dataset.command;
  if (command) post({ type: 'runCommand', command: command as BannerCommand });
});

/** Clicks (and Enter on links) inside answers: citations, links, retry. */
function activate(target: Element, event: Event): void {
  const turnId = target.closest<HTMLElement>('[data-turn-id]')?.dataset.turnId;
  if (!turnId) return;
  const cite = target.closest<HTMLElement>('button.cite, button.chip');
  const link = target.closest<HTMLElement>('a');
  if (cite) post({ type: 'revealCitation', turnId, n: Number(cite.dataset.cite) });
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
