import * as vscode from 'vscode';
import { errorSentence } from '../chat/chatSession';
import { DaemonDownError, type DaemonApi } from '../daemon/daemonApi';
import { registerIfAvailable } from './optionalApi';
import { definitionsText, FIND_REFERENCES_TOOL, FIND_SYMBOL_TOOL, referencesText, symbolParamsFor, type SymbolToolInput } from './symbolToolText';

/** What one symbol tool asks the daemon and how it says so. */
interface SymbolLookup {
  verb: string;
  run(daemon: DaemonApi, input: unknown, token: vscode.CancellationToken): Promise<string>;
}

const FIND_SYMBOL: SymbolLookup = {
  verb: 'Finding the definition of',
  run: async (daemon, input, token) => definitionsText(await daemon.definitions(symbolParamsFor(input), token)),
};
const FIND_REFERENCES: SymbolLookup = {
  verb: 'Finding what uses',
  run: async (daemon, input, token) => referencesText(await daemon.references(symbolParamsFor(input), token)),
};

/**
 * `ferret_find_symbol` and `ferret_find_references`: Ferret's symbol graph as tools for VS Code's
 * chat agents, go-to-definition and find-references across the workspace without a language server.
 */
class SymbolTool implements vscode.LanguageModelTool<SymbolToolInput> {
  constructor(
    private readonly daemon: DaemonApi,
    private readonly lookup: SymbolLookup,
  ) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<SymbolToolInput>): vscode.PreparedToolInvocation {
    const name = typeof options.input?.name === 'string' ? options.input.name.trim() : '';
    return { invocationMessage: `${this.lookup.verb} ${name ? `\`${name}\`` : 'a symbol'} with Ferret` };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<SymbolToolInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    let text: string;
    try {
      text = await this.lookup.run(this.daemon, options.input, token);
    } catch (error) {
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw new Error(error instanceof DaemonDownError ? error.message : errorSentence(error));
    }
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
  }
}

export function registerSymbolTools(daemon: DaemonApi, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    ...registerIfAvailable('language-model tools', log, () => vscode.lm?.registerTool?.(FIND_SYMBOL_TOOL, new SymbolTool(daemon, FIND_SYMBOL))),
    ...registerIfAvailable('language-model tools', log, () => vscode.lm?.registerTool?.(FIND_REFERENCES_TOOL, new SymbolTool(daemon, FIND_REFERENCES))),
  ];
}
