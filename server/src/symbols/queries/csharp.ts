/**
 * Tag queries for C# (capture names: tagQueries.ts). Structs and records are classes, delegates
 * types; namespaces are modules that do not qualify what they hold (chunk/languages.ts).
 */
import type { TagQuerySource } from '../tagQueries';

const definitions = `
(namespace_declaration name: (_) @name) @definition.module
(file_scoped_namespace_declaration name: (_) @name) @definition.module
(class_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(delegate_declaration name: (identifier) @name) @definition.type
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(destructor_declaration name: (identifier) @name) @definition.method
(local_function_statement name: (identifier) @name) @definition.function
(field_declaration (modifier "const") (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant))
`;

const references = `
(invocation_expression function: (identifier) @reference)
(invocation_expression function: (member_access_expression name: (identifier) @reference))
(invocation_expression function: (generic_name (identifier) @reference))
(object_creation_expression type: (identifier) @reference)
(generic_name (identifier) @reference)
(base_list (identifier) @reference)
(_ type: (identifier) @reference)
(_ returns: (identifier) @reference)
(attribute name: (identifier) @reference)
(using_directive (qualified_name name: (identifier) @reference))
(using_directive (identifier) @reference)
(parameter name: (identifier) @local)
(type_parameter name: (identifier) @local)
`;

export const CSHARP: TagQuerySource = { definitions, references, ignored: ['var', 'nameof', 'dynamic'] };
