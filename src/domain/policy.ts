import type { Proposal } from './proposal.ts';

/** The part of the configuration the policy reads; the config module's `analysis` section is one. */
export interface AutoExecutionSettings {
  autoExecute: boolean;
  maxAutoFixesPerDay: number;
}

export interface AutoExecutionVerdict {
  eligible: boolean;
  reason: string;
}

/**
 * The seed's approval policy: features always need a person; critical bug fixes need a person;
 * code-quality tests/docs and low-priority bug fixes may run without a click, but only when
 * auto-execution is switched on (and, checked by the caller, within the daily quota).
 */
export function autoExecutionVerdict(
  proposal: Pick<Proposal, 'type' | 'priority' | 'category'>,
  settings: AutoExecutionSettings,
): AutoExecutionVerdict {
  if (!settings.autoExecute) return { eligible: false, reason: 'auto-execution is off' };
  if (settings.maxAutoFixesPerDay <= 0) return { eligible: false, reason: 'the daily auto-fix quota is 0' };
  if (proposal.type === 'feature') return { eligible: false, reason: 'features always need approval' };
  if (proposal.type === 'bug_fix') {
    if (proposal.priority === 'critical') return { eligible: false, reason: 'critical bug fixes need approval' };
    if (proposal.priority === 'low') return { eligible: true, reason: 'low-priority bug fix' };
    return { eligible: false, reason: `${proposal.priority}-priority bug fixes need approval` };
  }
  if (proposal.type === 'code_quality' && (proposal.category === 'tests' || proposal.category === 'docs')) {
    return { eligible: true, reason: `code-quality ${proposal.category} change` };
  }
  return { eligible: false, reason: `${proposal.type.replace('_', ' ')} proposals need approval` };
}

/** Quota key for the auto-fixes of one UTC day. */
export function autoFixQuotaKey(now: Date): string {
  return `auto-fixes:${now.toISOString().slice(0, 10)}`;
}
