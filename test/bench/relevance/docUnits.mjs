// Documented and defined units of Python, Go and Rust files, read with the same tree-sitter
// grammars the daemon ships: what the relevance bench asks about. JavaScript and TypeScript come
// from ../docTargets.mjs, which this module wraps so every language answers the same two calls:
//   documented(path, text) → [{ name, sentence, blank: [{start, end}], startLine, endLine }]
//   defined(path, text)    → [{ name, startLine, endLine }]
// `blank` are the character ranges of the doc comment, which the bench blanks out of the corpus.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { documentedFunctions, loadParsers } from '../docTargets.mjs';

const require = createRequire(import.meta.url);
const GRAMMARS = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');

const MIN_WORDS = 4;
const MAX_WORDS = 30;

/** The first sentence of doc prose (markup already removed from each line), or undefined when too short or too long. */
export function proseSentence(lines) {
  const prose = [];
  for (const line of lines) {
    const trimmed = line.trim();
    // The summary paragraph ends at a blank line, a code fence, a section or a parameter list.
    if (trimmed === '' && prose.length) break;
    if (/^(```|#|@|:param|:return|Args:|Returns:|Parameters|Example)/.test(trimmed)) break;
    if (trimmed) prose.push(trimmed);
  }
  const text = prose
    .join(' ')
    .replace(/\[`?([^\]`]+)`?\]\([^)]*\)/g, '$1')
    .replace(/\[`([^\]`]+)`\]/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = (/^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text).replace(/[.!?:]$/, '').trim();
  const words = sentence.split(' ').filter((word) => /[A-Za-z]/.test(word)).length;
  return words >= MIN_WORDS && words <= MAX_WORDS ? sentence : undefined;
}

const rows = (node) => [node.startPosition.row + 1, node.endPosition.row + 1 - (node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row ? 1 : 0)];

function walk(node, visit) {
  for (const child of node.namedChildren) {
    visit(child, node);
    if (child.namedChildCount > 0) walk(child, visit);
  }
}

/** Consecutive sibling comments just above `node` (nothing between but attributes), innermost last. */
function commentsAbove(node, isDoc, skippable = () => false) {
  const found = [];
  let row = node.startPosition.row;
  for (let sibling = node.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    if (skippable(sibling)) {
      row = sibling.startPosition.row;
      continue;
    }
    if (!isDoc(sibling) || sibling.endPosition.row < row - 1) break;
    found.unshift(sibling);
    row = sibling.startPosition.row;
  }
  return found;
}

const python = {
  grammar: 'python',
  documented(root) {
    const found = [];
    walk(root, (node, parent) => {
      if (node.type !== 'function_definition') return;
      const body = node.childForFieldName('body');
      const first = body?.namedChildren[0];
      const docstring = first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string' ? first : undefined;
      // A function that is only its docstring would not parse once the docstring is blanked.
      if (!docstring || body.namedChildCount < 2) return;
      const raw = docstring.text.replace(/^[rRuUbB]*("""|'''|"|')/, '').replace(/("""|'''|"|')$/, '');
      const sentence = proseSentence(raw.split('\n'));
      const outer = parent.type === 'decorated_definition' ? parent : node;
      const name = node.childForFieldName('name')?.text;
      if (sentence && name) found.push({ name, sentence, blank: [{ start: docstring.startIndex, end: docstring.endIndex }], range: rows(outer) });
    });
    return found;
  },
  defined(root) {
    const found = [];
    walk(root, (node, parent) => {
      if (node.type !== 'function_definition' && node.type !== 'class_definition') return;
      const name = node.childForFieldName('name')?.text;
      if (name) found.push({ name, range: rows(parent.type === 'decorated_definition' ? parent : node) });
    });
    return found;
  },
};

const GO_UNITS = new Set(['function_declaration', 'method_declaration']);
const go = {
  grammar: 'go',
  documented(root) {
    const found = [];
    walk(root, (node) => {
      if (!GO_UNITS.has(node.type)) return;
      const comments = commentsAbove(node, (n) => n.type === 'comment' && n.text.startsWith('//'));
      const name = node.childForFieldName('name')?.text;
      if (!comments.length || !name) return;
      const sentence = proseSentence(comments.map((c) => c.text.replace(/^\/\/\s?/, '')));
      if (sentence) found.push({ name, sentence, blank: comments.map((c) => ({ start: c.startIndex, end: c.endIndex })), range: rows(node) });
    });
    return found;
  },
  defined(root) {
    const found = [];
    walk(root, (node) => {
      if (GO_UNITS.has(node.type)) {
        const name = node.childForFieldName('name')?.text;
        if (name) found.push({ name, range: rows(node) });
      } else if (node.type === 'type_spec') {
        const name = node.childForFieldName('name')?.text;
        if (name) found.push({ name, range: rows(node.parent?.type === 'type_declaration' ? node.parent : node) });
      }
    });
    return found;
  },
};

const RUST_UNITS = new Set(['function_item', 'function_signature_item']);
const RUST_DEFINED = new Set(['function_item', 'function_signature_item', 'struct_item', 'enum_item', 'trait_item', 'type_item']);
const isOuterDoc = (node) => node.type === 'line_comment' && node.text.startsWith('///') && !node.text.startsWith('////');
const rust = {
  grammar: 'rust',
  documented(root) {
    const found = [];
    walk(root, (node) => {
      if (!RUST_UNITS.has(node.type)) return;
      const comments = commentsAbove(node, isOuterDoc, (n) => n.type === 'attribute_item');
      const name = node.childForFieldName('name')?.text;
      if (!comments.length || !name) return;
      const sentence = proseSentence(comments.map((c) => c.text.replace(/^\/\/\/\s?/, '')));
      if (sentence) found.push({ name, sentence, blank: comments.map((c) => ({ start: c.startIndex, end: c.endIndex })), range: rows(node) });
    });
    return found;
  },
  defined(root) {
    const found = [];
    walk(root, (node) => {
      if (!RUST_DEFINED.has(node.type)) return;
      const name = node.childForFieldName('name')?.text;
      if (name) found.push({ name, range: rows(node) });
    });
    return found;
  },
};

const JS_DEFINED = new Set(['function_declaration', 'generator_function_declaration', 'method_definition', 'class_declaration', 'abstract_class_declaration', 'interface_declaration']);
const jsDefined = (root) => {
  const found = [];
  walk(root, (node) => {
    if (!JS_DEFINED.has(node.type)) return;
    const name = node.childForFieldName('name')?.text;
    if (name) found.push({ name, range: rows(node) });
  });
  return found;
};

/** Readers for one language of the bench: `documented` and `defined` over a file's text. */
export async function unitReader(language) {
  await Parser.init();
  if (language === 'typescript') {
    const parsers = await loadParsers();
    const parse = (path, text) => (/\.(ts|mts|cts)$/.test(path) ? parsers.typescript : parsers.javascript).parse(text);
    return {
      documented(path, text) {
        return documentedFunctions(parsers, path, text)
          .filter((doc) => text.slice(doc.comment.start, doc.comment.end).startsWith('/**'))
          .map((doc) => ({ name: doc.name, sentence: doc.sentence, blank: [doc.comment], range: [doc.startLine, doc.endLine] }));
      },
      defined: (path, text) => withTree(parse(path, text), jsDefined),
    };
  }
  const rules = { python, go, rust }[language];
  const parser = new Parser();
  parser.setLanguage(await Language.load(join(GRAMMARS, `tree-sitter-${rules.grammar}.wasm`)));
  return {
    documented: (_path, text) => withTree(parser.parse(text), (root) => rules.documented(root)),
    defined: (_path, text) => withTree(parser.parse(text), (root) => rules.defined(root)),
  };
}

function withTree(tree, read) {
  try {
    return read(tree.rootNode);
  } finally {
    tree.delete();
  }
}
