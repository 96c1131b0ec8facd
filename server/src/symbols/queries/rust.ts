/**
 * Tag queries for Rust (capture names: tagQueries.ts). An `impl` block is a scope named after its
 * type, so that methods of `impl Foo` and `impl Display for Foo` are Foo's.
 */
import type { Node } from 'web-tree-sitter';
import type { TagQuerySource } from '../tagQueries';

/** The field that leads from a compound type to the type it is about: `&'a mut Path` → `Path`, `[T]` → `T`. */
const INNER_TYPE: Readonly<Record<string, string>> = {
  reference_type: 'type',
  pointer_type: 'type',
  generic_type: 'type',
  array_type: 'element',
  scoped_type_identifier: 'name',
  dynamic_type: 'trait',
};
const MAX_TYPE_DEPTH = 8;

/**
 * The type an `impl` is for, without references, pointers, paths or generics, as ctags names it:
 * `impl<T> Extend<&T> for &'a mut a::Vec<T>` → `Vec`. (The chunker's hook keeps `&'aVec`, which
 * reads fine in a chunk's header but is no name to look up.)
 */
function implType(node: Node): string | null {
  let type = node.childForFieldName('type');
  for (let depth = 0; type && depth < MAX_TYPE_DEPTH; depth++) {
    if (type.namedChildCount === 0) return type.text;
    const field = INNER_TYPE[type.type];
    type = field ? type.childForFieldName(field) : type.firstNamedChild;
  }
  return null;
}

const definitions = `
(function_item name: (identifier) @name) @definition.function
(function_signature_item name: (identifier) @name) @definition.function
(struct_item name: (type_identifier) @name) @definition.class
(union_item name: (type_identifier) @name) @definition.class
(enum_item name: (type_identifier) @name) @definition.enum
(trait_item name: (type_identifier) @name) @definition.interface
(type_item name: (type_identifier) @name) @definition.type
(associated_type name: (type_identifier) @name) @definition.type
(mod_item name: (identifier) @name) @definition.module
(macro_definition name: (identifier) @name) @definition.function
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant
(impl_item) @scope
`;

const references = `
(call_expression function: (identifier) @reference)
(call_expression function: (field_expression field: (field_identifier) @reference))
(call_expression function: (scoped_identifier name: (identifier) @reference))
(call_expression function: (generic_function function: (identifier) @reference))
(call_expression function: (generic_function function: (scoped_identifier name: (identifier) @reference)))
(call_expression function: (generic_function function: (field_expression field: (field_identifier) @reference)))
(macro_invocation macro: (identifier) @reference)
(type_identifier) @reference
(use_declaration argument: (identifier) @reference)
(use_declaration argument: (scoped_identifier name: (identifier) @reference))
(use_list (identifier) @reference)
(use_list (scoped_identifier name: (identifier) @reference))
(use_as_clause path: (identifier) @reference)
(use_as_clause path: (scoped_identifier name: (identifier) @reference))
(parameter pattern: (identifier) @local)
(closure_parameters (identifier) @local)
(type_parameter name: (type_identifier) @local)
`;

export const RUST: TagQuerySource = {
  definitions,
  references,
  ignored: ['Self', 'self', 'Some', 'None', 'Ok', 'Err'],
  names: { impl_item: implType },
};
