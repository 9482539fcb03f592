import type { SandboxResult } from './sandbox/test-sandbox.ts';

/**
 * One line saying how a test run went, from the counts the common runners print: node --test
 * (`# pass 12`), vitest (`Tests  12 passed`), jest (`Tests: 1 failed, 12 passed`), mocha (`12 passing`).
 * Falls back to the exit code when no runner is recognised.
 */
export function summarizeTestRun(result: SandboxResult): string {
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.timedOut) return `tests timed out after ${seconds} and were killed`;
  const counts = countTests(result.output);
  const exit = result.exitCode === null ? `killed by ${result.signal ?? 'a signal'}` : `exit ${result.exitCode}`;
  const verdict = result.exitCode === 0 ? 'tests passed' : `tests failed (${exit})`;
  return counts ? `${verdict}: ${counts} in ${seconds}` : `${verdict} in ${seconds}`;
}

function countTests(output: string): string | null {
  const last = (regex: RegExp) => {
    let found: RegExpExecArray | null = null;
    for (const match of output.matchAll(regex)) found = match;
    return found;
  };
  const nodePass = last(/^# pass (\d+)$/gm);
  if (nodePass) return `${nodePass[1]} passed, ${last(/^# fail (\d+)$/gm)?.[1] ?? 0} failed`;
  const vitest = last(/Tests\s+(?:(\d+) failed \| )?(\d+) passed/g);
  if (vitest) return `${vitest[2]} passed, ${vitest[1] ?? 0} failed`;
  const jest = last(/Tests:\s+(?:(\d+) failed, )?(?:\d+ skipped, )?(\d+) passed/g);
  if (jest) return `${jest[2]} passed, ${jest[1] ?? 0} failed`;
  const mocha = last(/(\d+) passing/g);
  if (mocha) return `${mocha[1]} passed, ${last(/(\d+) failing/g)?.[1] ?? 0} failed`;
  return null;
}

/** The last lines of the output, for the proposal's record (Slack shows only a few hundred characters). */
export function outputTail(output: string, maxChars = 4000): string {
  return output.length > maxChars ? `…${output.slice(-maxChars)}` : output;
}
