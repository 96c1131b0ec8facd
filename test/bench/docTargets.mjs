// Finds documented functions in the corpus for the relevance benchmark: each doc comment's first
// sentence becomes a query whose answer is the function it documents. Parsing uses the same
// tree-sitter grammars the daemon ships, so "function" means what a syntax tree says it means.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const GRAMMARS = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');

/** Declarations a doc comment can describe; the comment sits before the node or its wrapper. */
const DOCUMENTED = new Set([
  'function_declaration',
  'generator_function_declaration',
  'method_definition',
  'function_signature',
  'method_signature',
  'abstract_method_signature',
]);
const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function']);
const WRAPPERS = new Set(['export_statement', 'lexical_declaration', 'variable_declaration', 'ambient_declaration']);

const MIN_WORDS = 4;
const MAX_WORDS = 30;

export async function loadParsers() {
  await Parser.init();
  const load = async (name) => {
    const parser = new Parser();
    parser.setLanguage(await Language.load(join(GRAMMARS, `tree-sitter-${name}.wasm`)));
    return parser;
  };
  return { javascript: await load('javascript'), typescript: await load('typescript') };
}

function parserFor(parsers, path) {
  return /\.(ts|mts|cts)$/.test(path) ? parsers.typescript : parsers.javascript;
}

/** The first sentence of a `/** … *\/` comment, without tags, links or markup; undefined if too short. */
export function firstSentence(comment) {
  const body = comment
    .replace(/^\/\*\*+/, '')
    .replace(/\*+\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*+ ?/, '').trim());
  const prose = [];
  for (const line of body) {
    if (line.startsWith('@') || line.startsWith('```')) break;
    prose.push(line);
  }
  const text = prose
    .join(' ')
    .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)[^}]*\}/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = (/^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text).replace(/[.!?]$/, '').trim();
  const words = sentence.split(' ').filter((word) => /[A-Za-z]/.test(word)).length;
  return words >= MIN_WORDS && words <= MAX_WORDS ? sentence : undefined;
}

function nameOf(node) {
  const named = node.childForFieldName('name');
  if (named) return named.text;
  const declarator = node.namedChildren.find((child) => child.type === 'variable_declarator');
  return declarator?.childForFieldName('name')?.text;
}

/** The declaration node a comment documents, when `node` is one (unwrapping export/const). */
function documentedDeclaration(node) {
  if (DOCUMENTED.has(node.type)) return node;
  if (!WRAPPERS.has(node.type)) return undefined;
  for (const child of node.namedChildren) {
    if (DOCUMENTED.has(child.type)) return child;
    if (child.type === 'variable_declarator' && FUNCTION_VALUES.has(child.childForFieldName('value')?.type)) return node;
    if (WRAPPERS.has(child.type)) {
      const inner = documentedDeclaration(child);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * Every documented function of one file: { name, sentence, comment: {start, end} (offsets),
 * startLine, endLine (1-based, of the declaration including its export/const wrapper) }.
 */
export function documentedFunctions(parsers, path, text) {
  const tree = parserFor(parsers, path).parse(text);
  const found = [];
  try {
    const visit = (node) => {
      const children = node.namedChildren;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        const previous = children[i - 1];
        const declaration = documentedDeclaration(child);
        if (
          declaration &&
          previous?.type === 'comment' &&
          previous.text.startsWith('/**') &&
          child.startPosition.row - previous.endPosition.row <= 1
        ) {
          const sentence = firstSentence(previous.text);
          const name = nameOf(declaration) ?? nameOf(child);
          if (sentence && name) {
            found.push({
              name,
              sentence,
              comment: { start: previous.startIndex, end: previous.endIndex },
              startLine: child.startPosition.row + 1,
              endLine: child.endPosition.row + 1,
            });
          }
        }
        if (child.namedChildCount > 0) visit(child);
      }
    };
    visit(tree.rootNode);
  } finally {
    tree.delete();
  }
  return found;
}
