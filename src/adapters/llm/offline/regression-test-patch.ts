import path from 'node:path';
import type { SourceCode } from 'eslint';
import type * as ESTree from 'estree';
import { messageText } from '../../../analyzers/bugs/bug-title.ts';
import type { StackFrame } from '../../../analyzers/errors/stack-frames.ts';
import type { Finding } from '../../../domain/finding.ts';
import { stripInvisible } from '../invisible-characters.ts';
import { placeOf } from './argument-places.ts';
import { argumentTexts, type Fact } from './argument-values.ts';
import { optionalChainFix, valuesByKeysFix, type DerivedFix } from './bug-fix-rules.ts';
import { exportedFunctionAt, propertyReadAt, throwAt, type Culprit } from './culprit-site.ts';
import { fileDiff } from './file-diff.ts';
import { newFileDiff } from './line-edits-diff.ts';
import { literalValue, messageValues } from './message-values.ts';
import { parseModule } from './module-source.ts';

/**
 * A bug's regression test, drafted without a model, for an error whose top in-app frame is in an
 * exported function of an ES module tested with `node --test`: the test calls that function with
 * the inputs the recorded message implies (the values a `throw new X(`…${item.quantity}…`)` put in
 * it, or the undefined object a `Cannot read properties of undefined (reading 'p')` read) and
 * asserts it no longer throws. When the fix follows from the code at the line (bug-fix-rules.ts)
 * the patch holds the test and the fix, so the trial shows the test passing; otherwise the test is
 * given in the plan only, since a patch whose own test fails can pass neither the trial nor Execute.
 */

export interface RegressionTestDraft {
  plan: string;
  /** The test and the fix; absent when no fix follows from the code. */
  patch?: string;
  testFile: string;
  test: string;
}

const PROPERTY_OF_NOTHING = [
  /^Cannot read properties of (undefined|null) \(reading '([^']+)'\)$/,
  /^Cannot read property '([^']+)' of (undefined|null)$/,
];

export async function regressionTestPatch(
  finding: Finding,
  readFile: (file: string) => Promise<string | null>,
): Promise<RegressionTestDraft | null> {
  if (finding.type !== 'bug_fix') return null;
  const details = finding.details ?? {};
  const frame = (details['frames'] as StackFrame[] | undefined)?.[0];
  const example = details['example'];
  const type = typeof details['exceptionType'] === 'string' ? details['exceptionType'] : 'Error';
  if (!frame || typeof example !== 'string' || !/\.m?js$/.test(frame.file)) return null;
  const read = (file: string) => readFile(file).catch(() => null);
  const [content, manifest] = await Promise.all([read(frame.file), read('package.json')]);
  const runner = content === null ? null : nodeTestRunner(manifest, frame.file);
  const source = runner ? parseModule(content!) : null;
  const culprit = source && exportedFunctionAt(source, frame.line);
  if (!source || !culprit || !runner) return null;
  const message = messageText(example, type);
  const reproduction = reproduce(source, culprit, frame, type, message);
  if (!reproduction) return null;
  const args = argumentTexts(reproduction.facts, culprit.paramNames, reproduction.fix?.hints ?? []);
  if (!args) return null;

  const testFile = `test/${kebab(culprit.name)}.regression.test${runner.extension}`;
  if ((await read(testFile)) !== null) return null;
  const recorded = stripInvisible(`${type}: ${message}`);
  const test = testText({ culprit, args, modulePath: frame.file, testFile, frame, recorded });
  const where = `${frame.file}:${frame.line}`;
  const calls = `\`${culprit.name}(${args.join(', ')})\``;
  const imports = importsRead(source, culprit);
  const depends = imports.length
    ? ` ${culprit.name} also reads ${imports.map((name) => `\`${name}\``).join(', ')} (imported), so whether it throws depends on what that holds too.`
    : '';
  if (!reproduction.fix) {
    return {
      testFile,
      test,
      plan:
        `The test below calls ${calls}, the inputs the recorded error implies, and asserts it no longer throws "${recorded}"; ` +
        `at HEAD it should fail with that error.${depends} No fix follows from the code alone: ${reproduction.why} at ${where}, ` +
        `so whether the code or its input is wrong is for a person to decide. The test is not attached as a patch, since a patch ` +
        `whose own test fails passes neither the trial nor Execute: add it as ${testFile} with the fix.\n\n\`\`\`js\n${test}\`\`\``,
    };
  }
  return {
    testFile,
    test,
    patch: `${newFileDiff(testFile, test)}${fileDiff(frame.file, content!, reproduction.fix.after)}`,
    plan:
      `The patch adds ${testFile}, a regression test: it calls ${calls}, the inputs the recorded error implies, and asserts it ` +
      `no longer throws "${recorded}", which it does without the fix.${depends} The fix, at ${where}: ${culprit.name} now ` +
      `${reproduction.fix.says}. It follows from the code at that line; whether callers expect the new result is worth a look before approving.`,
  };
}

/** Imported bindings the culprit reads (a database client, a provider): their state is part of what the test runs against. */
function importsRead(source: SourceCode, culprit: Culprit): string[] {
  const scope = source.scopeManager?.acquire(culprit.fn as never);
  const names = new Set<string>();
  for (const reference of scope?.through ?? []) {
    if (reference.resolved?.defs.some((d) => d.type === 'ImportBinding')) names.add(reference.identifier.name);
  }
  return [...names];
}

interface Reproduction {
  facts: Fact[];
  fix: DerivedFix | null;
  /** Why no fix was derived, for the plan. */
  why: string;
}

function reproduce(source: SourceCode, culprit: Culprit, frame: StackFrame, type: string, message: string): Reproduction | null {
  for (const pattern of PROPERTY_OF_NOTHING) {
    const match = pattern.exec(message);
    if (!match || type !== 'TypeError') continue;
    const [nothing, property] = pattern === PROPERTY_OF_NOTHING[0] ? [match[1]!, match[2]!] : [match[2]!, match[1]!];
    const member = propertyReadAt(culprit.fn, frame.line, frame.column, property);
    const place = member && placeOf(member.object, source, culprit.fn);
    if (!member || !place) return null;
    const fix = optionalChainFix(source, culprit.fn, member);
    return {
      facts: [{ place, value: nothing === 'null' ? null : undefined }],
      fix,
      why: `\`${source.getText(member)}\` cannot take optional chaining`,
    };
  }
  const site = throwAt(culprit.fn, frame.line);
  if (!site || (type !== 'Error' && site.errorClass !== type)) return null;
  const values = messageValues(site.quasis, message);
  if (!values) return null;
  const facts: Fact[] = [];
  for (const [i, expression] of site.expressions.entries()) {
    const place = placeOf(expression, source, culprit.fn);
    // An interpolated value the arguments do not determine (a call's result): the test could not reproduce it.
    if (!place) return null;
    facts.push({ place, value: literalValue(values[i]!) });
  }
  if (!facts.length) return null;
  const fix = valuesByKeysFix(source, culprit.fn, site.guard);
  const check = site.guard
    ? `the check \`${source.getText(site.guard as ESTree.Node)}\` throws ${site.errorClass} on purpose`
    : `${site.errorClass} is thrown on purpose`;
  return { facts, fix, why: check };
}

/** The test file's extension when the repository runs `node --test` on ES modules; null otherwise. */
function nodeTestRunner(manifest: string | null, file: string): { extension: string } | null {
  if (manifest === null) return null;
  let parsed: { type?: unknown; scripts?: { test?: unknown } };
  try {
    parsed = JSON.parse(manifest) as typeof parsed;
  } catch {
    return null;
  }
  const script = parsed.scripts?.test;
  const run = typeof script === 'string' ? /(?:^|[\s;&|])node\s+(?:--[\w-]+(?:=\S+)?\s+)*--test\b([^;&|]*)/.exec(script) : null;
  if (!run) return null;
  // Files named after --test are all it runs: the new test must be among them.
  const named = run[1]!.split(/\s+/).filter((a) => a && !a.startsWith('-'));
  if (named.length && !named.some((a) => /^(?:\.\/)?test(?:\/|$)/.test(a))) return null;
  if (parsed.type === 'module') return { extension: '.js' };
  return file.endsWith('.mjs') ? { extension: '.mjs' } : null;
}

interface TestFacts {
  culprit: Culprit;
  args: string[];
  modulePath: string;
  testFile: string;
  frame: StackFrame;
  recorded: string;
}

function testText({ culprit, args, modulePath, testFile, frame, recorded }: TestFacts): string {
  let specifier = path.posix.relative(path.posix.dirname(testFile), modulePath);
  if (!specifier.startsWith('.')) specifier = `./${specifier}`;
  const oneLine = `${culprit.name}(${args.join(', ')})`;
  // Long inputs go one argument a line, as a formatter would lay them out.
  const call = oneLine.length <= 80 ? ` ${oneLine}` : `\n    ${culprit.name}(\n${args.map((a) => `      ${a},\n`).join('')}    ),\n  `;
  const assertion = culprit.isAsync ? `await assert.doesNotReject(() =>${call});` : `assert.doesNotThrow(() =>${call});`;
  const title = `${culprit.name} does not throw ${quoteForTitle(recorded)} again`;
  return [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    `import { ${culprit.name} } from '${specifier}';`,
    '',
    `// Reproduces the error recorded at ${frame.file}:${frame.line} in ${culprit.name}, with the inputs its message implies.`,
    `test(${quoteForTitle(`${title}`, true)}, ${culprit.isAsync ? 'async ' : ''}() => {`,
    `  ${assertion}`,
    '});',
    '',
  ].join('\n');
}

function quoteForTitle(text: string, asLiteral = false): string {
  const shown = text.length > 120 ? `${text.slice(0, 119)}…` : text;
  if (!asLiteral) return `"${shown.replace(/"/g, "'")}"`;
  return `'${shown
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/[\r\n\u2028\u2029]/g, ' ')}'`;
}

function kebab(name: string): string {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z\d-]+/g, '-')
    .toLowerCase();
}
