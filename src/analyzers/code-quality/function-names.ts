import type { Rule, SourceCode } from 'eslint';

/**
 * Names and export status of functions in an ESTree (espree) AST. A name must survive edits that
 * move a function, because it goes into a finding's fingerprint: it is built from identifiers
 * (`formatTotal`, `Cart.add`, `module.exports.format`), nested functions carry their enclosing
 * function's name (`render>row`), and a callback is named after what it is passed to (`app.get callback`).
 */

// Loose on purpose: the walk reads a handful of ESTree fields across many node types.
type Node = { type: string; parent?: Node } & Record<string, any>;

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

export function functionName(ruleNode: Rule.Node, sourceCode: SourceCode): string {
  const node = ruleNode as unknown as Node;
  const own = ownName(node, sourceCode);
  let ancestor = node.parent;
  while (ancestor && !FUNCTION_TYPES.has(ancestor.type)) ancestor = ancestor.parent;
  return ancestor ? `${functionName(ancestor as unknown as Rule.Node, sourceCode)}>${own}` : own;
}

function ownName(node: Node, sourceCode: SourceCode): string {
  const parent = node.parent;
  if (node.type === 'FunctionDeclaration' && node.id) return node.id.name;
  switch (parent?.type) {
    case 'VariableDeclarator':
      if (parent.id?.type === 'Identifier') return parent.id.name;
      break;
    case 'AssignmentExpression':
      return sourceCode.getText(parent.left);
    case 'Property':
      return `${ownerName(parent.parent, sourceCode)}.${keyName(parent, sourceCode)}`;
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return `${className(parent.parent?.parent)}.${keyName(parent, sourceCode)}`;
    case 'ExportDefaultDeclaration':
      return 'default';
    case 'CallExpression':
    case 'NewExpression':
      if (parent.callee !== node) return `${sourceCode.getText(parent.callee).replace(/\s+/g, '').slice(0, 60)} callback`;
      break;
  }
  return node.id?.name ?? '<anonymous>';
}

function keyName(property: Node, sourceCode: SourceCode): string {
  const key = property.key;
  if (property.computed) return `[${sourceCode.getText(key)}]`;
  if (key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  return String(key.value);
}

function ownerName(object: Node | undefined, sourceCode: SourceCode): string {
  const parent = object?.parent;
  if (parent?.type === 'VariableDeclarator' && parent.id?.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'AssignmentExpression') return sourceCode.getText(parent.left);
  if (parent?.type === 'Property') return `${ownerName(parent.parent, sourceCode)}.${keyName(parent, sourceCode)}`;
  if (parent?.type === 'ExportDefaultDeclaration') return 'default';
  return '{}';
}

function className(classNode: Node | undefined): string {
  if (classNode?.id?.name) return classNode.id.name;
  const parent = classNode?.parent;
  if (parent?.type === 'VariableDeclarator' && parent.id?.type === 'Identifier') return parent.id.name;
  return 'class';
}

/**
 * The node a JSDoc comment of an exported function sits before (the export statement, the
 * declaration, the `exports.x = …` statement or the property of `module.exports = {…}`), or
 * undefined when the function is not part of the module's exports. Only top-level functions count.
 */
export function exportTarget(ruleNode: Rule.Node): Rule.Node | undefined {
  const node = ruleNode as unknown as Node;
  const parent = node.parent;
  const found = ((): Node | undefined => {
    if (!parent) return undefined;
    if (parent.type === 'ExportNamedDeclaration' || parent.type === 'ExportDefaultDeclaration') return parent;
    if (node.type === 'FunctionDeclaration' && parent.type === 'Program')
      return exportedNames(parent).has(node.id?.name) ? node : undefined;
    if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id?.type === 'Identifier') {
      const declaration = parent.parent;
      if (declaration?.parent?.type === 'ExportNamedDeclaration') return declaration.parent;
      if (declaration?.parent?.type === 'Program' && exportedNames(declaration.parent).has(parent.id.name)) return declaration;
      return undefined;
    }
    if (parent.type === 'AssignmentExpression' && parent.right === node && isExportsMember(parent.left)) {
      const statement = parent.parent;
      return statement?.type === 'ExpressionStatement' && statement.parent?.type === 'Program' ? statement : undefined;
    }
    if (parent.type === 'Property' && parent.value === node) {
      const assignment = parent.parent?.parent;
      const isModuleExports = assignment?.type === 'AssignmentExpression' && isModuleExportsObject(assignment.left);
      return isModuleExports && assignment.parent?.parent?.type === 'Program' ? parent : undefined;
    }
    return undefined;
  })();
  return found as unknown as Rule.Node | undefined;
}

const exportedNamesCache = new WeakMap<Node, Set<string>>();

/** Top-level names a module exports by name: `export { a, b as c }`, `export default a`, `module.exports = { a }`, `exports.x = a`. */
function exportedNames(program: Node): Set<string> {
  const cached = exportedNamesCache.get(program);
  if (cached) return cached;
  const names = new Set<string>();
  for (const statement of program.body as Node[]) {
    if (statement.type === 'ExportNamedDeclaration' && !statement.declaration && !statement.source) {
      for (const specifier of statement.specifiers as Node[]) if (specifier.local?.type === 'Identifier') names.add(specifier.local.name);
    }
    if (statement.type === 'ExportDefaultDeclaration' && statement.declaration?.type === 'Identifier')
      names.add(statement.declaration.name);
    const expression = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
    if (expression?.type === 'AssignmentExpression') {
      const right = expression.right as Node;
      if (isModuleExportsObject(expression.left) && right.type === 'ObjectExpression') {
        for (const property of right.properties as Node[]) if (property.value?.type === 'Identifier') names.add(property.value.name);
      } else if ((isModuleExportsObject(expression.left) || isExportsMember(expression.left)) && right.type === 'Identifier') {
        names.add(right.name);
      }
    }
  }
  exportedNamesCache.set(program, names);
  return names;
}

function isModuleExportsObject(node: Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    node.object?.type === 'Identifier' &&
    node.object.name === 'module' &&
    propertyName(node) === 'exports'
  );
}

/** `module.exports`, `module.exports.x`, `exports.x`. */
function isExportsMember(node: Node): boolean {
  if (isModuleExportsObject(node)) return true;
  if (node.type !== 'MemberExpression') return false;
  const object = node.object as Node;
  return isModuleExportsObject(object) || (object.type === 'Identifier' && object.name === 'exports');
}

function propertyName(member: Node): string | undefined {
  const property = member.property as Node;
  if (!member.computed && property.type === 'Identifier') return property.name;
  return property.type === 'Literal' ? String(property.value) : undefined;
}
