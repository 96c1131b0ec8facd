/**
 * What symbols/ extracts from one file: the names it defines, with where they sit, and the names
 * each of its units uses. Lines are 1-based and inclusive, like chunks'.
 */

/**
 * Kinds of definitions, coarser than each language's own so that one graph spans twelve:
 * - class: classes, and structs, unions, records (Java, C#), PHP traits;
 * - interface: interfaces, Rust traits, Java annotation types;
 * - type: aliases (TypeScript, Go, Rust, C typedefs, C++ `using`), other Go types, Rust
 *   associated types, C# delegates;
 * - function: functions, nested ones too, arrow functions bound to a name, Rust `macro_rules!`,
 *   C macros with arguments; a function in a class-like body, or named as a member
 *   (`Foo::bar`, `Foo.prototype.bar`), is a method;
 * - method: methods, constructors, interface and trait members, functions in object literals;
 * - constant: top-level `const` (JS/TS, Go), Rust `const`/`static`, Java `static final` and
 *   C# `const` fields, PHP and Ruby constants, Python's capitalised module names, C macros
 *   without arguments;
 * - module: namespaces, Rust `mod`, Ruby modules, TypeScript `declare module`.
 */
export type SymbolKind = 'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'constant' | 'module';

export interface SymbolDefinition {
  name: string;
  kind: SymbolKind;
  /**
   * Qualified name of the enclosing definition, '' at top level: a class, an `impl Type` or trait,
   * a module or namespace that qualifies names, a Go method's receiver type, or the function that
   * holds a nested function. `${container}.${name}` is the definition's qualified name.
   */
  container: string;
  /** The definition's own node, without decorators or doc comments before it. */
  startLine: number;
  endLine: number;
}

/** One name used by one unit (a definition, or the file's top-level code when `symbol` is ''). */
export interface SymbolReference {
  name: string;
  /** The unit's lines, not the use's: a unit that uses a name many times has one reference to it. */
  startLine: number;
  endLine: number;
  /** Qualified name of the unit; '' for code outside every definition, whose range is the whole file. */
  symbol: string;
}

export interface FileSymbols {
  /** In source order. */
  definitions: SymbolDefinition[];
  /** Grouped by unit in source order, each unit's names in order of first use. */
  references: SymbolReference[];
}
