import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../../src/adapters/slack/views/action-ids.ts';
import type { ChangeOutcome } from '../../../src/domain/outcome.ts';
import { startSlackHarness, type SlackHarness } from './slack-harness.ts';

const outcome = (proposalId: string, verdict: ChangeOutcome['verdict']): ChangeOutcome => ({
  proposalId,
  type: 'performance',
  measure: 'hourly p95 of GET /api/orders/:id',
  changedAt: '2026-01-15T00:00:00.000Z',
  marker: 'implemented',
  windowDays: 7,
  before: 410,
  after: 590,
  unit: 'ms (median hourly p95)',
  test: 'mann-whitney',
  effect: { kind: 'ratio', estimate: 1.44, low: 1.38, high: 1.5 },
  pValue: 1e-12,
  verdict,
  measuredAt: '2026-01-23T00:00:00.000Z',
});

describe('a before/after verdict in the proposal thread', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  it('asks for a rollback with the Roll back button when an implemented change made things worse', async () => {
    const proposal = await h.file();
    const parent = h.slack.calls('chat.postMessage')[0]!;
    const implemented = { ...proposal, status: 'implemented' as const, version: proposal.version + 3 };
    await h.surface.notifier.changeOutcome!(implemented, outcome(proposal.id, 'worse'));
    const [reply] = h.slack.calls('chat.postMessage').slice(1);
    expect(reply?.body.thread_ts).toBe(parent.response?.ts);
    const sent = JSON.stringify(reply?.body.blocks);
    expect(sent).toContain('It made things worse');
    expect(sent).toContain('hourly p95 of GET /api/orders/:id 410 → 590 ms (×1.44, 95% CI ×1.38–×1.50, p &lt; 0.001, 7 days each side)');
    expect(sent).toContain(ACTIONS.rollback);
    expect(sent).toContain(`${proposal.id}|${implemented.version}`);
  });

  it('says an improvement without offering any button', async () => {
    const proposal = await h.file();
    await h.surface.notifier.changeOutcome!(
      { ...proposal, status: 'implemented' as const },
      { ...outcome(proposal.id, 'improved'), after: 200 },
    );
    const [reply] = h.slack.calls('chat.postMessage').slice(1);
    const sent = JSON.stringify(reply?.body.blocks);
    expect(sent).toContain('It helped');
    expect(sent).not.toContain(ACTIONS.rollback);
  });

  it('names the deploy marker the after window started at', async () => {
    const proposal = await h.file();
    const markedBy = 'deploy ci-812 to production (commit 4f2c9ab0), which names the change, reported to the API';
    await h.surface.notifier.changeOutcome!(
      { ...proposal, status: 'merged' as const },
      { ...outcome(proposal.id, 'improved'), marker: 'deployed', markedBy },
    );
    const sent = JSON.stringify(h.slack.calls('chat.postMessage').slice(1)[0]?.body.blocks);
    expect(sent).toContain(`(deployed 2026-01-15T00:00:00.000Z: ${markedBy})`);
  });
});
