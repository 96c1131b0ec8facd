/**
 * One web-tree-sitter parser shared by every language: the runtime is initialised once per process,
 * each grammar is loaded on first use, and every parse is bounded in time.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { locateRuntimeWasm } from './grammarLocator';

export type ParseOutcome = { tree: Tree } | { failure: string };

let runtime: Promise<void> | null = null;

/** Parser.init must run once per process, before any Parser or Language exists. */
export function initRuntime(): Promise<void> {
  runtime ??= Parser.init({ locateFile: () => locateRuntimeWasm() });
  return runtime;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 200) || (error instanceof Error ? error.name : 'unknown error');
}

export class TreeParser {
  private parser: Parser | null = null;
  private readonly languages = new Map<string, Promise<Language>>();

  constructor(private readonly locateGrammar: (file: string) => string) {}

  /**
   * Parses `text` with the grammar file `grammar`. The caller owns the tree and must `delete()` it.
   * Fails with a short reason when the grammar cannot load, the parse outlasts `timeoutMs` or throws.
   */
  async parse(grammar: string, text: string, timeoutMs: number): Promise<ParseOutcome> {
    try {
      await initRuntime();
    } catch (error) {
      return { failure: `tree-sitter unavailable: ${reason(error)}` };
    }
    let language: Language;
    try {
      language = await this.language(grammar);
    } catch (error) {
      return { failure: `grammar unavailable: ${reason(error)}` };
    }
    // Nothing is awaited from here on, so concurrent calls cannot interleave on the shared parser.
    this.parser ??= new Parser();
    const parser = this.parser;
    const deadline = performance.now() + timeoutMs;
    try {
      parser.setLanguage(language);
      const tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
      if (tree) return { tree };
      parser.reset();
      return { failure: 'parse timeout' };
    } catch (error) {
      // The parser may be left mid-parse; a fresh one is cheap.
      parser.delete();
      this.parser = null;
      return { failure: `parse error: ${reason(error)}` };
    }
  }

  dispose(): void {
    this.parser?.delete();
    this.parser = null;
  }

  private language(grammar: string): Promise<Language> {
    let language = this.languages.get(grammar);
    if (!language) {
      language = Language.load(this.locateGrammar(grammar));
      this.languages.set(grammar, language);
    }
    return language;
  }
}
