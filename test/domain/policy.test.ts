import { describe, expect, it } from 'vitest';
import { autoExecutionVerdict, autoFixQuotaKey } from '../../src/domain/policy.ts';

const on = { autoExecute: true, maxAutoFixesPerDay: 5 };

describe('the auto-execution policy', () => {
  it('never lets anything run on its own while auto-execution is off', () => {
    expect(autoExecutionVerdict({ type: 'bug_fix', priority: 'low' }, { ...on, autoExecute: false })).toEqual({
      eligible: false,
      reason: 'auto-execution is off',
    });
  });

  it('always asks a person for features, whatever their priority', () => {
    for (const priority of ['low', 'medium', 'high', 'critical'] as const) {
      expect(autoExecutionVerdict({ type: 'feature', priority }, on).eligible).toBe(false);
    }
  });

  it('asks a person for critical, high and medium bug fixes, not for low ones', () => {
    expect(autoExecutionVerdict({ type: 'bug_fix', priority: 'critical' }, on)).toMatchObject({
      eligible: false,
      reason: 'critical bug fixes need approval',
    });
    expect(autoExecutionVerdict({ type: 'bug_fix', priority: 'high' }, on).eligible).toBe(false);
    expect(autoExecutionVerdict({ type: 'bug_fix', priority: 'medium' }, on).eligible).toBe(false);
    expect(autoExecutionVerdict({ type: 'bug_fix', priority: 'low' }, on).eligible).toBe(true);
  });

  it('lets code-quality tests and docs run, but not refactors', () => {
    expect(autoExecutionVerdict({ type: 'code_quality', priority: 'medium', category: 'tests' }, on).eligible).toBe(true);
    expect(autoExecutionVerdict({ type: 'code_quality', priority: 'medium', category: 'docs' }, on).eligible).toBe(true);
    expect(autoExecutionVerdict({ type: 'code_quality', priority: 'low', category: 'refactor' }, on).eligible).toBe(false);
    expect(autoExecutionVerdict({ type: 'performance', priority: 'low' }, on).eligible).toBe(false);
    expect(autoExecutionVerdict({ type: 'learning', priority: 'low' }, on).eligible).toBe(false);
  });

  it('never runs a security proposal without a click, even a low-priority one', () => {
    expect(autoExecutionVerdict({ type: 'security', priority: 'low', category: 'dependency' }, on)).toEqual({
      eligible: false,
      reason: 'security proposals need approval',
    });
    expect(autoExecutionVerdict({ type: 'security', priority: 'critical', category: 'secret' }, on).eligible).toBe(false);
  });

  it('refuses everything when the daily quota is zero', () => {
    expect(autoExecutionVerdict({ type: 'bug_fix', priority: 'low' }, { autoExecute: true, maxAutoFixesPerDay: 0 }).eligible).toBe(false);
  });

  it('keys the quota by UTC day', () => {
    expect(autoFixQuotaKey(new Date('2026-03-04T23:59:59Z'))).toBe('auto-fixes:2026-03-04');
  });
});
