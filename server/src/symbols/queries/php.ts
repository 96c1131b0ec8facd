/** Tag queries for PHP (capture names: tagQueries.ts). Traits are classes, as the chunker has them. */
import type { TagQuerySource } from '../tagQueries';

const definitions = `
(namespace_definition name: (_) @name) @definition.module
(function_definition name: (name) @name) @definition.function
(class_declaration name: (name) @name) @definition.class
(trait_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(enum_declaration name: (name) @name) @definition.enum
(method_declaration name: (name) @name) @definition.method
(const_declaration (const_element (name) @name) @definition.constant)
`;

const references = `
(function_call_expression function: (name) @reference)
(function_call_expression function: (qualified_name (name) @reference .))
(member_call_expression name: (name) @reference)
(nullsafe_member_call_expression name: (name) @reference)
(scoped_call_expression name: (name) @reference)
(scoped_call_expression scope: (name) @reference)
(object_creation_expression (name) @reference)
(object_creation_expression (qualified_name (name) @reference .))
(named_type (name) @reference)
(named_type (qualified_name (name) @reference .))
(base_clause (name) @reference)
(class_interface_clause (name) @reference)
(use_declaration (name) @reference)
(namespace_use_clause (qualified_name (name) @reference .))
(namespace_use_clause . (name) @reference)
`;

export const PHP: TagQuerySource = { definitions, references, ignored: ['self', 'static', 'parent'] };
