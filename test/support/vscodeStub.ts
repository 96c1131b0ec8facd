/**
 * Lets Node load modules that import `vscode` (here: vscode-languageclient) outside an extension
 * host. Every export is an empty class, enough for the library's top-level `extends` and for code
 * that never touches the editor API. Import it before the module under test.
 */
import Module from 'node:module';

const moduleApi = Module as unknown as {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _cache: Record<string, unknown>;
};
const resolve = moduleApi._resolveFilename;
moduleApi._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
const classes: Record<PropertyKey, unknown> = {};
moduleApi._cache['vscode'] = {
  id: 'vscode',
  filename: 'vscode',
  loaded: true,
  exports: new Proxy({}, { get: (_target, name) => (classes[name] ??= class {}) }),
};
