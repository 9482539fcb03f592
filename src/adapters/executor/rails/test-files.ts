import { parsePatch, type ParsedPatch } from './patch-parser.ts';

/**
 * Which paths are tests, and which existing ones a change edits, deletes or renames. A change that
 * weakens the tests it is judged by must say so (see declaresTestChanges in git-executor.ts);
 * adding a new test file cannot weaken the existing ones, so it needs no declaration.
 */

const TEST_DIR = /(^|\/)(test|tests|__tests__|spec|specs|__mocks__|__snapshots__)\//i;
const TEST_NAME = /(^|\/)[^/]*[._-](test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|(^|\/)[^/]*_test\.(py|go)$/i;
/** Runner configuration decides which tests run at all. */
const RUNNER_CONFIG = /(^|\/)(vitest|vite|jest|ava|playwright)\.config\.[cm]?[jt]s$|(^|\/)\.mocharc(\.[a-z]+)?$|(^|\/)\.taprc$/i;

export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_NAME.test(path) || RUNNER_CONFIG.test(path);
}

/** Test files of the base tree that the change modifies, deletes or moves away. */
export function editedTestFiles(parsed: ParsedPatch): string[] {
  const edited = new Set<string>();
  for (const file of parsed.files) {
    if (file.oldPath !== null && file.kind !== 'copy' && isTestPath(file.oldPath)) edited.add(file.oldPath);
  }
  return [...edited];
}

/** Test files a patch adds, edits, deletes or moves, parsed as the rails parse it: what an approver is shown. */
export function testFilesTouched(patch: string): string[] {
  const touched = new Set<string>();
  for (const file of parsePatch(patch).files) {
    for (const name of [file.oldPath, file.newPath]) if (name !== null && isTestPath(name)) touched.add(name);
  }
  return [...touched];
}
