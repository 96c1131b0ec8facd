/**
 * Which language a file is, and for languages with a grammar, which tree-sitter node types
 * make chunks. The tables are data; the few names that need code live in naming.ts.
 */
import * as path from 'node:path';
import type { ChunkKind } from './types';
import { cDeclaratorName, goReceiverName, goTypeKind, implTypeName, qualifiedFunctionKind, type UnitHook } from './naming';

/** How syntaxChunker reads one grammar's trees. */
export interface SyntaxRules {
  /** Grammar file name, found by grammarLocator. */
  grammar: string;
  /** Node types that are chunk units by themselves. A `function` inside a class-like unit becomes a `method`. */
  units: Readonly<Record<string, ChunkKind>>;
  /** Nodes that hold one unit (their last named child) and may lend it their name: `export …`, `const f = () => …`. */
  wrappers: ReadonlySet<string>;
  /** Nodes whose children are read as if they were siblings of the node: `#ifdef` blocks, `extern "C" {…}`. */
  transparent: ReadonlySet<string>;
  /** Sibling nodes that belong to the unit that follows them, like comments do: decorators, attributes. */
  prefixes: ReadonlySet<string>;
  /** Units whose name does not qualify the symbols inside them (C# namespaces, like Java packages, do not). */
  unqualified: ReadonlySet<string>;
  /** Names or kinds that are not a plain `name` field. */
  hooks: Readonly<Record<string, UnitHook>>;
}

const none: ReadonlySet<string> = new Set();

const jsUnits: Record<string, ChunkKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  function_expression: 'function',
  generator_function: 'function',
  arrow_function: 'function',
  class_declaration: 'class',
  class: 'class',
  method_definition: 'method',
};
const jsWrappers = new Set([
  'export_statement',
  'lexical_declaration',
  'variable_declaration',
  'variable_declarator',
  'field_definition',
  'public_field_definition',
  'expression_statement',
  'assignment_expression',
  'pair',
  'ambient_declaration',
]);

const javascript: SyntaxRules = {
  grammar: 'tree-sitter-javascript.wasm',
  units: jsUnits,
  wrappers: jsWrappers,
  transparent: none,
  prefixes: new Set(['decorator']),
  unqualified: none,
  hooks: {},
};

const tsUnits: Record<string, ChunkKind> = {
  ...jsUnits,
  function_signature: 'function',
  abstract_class_declaration: 'class',
  interface_declaration: 'interface',
  type_alias_declaration: 'type',
  enum_declaration: 'enum',
  internal_module: 'module',
  module: 'module',
  method_signature: 'method',
  abstract_method_signature: 'method',
};

const typescript: SyntaxRules = { ...javascript, grammar: 'tree-sitter-typescript.wasm', units: tsUnits };
const tsx: SyntaxRules = { ...typescript, grammar: 'tree-sitter-tsx.wasm' };

const python: SyntaxRules = {
  grammar: 'tree-sitter-python.wasm',
  units: { function_definition: 'function', class_definition: 'class' },
  wrappers: new Set(['decorated_definition']),
  transparent: none,
  prefixes: none,
  unqualified: none,
  hooks: {},
};

const go: SyntaxRules = {
  grammar: 'tree-sitter-go.wasm',
  units: { function_declaration: 'function', method_declaration: 'method', type_spec: 'type', type_alias: 'type' },
  wrappers: new Set(['type_declaration']),
  transparent: none,
  prefixes: none,
  unqualified: none,
  hooks: { method_declaration: { name: goReceiverName }, type_spec: { kind: goTypeKind } },
};

const rust: SyntaxRules = {
  grammar: 'tree-sitter-rust.wasm',
  units: {
    function_item: 'function',
    function_signature_item: 'function',
    struct_item: 'class',
    union_item: 'class',
    enum_item: 'enum',
    trait_item: 'interface',
    impl_item: 'class',
    mod_item: 'module',
    type_item: 'type',
    macro_definition: 'function',
  },
  wrappers: none,
  transparent: none,
  prefixes: new Set(['attribute_item']),
  unqualified: none,
  hooks: { impl_item: { name: implTypeName } },
};

const java: SyntaxRules = {
  grammar: 'tree-sitter-java.wasm',
  units: {
    class_declaration: 'class',
    record_declaration: 'class',
    interface_declaration: 'interface',
    annotation_type_declaration: 'interface',
    enum_declaration: 'enum',
    method_declaration: 'method',
    constructor_declaration: 'method',
    compact_constructor_declaration: 'method',
  },
  wrappers: none,
  transparent: new Set(['enum_body_declarations']),
  prefixes: none,
  unqualified: none,
  hooks: {},
};

const preprocessor = ['preproc_ifdef', 'preproc_if', 'preproc_else', 'preproc_elif', 'preproc_elifdef'];
const cFunction: UnitHook = { name: cDeclaratorName, kind: qualifiedFunctionKind };

const c: SyntaxRules = {
  grammar: 'tree-sitter-c.wasm',
  units: {
    function_definition: 'function',
    struct_specifier: 'class',
    union_specifier: 'class',
    enum_specifier: 'enum',
    type_definition: 'type',
  },
  wrappers: none,
  transparent: new Set(preprocessor),
  prefixes: none,
  unqualified: none,
  hooks: { function_definition: cFunction, type_definition: { name: cDeclaratorName } },
};

const cpp: SyntaxRules = {
  grammar: 'tree-sitter-cpp.wasm',
  units: {
    ...c.units,
    class_specifier: 'class',
    namespace_definition: 'module',
    alias_declaration: 'type',
    concept_definition: 'type',
  },
  wrappers: new Set(['template_declaration']),
  transparent: new Set([...preprocessor, 'linkage_specification']),
  prefixes: none,
  unqualified: none,
  hooks: c.hooks,
};

const csharp: SyntaxRules = {
  grammar: 'tree-sitter-c-sharp.wasm',
  units: {
    namespace_declaration: 'module',
    class_declaration: 'class',
    struct_declaration: 'class',
    record_declaration: 'class',
    interface_declaration: 'interface',
    enum_declaration: 'enum',
    delegate_declaration: 'type',
    method_declaration: 'method',
    constructor_declaration: 'method',
    destructor_declaration: 'method',
    operator_declaration: 'method',
    property_declaration: 'method',
    local_function_statement: 'function',
  },
  wrappers: none,
  transparent: none,
  prefixes: none,
  unqualified: new Set(['namespace_declaration']),
  hooks: {},
};

const ruby: SyntaxRules = {
  grammar: 'tree-sitter-ruby.wasm',
  units: { class: 'class', module: 'module', method: 'function', singleton_method: 'method' },
  wrappers: none,
  transparent: new Set(['singleton_class', 'body_statement']),
  prefixes: none,
  unqualified: none,
  hooks: {},
};

const php: SyntaxRules = {
  grammar: 'tree-sitter-php.wasm',
  units: {
    namespace_definition: 'module',
    class_declaration: 'class',
    trait_declaration: 'class',
    interface_declaration: 'interface',
    enum_declaration: 'enum',
    function_definition: 'function',
    method_declaration: 'method',
  },
  wrappers: none,
  transparent: none,
  prefixes: none,
  unqualified: new Set(['namespace_definition']),
  hooks: {},
};

/** Languages chunked by syntax, by language id. */
export const SYNTAX_RULES: Readonly<Record<string, SyntaxRules>> = {
  typescript,
  tsx,
  javascript,
  python,
  go,
  rust,
  java,
  c,
  cpp,
  csharp,
  ruby,
  php,
};

const BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python', pyw: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  c: 'c', h: 'c',
  cpp: 'cpp', cc: 'cpp', cxx: 'cpp', 'c++': 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp', 'h++': 'cpp', ipp: 'cpp', inl: 'cpp', tpp: 'cpp',
  cs: 'csharp',
  rb: 'ruby', rake: 'ruby', gemspec: 'ruby', ru: 'ruby',
  php: 'php', phtml: 'php',
  md: 'markdown', mdx: 'markdown', markdown: 'markdown',
  json: 'json', jsonc: 'json', json5: 'json',
  yaml: 'yaml', yml: 'yaml',
  toml: 'toml',
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', fish: 'shell',
  ps1: 'powershell', psm1: 'powershell',
  sql: 'sql',
  html: 'html', htm: 'html', xhtml: 'html',
  css: 'css', scss: 'scss', sass: 'scss', less: 'less',
  xml: 'xml', svg: 'xml', xsd: 'xml', plist: 'xml',
  vue: 'vue', svelte: 'svelte',
  kt: 'kotlin', kts: 'kotlin',
  swift: 'swift',
  scala: 'scala', sc: 'scala',
  lua: 'lua',
  r: 'r',
  dart: 'dart',
  ex: 'elixir', exs: 'elixir',
  erl: 'erlang', hrl: 'erlang',
  hs: 'haskell',
  clj: 'clojure', cljs: 'clojure',
  ml: 'ocaml', mli: 'ocaml',
  fs: 'fsharp', fsx: 'fsharp',
  pl: 'perl', pm: 'perl',
  groovy: 'groovy', gradle: 'groovy',
  proto: 'protobuf',
  graphql: 'graphql', gql: 'graphql',
  tf: 'hcl', hcl: 'hcl',
  ini: 'ini', cfg: 'ini', conf: 'ini', properties: 'ini',
  cmake: 'cmake',
  rst: 'restructuredtext',
  tex: 'latex',
  txt: 'text',
};

const BY_NAME: Readonly<Record<string, string>> = {
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  'cmakelists.txt': 'cmake',
  gemfile: 'ruby',
  rakefile: 'ruby',
  '.bashrc': 'shell',
  '.zshrc': 'shell',
  '.profile': 'shell',
};

/** Lower-case language id of a workspace-relative path; `text` when nothing is known. */
export function languageOf(relPath: string): string {
  const base = path.posix.basename(relPath.replace(/\\/g, '/')).toLowerCase();
  const byName = lookup(BY_NAME, base);
  if (byName) return byName;
  if (base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return 'dockerfile';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return 'text';
  return lookup(BY_EXTENSION, base.slice(dot + 1)) ?? 'text';
}

/** Own-property lookup, so that names like `constructor` never reach Object.prototype. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
