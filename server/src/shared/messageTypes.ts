/**
 * JSON-RPC messages as values that carry their types: a method name together with the types of
 * its params and result, so senders and handlers name both through one definition. The types
 * exist only at compile time; at run time a definition is its method name. No JSON-RPC library
 * is imported: each side passes the method to its own connection (two copies of vscode-jsonrpc
 * must never exchange objects).
 */

declare const carried: unique symbol;

/** A request: params `P`, result `R`, and `Partial` for each value streamed as `$/progress` on its `partialResultToken`. */
export interface RequestType<P, R, Partial = never> {
  readonly method: string;
  /** Never set: holds the types for the compiler. */
  readonly [carried]?: { params: P; result: R; partial: Partial };
}

/** A notification with params `P`. */
export interface NotificationType<P> {
  readonly method: string;
  readonly [carried]?: { params: P };
}

/** The type of the values a request streams as partial results. */
export type PartialOf<T> = T extends RequestType<unknown, unknown, infer Partial> ? Partial : never;

export function request<P, R, Partial = never>(method: string): RequestType<P, R, Partial> {
  return { method };
}

export function notification<P>(method: string): NotificationType<P> {
  return { method };
}

/** The token a request names to have partial results streamed to it. */
export interface PartialResultParams {
  partialResultToken?: string | number;
}

/**
 * The parts of a connection these helpers call: vscode-jsonrpc's `MessageConnection`, the
 * language client and the language server's connection all have them. A `token` is the
 * library's cancellation token.
 */
interface RequestSender {
  sendRequest<R>(method: string, ...args: unknown[]): Promise<R>;
}
interface NotificationSender {
  sendNotification(method: string, params?: unknown): Promise<void>;
}
interface NotificationReceiver {
  onNotification<P>(method: string, handler: (params: P) => void): unknown;
}

/** Sends a request; `undefined` params are left out of the message, as a request without params expects. */
export function sendRequest<P, R>(connection: RequestSender, type: RequestType<P, R, unknown>, params: NoInfer<P>, token?: unknown): Promise<R> {
  const rest = token === undefined ? [] : [token];
  return params === undefined ? connection.sendRequest<R>(type.method, ...rest) : connection.sendRequest<R>(type.method, params, ...rest);
}

export function sendNotification<P>(connection: NotificationSender, type: NotificationType<P>, params: NoInfer<P>): Promise<void> {
  return connection.sendNotification(type.method, params);
}

export function onNotification<P>(connection: NotificationReceiver, type: NotificationType<P>, handler: (params: P) => void): void {
  connection.onNotification(type.method, handler);
}
