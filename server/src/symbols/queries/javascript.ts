/** Tag queries for JavaScript, and TypeScript/TSX on top of them (capture names: tagQueries.ts). */
import type { TagQuerySource } from '../tagQueries';

const FUNCTION_VALUE = '[(arrow_function) (function_expression) (generator_function)]';

/**
 * Objects whose functions are methods: those bound to a name or returned (`const api = {…}`,
 * `module.exports = {…}`, `return {…}`), not the anonymous ones passed to calls, such as
 * property descriptors and option bags, whose `get` or `setup` no one looks up by name.
 */
const OBJECT_HOLDERS = ['variable_declarator value:', 'assignment_expression right:', 'pair value:', 'return_statement', 'export_statement value:'];
const objectMembers = OBJECT_HOLDERS.map(
  (holder) => `
(${holder} (object (method_definition name: (_) @name) @definition.method))
(${holder} (object (pair key: [(property_identifier) (string)] @name value: ${FUNCTION_VALUE}) @definition.method))`,
).join('');

/**
 * A function expression's own name defines it where nothing else names it: `module.exports =
 * function run() {…}`, `return function next() {…}`, named callbacks and IIFEs.
 */
const jsDefinitions = `
(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (_) @name) @definition.class
(class_body (method_definition name: (_) @name) @definition.method)
${objectMembers}
(variable_declarator name: (identifier) @name value: ${FUNCTION_VALUE}) @definition.function
(variable_declarator name: (identifier) @name value: (class)) @definition.class
(assignment_expression
  left: [(identifier) (member_expression object: [(identifier) (member_expression)])] @name
  right: ${FUNCTION_VALUE}
  (#not-match? @name "^(module\\.)?exports$")) @definition.function
(assignment_expression left: (_) @target right: (function_expression name: (identifier) @name) @definition.function
  (#match? @target "^(module\\.)?exports$"))
(return_statement (function_expression name: (identifier) @name) @definition.function)
(arguments (function_expression name: (identifier) @name) @definition.function)
(parenthesized_expression (function_expression name: (identifier) @name) @definition.function)
(program (lexical_declaration kind: "const" (variable_declarator name: (identifier) @name) @definition.constant))
(program (export_statement (lexical_declaration kind: "const" (variable_declarator name: (identifier) @name) @definition.constant)))
`;

/** Class fields holding functions are methods in all but name (React handlers, bound callbacks). */
const jsFields = `
(field_definition property: (_) @name value: ${FUNCTION_VALUE}) @definition.method
`;

const tsDefinitions = `
(public_field_definition name: (_) @name value: ${FUNCTION_VALUE}) @definition.method
(function_signature name: (identifier) @name) @definition.function
(method_signature name: (_) @name) @definition.method
(abstract_method_signature name: (_) @name) @definition.method
(abstract_class_declaration name: (_) @name) @definition.class
(interface_declaration name: (_) @name) @definition.interface
(type_alias_declaration name: (_) @name) @definition.type
(enum_declaration name: (_) @name) @definition.enum
(internal_module name: (_) @name) @definition.module
(module name: (_) @name) @definition.module
(program (ambient_declaration (lexical_declaration kind: "const" (variable_declarator name: (identifier) @name) @definition.constant)))
(program (export_statement (ambient_declaration (lexical_declaration kind: "const" (variable_declarator name: (identifier) @name) @definition.constant))))
`;

/** Components, not the lower-case intrinsic elements (`<div>`), which no workspace defines. */
const jsxReferences = `
(jsx_opening_element name: (identifier) @reference (#match? @reference "^[A-Z]"))
(jsx_self_closing_element name: (identifier) @reference (#match? @reference "^[A-Z]"))
(jsx_opening_element name: (member_expression property: (_) @reference))
(jsx_self_closing_element name: (member_expression property: (_) @reference))
`;

const sharedReferences = `
(call_expression function: (identifier) @reference)
(call_expression function: (member_expression property: (_) @reference))
(new_expression constructor: (identifier) @reference)
(new_expression constructor: (member_expression property: (_) @reference))
(import_specifier name: (identifier) @reference)
(import_clause (identifier) @reference)
(decorator (identifier) @reference)
(arrow_function parameter: (identifier) @local)
(for_in_statement left: (identifier) @local)
`;

const jsReferences = `${sharedReferences}${jsxReferences}
(class_heritage (identifier) @reference)
(class_heritage (member_expression property: (_) @reference))
(formal_parameters (identifier) @local)
(formal_parameters (assignment_pattern left: (identifier) @local))
`;

const tsReferences = `${sharedReferences}
(extends_clause value: (identifier) @reference)
(extends_clause value: (member_expression property: (_) @reference))
(type_identifier) @reference
(required_parameter pattern: (identifier) @local)
(optional_parameter pattern: (identifier) @local)
(type_parameter name: (type_identifier) @local)
`;

/** Calls to these are plumbing, not uses of anything the workspace defines. */
const IGNORED = ['this', 'super', 'require', 'undefined'];

export const JAVASCRIPT: TagQuerySource = { definitions: jsDefinitions + jsFields, references: jsReferences, ignored: IGNORED };
export const TYPESCRIPT: TagQuerySource = { definitions: jsDefinitions + tsDefinitions, references: tsReferences, ignored: IGNORED };
export const TSX: TagQuerySource = { ...TYPESCRIPT, references: tsReferences + jsxReferences };
