/**
 * Tag queries for C and C++ (capture names: tagQueries.ts). Functions and typedefs are named by the
 * chunker's declarator hook, so `int Matrix::cols()` is `cols` in `Matrix`. Structs and unions
 * are classes; a `#define` with arguments is a function, one without a constant. Declarations
 * without a body (prototypes, forward declarations) define nothing.
 */
import type { TagQuerySource } from '../tagQueries';

const cDefinitions = `
(function_definition) @definition.function
(struct_specifier name: (type_identifier) @name body: (_)) @definition.class
(union_specifier name: (type_identifier) @name body: (_)) @definition.class
(enum_specifier name: (type_identifier) @name body: (_)) @definition.enum
(type_definition) @definition.type
(preproc_function_def name: (identifier) @name) @definition.function
(preproc_def name: (identifier) @name) @definition.constant
`;

const cppDefinitions = `
(class_specifier name: (type_identifier) @name body: (_)) @definition.class
(alias_declaration name: (type_identifier) @name) @definition.type
(concept_definition name: (identifier) @name) @definition.type
(namespace_definition name: (_) @name) @definition.module
`;

const cReferences = `
(call_expression function: (identifier) @reference)
(call_expression function: (field_expression field: (field_identifier) @reference))
(type_identifier) @reference
(parameter_declaration declarator: (identifier) @local)
(parameter_declaration declarator: (pointer_declarator declarator: (identifier) @local))
`;

const cppReferences = `
(call_expression function: (qualified_identifier name: (identifier) @reference))
(call_expression function: (template_function name: (identifier) @reference))
(call_expression function: (qualified_identifier name: (template_function name: (identifier) @reference)))
(parameter_declaration declarator: (reference_declarator (identifier) @local))
(type_parameter_declaration (type_identifier) @local)
`;

export const C: TagQuerySource = { definitions: cDefinitions, references: cReferences, ignored: ['sizeof'] };
export const CPP: TagQuerySource = { definitions: cDefinitions + cppDefinitions, references: cReferences + cppReferences, ignored: ['sizeof'] };
