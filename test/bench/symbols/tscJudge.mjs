// A third opinion for JavaScript and TypeScript, where ctags's parsers are weakest: the TypeScript
// compiler's own syntax tree. symbolsAgreement.mjs asks it about each disagreement between ctags
// and Ferret: is there really a function, method, class, interface, type, enum or namespace of
// that name on that line? Declarations count at their first line after decorators and at the line
// of their name, since the two tools may pick either.
import ts from 'typescript';

/** `name\0line` of every definition the compiler sees in one file. */
export function compilerDefinitions(path, text) {
  const kind = /\.(ts|mts|cts)$/.test(path) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
  const found = new Set();
  const lineOf = (position) => file.getLineAndCharacterOfPosition(position).line + 1;
  const add = (name, node) => {
    if (!name) return;
    found.add(`${nameText(name, file)}\0${lineOf(name.getStart(file))}`);
    const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
    const after = decorators.length ? decorators[decorators.length - 1].end : node.pos;
    found.add(`${nameText(name, file)}\0${lineOf(ts.skipTrivia(text, after))}`);
  };
  const visit = (node) => {
    if (
      ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) || ts.isEnumDeclaration(node) || ts.isModuleDeclaration(node) || ts.isMethodDeclaration(node) ||
      ts.isMethodSignature(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isFunctionExpression(node)
    ) {
      add(node.name, node);
    } else if (ts.isConstructorDeclaration(node)) {
      found.add(`constructor\0${lineOf(node.getStart(file))}`);
    } else if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) && isFunctionLike(node.initializer)) {
      add(node.name, node);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isFunctionLike(node.right)) {
      const target = ts.isPropertyAccessExpression(node.left) ? node.left.name : node.left;
      // `module.exports = function parse() {…}` defines `parse`; `exports` names the module, not it.
      if ((ts.isIdentifier(target) || ts.isPrivateIdentifier(target)) && target.text !== 'exports') add(target, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function isFunctionLike(node) {
  return node !== undefined && (ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isClassExpression(node));
}

function nameText(name, file) {
  return ts.isStringLiteral(name) || ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name.text : name.getText(file);
}
