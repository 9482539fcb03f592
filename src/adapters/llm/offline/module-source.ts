import { Linter, type Rule, type SourceCode } from 'eslint';

/**
 * An ES module as ESLint parses it: the AST with every node's parent set, and its scopes, so a
 * writer can ask what a name at a given line is bound to. null when the text does not parse as a
 * module (CommonJS that uses top-level return, TypeScript, JSX).
 */
export function parseModule(content: string): SourceCode | null {
  captured = undefined;
  const messages = linter.verify(
    content,
    [
      {
        files: ['**/*.js'],
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        plugins: { read: { rules: { source: capture } } },
        rules: { 'read/source': 'error' },
      },
    ],
    'module.js',
  );
  if (messages.some((m) => m.fatal)) return null;
  return captured ?? null;
}

const linter = new Linter({ configType: 'flat' });
let captured: SourceCode | undefined;

// Parents are set while ESLint walks the tree, so the source is kept once the walk is over.
const capture: Rule.RuleModule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      'Program:exit'() {
        captured = context.sourceCode;
      },
    };
  },
};
