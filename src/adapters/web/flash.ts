import type { Proposal } from '../../domain/proposal.ts';

/**
 * Messages after a decision travel as a code in the query string (PRG), never as text: a link
 * someone sends cannot put words of its own on the page. Details come from the proposal as it is now.
 */
export const FLASH_CODES = [
  'approved',
  'rejected',
  'executed',
  'execution_started',
  'rolled_back',
  'duplicate',
  'conflict',
  'illegal',
  'reason_missing',
  'reason_too_long',
  'invalid',
  'executor_unavailable',
  'repository_busy',
] as const;
export type FlashCode = (typeof FLASH_CODES)[number];

export interface Flash {
  kind: 'ok' | 'error';
  message: string;
}

export function flashFor(code: unknown, p: Proposal): Flash | undefined {
  if (typeof code !== 'string' || !(FLASH_CODES as readonly string[]).includes(code)) return undefined;
  const now = `it is ${p.status.replace('_', ' ')} now (version ${p.version})`;
  switch (code as FlashCode) {
    case 'approved':
      return { kind: 'ok', message: 'Approved.' };
    case 'rejected':
      return { kind: 'ok', message: 'Rejected.' };
    case 'executed':
      // The code says the run ended, not how: a failure is shown as one, never in a success box.
      if (p.status === 'failed')
        return {
          kind: 'error',
          message: `Execution failed${p.execution?.error ? `: ${p.execution.error}` : ''}. Nothing was changed on the base branch.`,
        };
      if (p.status === 'implemented')
        return { kind: 'ok', message: `Implemented${p.execution?.branch ? ` on ${p.execution.branch}` : ''}.` };
      return { kind: 'ok', message: `Execution ended: ${now}.` };
    case 'execution_started':
      return { kind: 'ok', message: 'Execution started; its tests are still running. Reload this page to see the result.' };
    case 'rolled_back':
      return { kind: 'ok', message: 'Rolled back.' };
    case 'duplicate':
      return { kind: 'ok', message: `That form was already submitted once; it was applied only once, and ${now}.` };
    case 'conflict':
      return {
        kind: 'error',
        message: `Someone changed this proposal while you were looking at it: ${now}. Nothing was applied; review the page as it is now and decide again.`,
      };
    case 'illegal':
      return { kind: 'error', message: `That decision is not possible any more: ${now}. Nothing was applied.` };
    case 'reason_missing':
      return { kind: 'error', message: 'A reason is required for that decision. Nothing was applied.' };
    case 'reason_too_long':
      return { kind: 'error', message: 'A reason is at most 2000 characters. Nothing was applied.' };
    case 'invalid':
      return { kind: 'error', message: 'The form was incomplete or malformed. Nothing was applied; reload the page and try again.' };
    case 'repository_busy':
      return { kind: 'error', message: 'Another change is running on this repository; try again in a few minutes. Nothing was changed.' };
    case 'executor_unavailable':
      return { kind: 'error', message: 'No executor is available on this installation, so nothing was executed or rolled back.' };
  }
}
