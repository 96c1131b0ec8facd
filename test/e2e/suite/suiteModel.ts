/**
 * The chat model behind Ferret in the extension-host suite: a loopback Ollama the runner starts
 * (suites.mjs, electron/runTests.mjs) and names through OLLAMA_HOST. Free of `vscode` so the
 * runners can import it.
 */
export const SUITE_CHAT_MODEL = 'qwen2.5-coder:7b';
export const SUITE_CHAT_TOKENS = ['Hello from ', 'the model ', 'behind Ferret.'];
