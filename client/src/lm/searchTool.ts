import * as vscode from 'vscode';
import type { SearchResult } from '../../../server/src/shared/protocol';
import { errorSentence } from '../chat/chatSession';
import { DaemonDownError, type DaemonApi } from '../daemon/daemonApi';
import { registerIfAvailable } from './optionalApi';
import { searchResultTexts } from './searchToolResult';
import { SEARCH_TOOL_NAME, invocationMessage, searchParamsFor, type SearchToolInput } from './searchToolInput';

/**
 * `ferret_search_codebase`: Ferret's hybrid search as a tool that VS Code's chat agents (and any
 * extension, through `lm.invokeTool`) can call. A failure is thrown as an Error of one sentence,
 * which is how a tool tells the model what went wrong and what to try instead.
 */
export class SearchTool implements vscode.LanguageModelTool<SearchToolInput> {
  constructor(private readonly daemon: DaemonApi) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<SearchToolInput>): vscode.PreparedToolInvocation {
    return { invocationMessage: invocationMessage(options.input) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<SearchToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const params = searchParamsFor(options.input);
    let result: SearchResult;
    try {
      result = await this.daemon.search(params, token);
    } catch (error) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      // The daemon-down message already says what to do; anything else is cut to one sentence.
      throw new Error(error instanceof DaemonDownError ? error.message : `Ferret's search failed: ${errorSentence(error)}`);
    }
    const texts = searchResultTexts(result, options.tokenizationOptions?.tokenBudget);
    return new vscode.LanguageModelToolResult(texts.map((text) => new vscode.LanguageModelTextPart(text)));
  }
}

/** Registers the tool where the host has the language-model tool API; see {@link registerIfAvailable}. */
export function registerSearchTool(daemon: DaemonApi, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return registerIfAvailable('language-model tools', log, () => vscode.lm?.registerTool?.(SEARCH_TOOL_NAME, new SearchTool(daemon)));
}
