/** Tag queries for Java (capture names: tagQueries.ts). Records are classes, annotation types interfaces. */
import type { TagQuerySource } from '../tagQueries';

const definitions = `
(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(annotation_type_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method
(compact_constructor_declaration name: (identifier) @name) @definition.method
(field_declaration (modifiers "static" "final") declarator: (variable_declarator name: (identifier) @name) @definition.constant)
(field_declaration (modifiers "final" "static") declarator: (variable_declarator name: (identifier) @name) @definition.constant)
`;

const references = `
(method_invocation name: (identifier) @reference)
(type_identifier) @reference
(marker_annotation name: (identifier) @reference)
(annotation name: (identifier) @reference)
(import_declaration (scoped_identifier name: (identifier) @reference))
(formal_parameter name: (identifier) @local)
(type_parameter (type_identifier) @local)
`;

export const JAVA: TagQuerySource = { definitions, references, ignored: ['String', 'Object', 'Override'] };
