/**
 * Names and signatures of syntax units: the `symbol` of a chunk and the signatures in its header.
 * Grammar-specific naming that a `name` field cannot express lives here as hooks.
 */
import type { Node } from 'web-tree-sitter';
import type { ChunkKind } from './types';

/** Per node type: how to name a unit, and which kind it really is. */
export interface UnitHook {
  name?: (node: Node) => string | null;
  kind?: (node: Node, name: string, kind: ChunkKind) => ChunkKind;
}

const MAX_NAME = 80;
const MAX_SIGNATURE = 100;
/** Only this much of a unit's head is read for its signature, so huge headers cost nothing. */
const SIGNATURE_SCAN = 400;

/** Fields that name a unit, in order of preference; wrappers lend theirs to an anonymous inner unit. */
const NAME_FIELDS = ['name', 'property', 'key', 'left'];

/**
 * A display name from source text: `Foo::Bar<T>` → `Foo.Bar`, `App\\Http` → `App.Http`, `'mod'` → `mod`,
 * `Foo.prototype.bar` → `Foo.bar`, `module.exports.run` → `run`.
 */
export function cleanName(text: string): string {
  let name = text.replace(/\s+/g, '').replace(/^['"`]|['"`]$/g, '');
  let previous = '';
  while (previous !== name) {
    previous = name;
    name = name.replace(/<[^<>]*>/g, '').replace(/\[[^[\]]*\]/g, '');
  }
  name = name
    .replace(/::|\\/g, '.')
    .replace(/^\./, '')
    .replace(/\.prototype\./g, '.')
    .replace(/^(module\.)?exports\./, '');
  return name.length > MAX_NAME ? name.slice(0, MAX_NAME) : name;
}

/** The last name of a qualified symbol: `Router.handle` → `handle`, `a.b.c` → `c`. */
export function lastName(symbol: string): string {
  return symbol.split(/[.:#>\s,]+/).filter(Boolean).pop() ?? '';
}

/** The plain name of a node from its first naming field, or null. */
export function fieldName(node: Node): string | null {
  for (const field of NAME_FIELDS) {
    const child = node.childForFieldName(field);
    if (child) {
      const name = cleanName(child.text);
      return name || null;
    }
  }
  return null;
}

/** C/C++ names hide inside nested declarators: `static int *make(int a)` → `make`, `Foo::~Foo()` → `Foo.~Foo`. */
export function cDeclaratorName(node: Node): string | null {
  let current: Node | null = node.childForFieldName('declarator');
  if (!current) return null;
  for (let depth = 0; depth < 16; depth++) {
    const next: Node | null =
      current.childForFieldName('declarator') ?? (current.type.endsWith('declarator') ? current.firstNamedChild : null);
    if (!next) break;
    current = next;
  }
  return cleanName(current.text) || null;
}

/** Out-of-class C++ definitions (`void Foo::bar()`) are methods of Foo. */
export function qualifiedFunctionKind(_node: Node, name: string, kind: ChunkKind): ChunkKind {
  return name.includes('.') ? 'method' : kind;
}

/** Go methods are named after their receiver type: `func (s *Server) Handle()` → `Server.Handle`. */
export function goReceiverName(node: Node): string | null {
  const name = node.childForFieldName('name')?.text;
  if (!name) return null;
  const receiver = node.childForFieldName('receiver')?.firstNamedChild?.childForFieldName('type');
  const type = receiver ? cleanName(receiver.text).replace(/^\*+/, '') : '';
  return type ? `${type}.${name}` : name;
}

/** `type Foo struct` is a class and `type Foo interface` an interface; other Go types stay types. */
export function goTypeKind(node: Node, _name: string, kind: ChunkKind): ChunkKind {
  const type = node.childForFieldName('type')?.type;
  if (type === 'struct_type') return 'class';
  if (type === 'interface_type') return 'interface';
  return kind;
}

/** Rust `impl Display for Foo<T>` scopes its methods under `Foo`. */
export function implTypeName(node: Node): string | null {
  const type = node.childForFieldName('type');
  if (!type) return null;
  const name = cleanName(type.text);
  return name.slice(name.lastIndexOf('.') + 1) || null;
}

const ANNOTATION_LINE = /^\s*(@[\w.]+(\(.*\))?|#!?\[.*\]|\[.*\])\s*$/;
const COMMENT_LINE = /^\s*(#(?!\[)|\/\/|\/\*|\*)/;

/**
 * A one-line signature for headers: the unit's text up to its body (or its first line when it has
 * no body), without decorator, attribute or comment lines, whitespace collapsed:
 * `async login(email: string): Promise<User>`.
 */
export function signatureOf(source: string, outer: Node, inner: Node): string {
  const body = inner.childForFieldName('body');
  const end = Math.min(body ? body.startIndex : inner.endIndex, outer.startIndex + SIGNATURE_SCAN);
  const lines = source.slice(outer.startIndex, end).split('\n');
  const kept = lines.filter((line, i) => !ANNOTATION_LINE.test(line) && (i === 0 || !COMMENT_LINE.test(line)));
  const head = kept.length ? kept : lines;
  const text = (body ? head.join(' ') : head[0])
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*[{:]$/, '');
  return text.length > MAX_SIGNATURE ? `${text.slice(0, MAX_SIGNATURE - 1)}…` : text;
}
