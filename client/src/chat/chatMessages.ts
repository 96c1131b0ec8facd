/**
 * Every message between the chat webview and the extension, in both directions, as one
 * discriminated union, plus the runtime validators both sides apply to what they receive.
 * Imported by the extension (chatViewProvider) and by the webview bundle (client/webview), so
 * it must not import `vscode` or touch the DOM.
 */
import type { Citation } from '../../../server/src/shared/protocol';

/** How a turn ended, or that it is still streaming. */
export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** One question and its answer, as shown in the view and kept in workspace state. */
export interface ChatTurn {
  id: string;
  question: string;
  /** Markdown as streamed or as returned by the daemon. Rendered only through the sanitizer. */
  answer: string;
  citations: Citation[];
  status: TurnStatus;
  /** Set when no model answered: why the answer lists sources only. */
  sourcesOnlyReason?: string;
  /** Set when the model stopped mid-answer. */
  interrupted?: string;
  /** One sentence for a failed turn. */
  error?: string;
  /** The editor selection the question was about (its text is not kept; the daemon re-reads it). */
  selection?: TurnSelection;
  /** The provider and model that wrote the answer; absent for sources-only and unfinished turns. */
  answeredBy?: { provider: string; model: string };
}

export interface TurnSelection {
  /** As the daemon takes it: absolute, or relative to a workspace folder. */
  path: string;
  startLine: number;
  endLine: number;
  /** The path as shown to the user: workspace-relative, like every other path in the view. */
  label?: string;
}

/** The view-wide notice above the conversation: what state Ferret is in and what to do about it. */
export interface Banner {
  kind: 'starting' | 'indexing' | 'no-model' | 'daemon-down';
  /** One or two sentences telling the user what is happening and what to do. */
  text: string;
  /** Commands the banner offers as buttons. */
  actions: BannerCommand[];
}

/** The extension commands the webview may ask for; mapped to command ids on the extension side only. */
export type BannerCommand = 'restartDaemon' | 'openLogs' | 'showStatus';
const bannerCommands: readonly BannerCommand[] = ['restartDaemon', 'openLogs', 'showStatus'];

/** Everything the webview shows, pushed as a whole whenever it changes (streamed text excepted). */
export interface ViewState {
  turns: ChatTurn[];
  /** Most pressing first; empty when all is well. */
  banners: Banner[];
  /** True while an answer is streaming: Send is disabled and Stop enabled. */
  busy: boolean;
  header: ChatHeader;
  /** Questions the empty view suggests, derived from this workspace. */
  examples: string[];
}

/** The line above the conversation: who answered last and whether a model is reachable now. */
export interface ChatHeader {
  /** `model via provider` of the latest answer a model wrote. */
  answeredBy?: string;
  health: { kind: HealthKind; text: string };
}
export type HealthKind = 'ok' | 'degraded' | 'down';

/** extension → webview. */
export type ToWebview =
  /** The whole view state; the first one is the webview's boot data. */
  | { type: 'state'; state: ViewState }
  /** A streamed piece of the answer of turn `turnId`, to append to what the webview has. */
  | { type: 'delta'; turnId: string; text: string };

/** webview → extension. */
export type ToExtension =
  /** The webview script has loaded and wants the state. */
  | { type: 'ready' }
  | { type: 'ask'; question: string }
  /** Cancel the answer that is streaming. */
  | { type: 'stop' }
  /** Ask the question of a failed turn again. */
  | { type: 'retry'; turnId: string }
  /** Open citation `n` of turn `turnId`; the extension looks the range up in its own state. */
  | { type: 'revealCitation'; turnId: string; n: number }
  /** A link in an answer was activated; the extension decides whether and how to open it. */
  | { type: 'openLink'; href: string }
  | { type: 'runCommand'; command: BannerCommand }
  /** Copy code block `block` (0-based, in answer order) of turn `turnId`; the extension reads the code from its own state. */
  | { type: 'copyCode'; turnId: string; block: number }
  /** Insert that code block at the cursor of the active editor. */
  | { type: 'insertCode'; turnId: string; block: number }
  /** Forget the conversation of this workspace. */
  | { type: 'clear' };

/** Longest question accepted from the webview; longer ones are a bug or an attack, not a question. */
export const maxQuestionLength = 10_000;
const maxHrefLength = 2_048;
const maxIdLength = 64;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown, max = Infinity): v is string => typeof v === 'string' && v.length <= max;
const isOptStr = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
const isId = (v: unknown): v is string => isStr(v, maxIdLength) && v.length > 0;
const isLine = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isOneOf = <T extends string>(v: unknown, values: readonly T[]): v is T => values.includes(v as T);

function isCitation(v: unknown): v is Citation {
  return (
    isRec(v) &&
    isLine(v.n) &&
    isStr(v.folder) &&
    isStr(v.path) &&
    isLine(v.startLine) &&
    isLine(v.endLine) &&
    isStr(v.symbol)
  );
}

function isSelection(v: unknown): v is TurnSelection {
  return isRec(v) && isStr(v.path) && isLine(v.startLine) && isLine(v.endLine) && isOptStr(v.label);
}

function isAnsweredBy(v: unknown): v is ChatTurn['answeredBy'] {
  return v === undefined || (isRec(v) && isStr(v.provider) && isStr(v.model));
}

export function isChatTurn(v: unknown): v is ChatTurn {
  return (
    isRec(v) &&
    isId(v.id) &&
    isStr(v.question) &&
    isStr(v.answer) &&
    Array.isArray(v.citations) &&
    v.citations.every(isCitation) &&
    isOneOf(v.status, ['streaming', 'done', 'stopped', 'error'] as const) &&
    isOptStr(v.sourcesOnlyReason) &&
    isOptStr(v.interrupted) &&
    isOptStr(v.error) &&
    (v.selection === undefined || isSelection(v.selection)) &&
    isAnsweredBy(v.answeredBy)
  );
}

function isBanner(v: unknown): v is Banner {
  return (
    isRec(v) &&
    isOneOf(v.kind, ['starting', 'indexing', 'no-model', 'daemon-down'] as const) &&
    isStr(v.text) &&
    Array.isArray(v.actions) &&
    v.actions.every((a) => isOneOf(a, bannerCommands))
  );
}

function isHeader(v: unknown): v is ChatHeader {
  return (
    isRec(v) &&
    isOptStr(v.answeredBy) &&
    isRec(v.health) &&
    isOneOf(v.health.kind, ['ok', 'degraded', 'down'] as const) &&
    isStr(v.health.text)
  );
}

function isViewState(v: unknown): v is ViewState {
  return (
    isRec(v) &&
    Array.isArray(v.turns) &&
    v.turns.every(isChatTurn) &&
    Array.isArray(v.banners) &&
    v.banners.every(isBanner) &&
    isBool(v.busy) &&
    isHeader(v.header) &&
    Array.isArray(v.examples) &&
    v.examples.every((e) => isStr(e, maxQuestionLength))
  );
}

/** Validates a message received by the webview; undefined when it is unknown or malformed. */
export function parseToWebview(data: unknown): ToWebview | undefined {
  if (!isRec(data)) return undefined;
  switch (data.type) {
    case 'state':
      return isViewState(data.state) ? { type: 'state', state: data.state } : undefined;
    case 'delta':
      return isId(data.turnId) && isStr(data.text) ? { type: 'delta', turnId: data.turnId, text: data.text } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message received by the extension; undefined when it is unknown or malformed. */
export function parseToExtension(data: unknown): ToExtension | undefined {
  if (!isRec(data)) return undefined;
  switch (data.type) {
    case 'ready':
    case 'stop':
    case 'clear':
      return { type: data.type };
    case 'ask':
      return isStr(data.question, maxQuestionLength) && data.question.trim() !== ''
        ? { type: 'ask', question: data.question }
        : undefined;
    case 'retry':
      return isId(data.turnId) ? { type: 'retry', turnId: data.turnId } : undefined;
    case 'revealCitation':
      return isId(data.turnId) && isLine(data.n) ? { type: 'revealCitation', turnId: data.turnId, n: data.n } : undefined;
    case 'openLink':
      return isStr(data.href, maxHrefLength) ? { type: 'openLink', href: data.href } : undefined;
    case 'runCommand':
      return isOneOf(data.command, bannerCommands) ? { type: 'runCommand', command: data.command } : undefined;
    case 'copyCode':
    case 'insertCode':
      return isId(data.turnId) && isLine(data.block) ? { type: data.type, turnId: data.turnId, block: data.block } : undefined;
    default:
      return undefined;
  }
}

/** A short description of a rejected message for the log, without echoing its (possibly huge) content. */
export function describeRejected(data: unknown): string {
  const type = isRec(data) && typeof data.type === 'string' ? JSON.stringify(data.type.slice(0, 40)) : typeof data;
  return `ignored a malformed or unknown chat message (type ${type})`;
}
