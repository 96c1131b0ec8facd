/**
 * Tag queries for Ruby (capture names: tagQueries.ts). A `def` at the top of a file is a function,
 * any other a method; constants are capitalised assignments outside methods.
 */
import type { TagQuerySource } from '../tagQueries';

const definitions = `
(program (method name: (_) @name) @definition.function)
(method name: (_) @name) @definition.method
(singleton_method name: (_) @name) @definition.method
(class name: (_) @name) @definition.class
(module name: (_) @name) @definition.module
(program (assignment left: (constant) @name) @definition.constant)
(body_statement (assignment left: (constant) @name) @definition.constant)
`;

const references = `
(call method: (identifier) @reference)
(call method: (constant) @reference)
(constant) @reference
(method_parameters (identifier) @local)
(lambda_parameters (identifier) @local)
(block_parameters (identifier) @local)
(optional_parameter name: (identifier) @local)
(keyword_parameter name: (identifier) @local)
`;

/** Calls that are the language's own plumbing, not uses of anything a workspace defines. */
const IGNORED = ['require', 'require_relative', 'include', 'extend', 'attr_reader', 'attr_writer', 'attr_accessor', 'private', 'protected', 'public', 'raise', 'puts'];

export const RUBY: TagQuerySource = { definitions, references, ignored: IGNORED };
