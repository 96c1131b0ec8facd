import * as vscode from 'vscode';

/**
 * VS Code's language-model provider API (`lm.registerLanguageModelChatProvider`, final since
 * 1.104), declared here because Ferret still runs on hosts from 1.95 (`engines.vscode`), whose
 * typings lack it; on those hosts the function is absent and Ferret's models are not offered.
 */
export interface ModelInformation {
  readonly id: string;
  /** Shown in the chat's model picker. */
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** One message of a request, as VS Code hands it over: a role and parts (text, tool calls, tool results, data). */
export interface ModelRequestMessage {
  readonly role: vscode.LanguageModelChatMessageRole | number;
  readonly content: readonly unknown[];
  readonly name: string | undefined;
}

export interface ModelChatProvider {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<ModelInformation[]>;
  provideLanguageModelChatResponse(
    model: ModelInformation,
    messages: readonly ModelRequestMessage[],
    options: { readonly modelOptions?: { readonly [name: string]: unknown } },
    progress: vscode.Progress<vscode.LanguageModelTextPart>,
    token: vscode.CancellationToken,
  ): Thenable<void>;
  provideTokenCount(model: ModelInformation, text: string | ModelRequestMessage, token: vscode.CancellationToken): Thenable<number>;
}

type Register = (vendor: string, provider: ModelChatProvider) => vscode.Disposable;

/** The host's `lm.registerLanguageModelChatProvider`, or undefined where it has none. */
export function modelProviderRegistration(): Register | undefined {
  const lm = vscode.lm as unknown as { registerLanguageModelChatProvider?: Register } | undefined;
  return lm?.registerLanguageModelChatProvider?.bind(lm);
}
