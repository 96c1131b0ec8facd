/** The part of highlight.js the chat view uses (see hljsLanguages.js for why these types are our own). */
declare const hljs: {
  getLanguage(name: string): object | undefined;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
};
export default hljs;
