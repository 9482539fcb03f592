import type { TestCounts } from '../../domain/proposal.ts';
import type { SandboxResult } from './sandbox/test-sandbox.ts';

/**
 * How a test run went, from the summary the common runners print: node --test (TAP `# pass 12` or
 * spec `ℹ pass 12`), vitest (`Tests  1 failed | 12 passed | 2 skipped (15)`), jest
 * (`Tests: 1 failed, 2 skipped, 12 passed, 15 total`), mocha (`12 passing`, `2 pending`, `1 failing`).
 *
 * The tests can write to the same output, so a line that looks like a summary may be forged: the
 * summary that comes last wins, since the runner prints its own after every test has finished.
 */
export function readTestCounts(rawOutput: string): TestCounts | null {
  // eslint-disable-next-line no-control-regex -- colour codes are control characters by definition
  const output = rawOutput.replace(/\u001b\[[0-9;]*m/g, '');
  const candidates: Array<{ at: number; counts: TestCounts }> = [];
  const lastOf = (regex: RegExp) => {
    let found: RegExpExecArray | null = null;
    for (const match of output.matchAll(regex)) found = match;
    return found;
  };
  const node = lastOf(/^(?:#|ℹ) pass (\d+)$/gm);
  if (node) {
    const after = output.slice(node.index);
    const num = (name: string) => Number(new RegExp(`^(?:#|ℹ) ${name} (\\d+)$`, 'm').exec(after)?.[1] ?? 0);
    candidates.push({ at: node.index, counts: { passed: Number(node[1]), failed: num('fail'), skipped: num('skipped') + num('todo') } });
  }
  const vitest = lastOf(/^\s*Tests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/gm);
  if (vitest) candidates.push({ at: vitest.index, counts: tally(vitest[1]!, /(\d+) (\w+)/g) });
  const jest = lastOf(/^Tests:\s+(.*\d+ total)$/gm);
  if (jest) candidates.push({ at: jest.index, counts: tally(jest[1]!, /(\d+) (\w+)/g) });
  const mocha = lastOf(/^\s*(\d+) passing\b/gm);
  if (mocha) {
    const after = output.slice(mocha.index);
    const num = (name: string) => Number(new RegExp(`^\\s*(\\d+) ${name}\\b`, 'm').exec(after)?.[1] ?? 0);
    candidates.push({ at: mocha.index, counts: { passed: Number(mocha[1]), failed: num('failing'), skipped: num('pending') } });
  }
  candidates.sort((a, b) => b.at - a.at);
  return candidates[0]?.counts ?? null;
}

function tally(text: string, regex: RegExp): TestCounts {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const [, n, word] of text.matchAll(regex)) {
    if (word === 'passed') counts.passed += Number(n);
    else if (word === 'failed') counts.failed += Number(n);
    else if (word === 'skipped' || word === 'todo') counts.skipped += Number(n);
  }
  return counts;
}

export function describeCounts(counts: TestCounts): string {
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`;
}

/** One line saying how a test run went; falls back to the exit code when no runner is recognised. */
export function summarizeTestRun(result: SandboxResult): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.timedOut) return `tests timed out after ${seconds} and were killed`;
  const counts = readTestCounts(result.output);
  const exit = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit ${result.exitCode}`;
  const verdict = result.exitCode === 0 ? 'tests passed' : `tests failed (${exit})`;
  return counts ? `${verdict}: ${describeCounts(counts)} in ${seconds}` : `${verdict} in ${seconds}`;
}

/** The last lines of the output, for the proposal's record (Slack shows only a few hundred characters). */
export function outputTail(output: string, maxChars = 4000): string {
  return output.length > maxChars ? `…${output.slice(-maxChars)}` : output;
}
