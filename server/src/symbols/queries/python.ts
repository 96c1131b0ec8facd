/** Tag queries for Python (capture names: tagQueries.ts). */
import type { TagQuerySource } from '../tagQueries';

/**
 * Module-level names in capitals are Python's constants by convention; other module variables
 * are state, not API, and are left out.
 */
const definitions = `
(function_definition name: (identifier) @name) @definition.function
(class_definition name: (identifier) @name) @definition.class
(assignment left: (identifier) @name right: (lambda)) @definition.function
(module (expression_statement (assignment left: (identifier) @name) @definition.constant)
  (#match? @name "^_*[A-Z][A-Z0-9_]*$"))
`;

const references = `
(call function: (identifier) @reference)
(call function: (attribute attribute: (identifier) @reference))
(decorator (identifier) @reference)
(decorator (attribute attribute: (identifier) @reference))
(class_definition superclasses: (argument_list (identifier) @reference))
(class_definition superclasses: (argument_list (attribute attribute: (identifier) @reference)))
(type (identifier) @reference)
(generic_type (identifier) @reference)
(type (attribute attribute: (identifier) @reference))
(import_from_statement name: (dotted_name (identifier) @reference .))
(import_from_statement name: (aliased_import name: (dotted_name (identifier) @reference .)))
(import_statement name: (dotted_name (identifier) @reference .))
(import_statement name: (aliased_import name: (dotted_name (identifier) @reference .)))
(parameters (identifier) @local)
(default_parameter name: (identifier) @local)
(typed_parameter . (identifier) @local)
(typed_default_parameter name: (identifier) @local)
(lambda_parameters (identifier) @local)
`;

export const PYTHON: TagQuerySource = { definitions, references, ignored: ['self', 'cls', 'super'] };
