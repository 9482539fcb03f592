import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.ts';
import type { Proposal, ProposalStatus } from '../../src/domain/proposal.ts';
import { decideFiling } from '../../src/proposals/filing.ts';
import { makeDraft } from '../helpers/drafts.ts';

const finding = (magnitude: number): Finding => ({
  analyzer: 'performance',
  type: 'performance',
  fingerprint: 'fp',
  title: 't',
  summary: 's',
  evidence: [],
  priority: 'high',
  magnitude,
});

const proposal = (status: ProposalStatus, magnitude: number): Proposal => ({
  ...makeDraft({ fingerprint: 'fp', magnitude }),
  id: 'performance-1',
  status,
  version: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  history: [],
});

describe('filing a finding', () => {
  it('creates a proposal for a finding never seen', () => {
    expect(decideFiling(null, finding(10), 1.5).action).toBe('create');
  });

  it('updates the pending proposal of a finding seen again', () => {
    expect(decideFiling(proposal('pending', 10), finding(11), 1.5).action).toBe('refresh');
  });

  it('leaves a proposal a person already approved as they approved it', () => {
    for (const status of ['approved', 'executing', 'failed'] as const) {
      expect(decideFiling(proposal(status, 10), finding(11), 1.5)).toMatchObject({
        action: 'suppress',
        reason: expect.stringContaining(`is ${status}`),
      });
    }
  });

  it('does not ask again about a rejected finding unless it grew by the configured factor', () => {
    expect(decideFiling(proposal('rejected', 100), finding(149), 1.5)).toMatchObject({ action: 'suppress' });
    expect(decideFiling(proposal('rejected', 100), finding(150), 1.5)).toMatchObject({
      action: 'create',
      reason: expect.stringContaining('grew from 100 to 150'),
    });
  });

  it('files again after a rollback', () => {
    expect(decideFiling(proposal('rolled_back', 100), finding(1), 1.5).action).toBe('create');
  });
});
