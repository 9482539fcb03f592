import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../../src/cycle/run-cycle.ts';
import { CycleAlreadyRunning } from '../../../src/domain/errors.ts';
import { APPROVER, startSlackHarness, STRANGER, type SlackHarness } from './slack-harness.ts';

function report(type: CycleReport['type']): CycleReport {
  const at = new Date().toISOString();
  return {
    cycleId: `${type}-1`,
    type,
    dryRun: false,
    asOf: at,
    window: { from: at, to: at },
    startedAt: at,
    finishedAt: at,
    analyzers: [],
    findings: 2,
    created: [{ id: 'p1', fingerprint: 'f1', title: 'Cache <!channel> orders', type: 'performance', priority: 'high', reason: 'new' }],
    updated: [],
    suppressed: [],
    wouldCreate: [],
    autoExecuted: [],
    errors: [],
  };
}

describe('/improve', () => {
  let h: SlackHarness;
  const cycles: string[] = [];
  let release: () => void = () => {};
  /** Set by a test: the next cycle finds another one running. */
  let busy = false;

  beforeAll(async () => {
    h = await startSlackHarness({
      surface: {
        async runCycle({ type }) {
          if (busy) throw new CycleAlreadyRunning('busy');
          cycles.push(type);
          await new Promise<void>((resolve) => (release = resolve));
          return { report: report(type) };
        },
        async scheduleStatus() {
          return {
            nextRuns: [{ job: 'daily-analysis', at: '2026-11-25T02:00:00.000Z' }],
            lastRuns: [
              {
                job: 'daily-analysis',
                slot: '2026-11-24T02:00:00.000Z',
                startedAt: '2026-11-24T02:00:00.000Z',
                finishedAt: '2026-11-24T02:03:00.000Z',
                outcome: 'failed',
                error: 'connect ECONNREFUSED 10.0.0.7',
              },
            ],
          };
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.slack.reset());

  const lastAnswer = () => h.slack.responses().at(-1)?.body;

  it('acks at once and answers help, and answers an unknown word with the help', async () => {
    const response = await h.command('help', STRANGER);
    expect(response.status).toBe(200);
    await h.surface.idle();
    expect(lastAnswer()).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain('/improve analyze');
    await h.command('frobnicate', STRANGER);
    await h.surface.idle();
    expect(JSON.stringify(lastAnswer()?.blocks)).toMatch(/Unknown command \\"frobnicate\\"[\s\S]*\/improve metrics/);
  });

  it('shows the metrics', async () => {
    await h.file();
    await h.command('metrics', STRANGER);
    await h.surface.idle();
    expect(lastAnswer()?.text).toBe('Improvement metrics');
    expect(JSON.stringify(lastAnswer()?.blocks)).toMatch(/\*Proposed\*\\n\d+/);
  });

  it('shows each scheduled job’s last outcome and next run with the metrics, and the failure’s text only to approvers', async () => {
    await h.command('metrics', STRANGER);
    await h.surface.idle();
    const forStranger = JSON.stringify(lastAnswer()?.blocks);
    expect(forStranger).toMatch(/daily-analysis\*: last failed 2026-11-24T02:03:00.000Z; next 2026-11-25T02:00:00.000Z/);
    expect(forStranger).not.toContain('10.0.0.7');
    await h.command('metrics', APPROVER);
    await h.surface.idle();
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain('ECONNREFUSED 10.0.0.7');
  });

  it('lists proposals by status and shows one with its buttons', async () => {
    const proposal = await h.file({ title: 'Listed proposal' });
    await h.command('proposals pending', STRANGER);
    await h.surface.idle();
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain('Listed proposal');
    await h.command('proposals nonsense', STRANGER);
    await h.surface.idle();
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain('Unknown status');
    await h.command(`show ${proposal.id}`, STRANGER);
    await h.surface.idle();
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain(`${proposal.id}|${proposal.version}`);
  });

  it('runs a cycle for an approver, acking at once and posting the result in the channel when it ends', async () => {
    const response = await h.command('analyze weekly', APPROVER);
    expect(response.status).toBe(200);
    await h.slack.waitFor(() => h.slack.responses().length === 1);
    expect(lastAnswer()?.text).toMatch(/Starting a weekly cycle/);
    release();
    await h.surface.idle();
    expect(cycles).toEqual(['weekly']);
    expect(lastAnswer()).toMatchObject({ response_type: 'in_channel' });
    expect(lastAnswer()?.text).toMatch(/weekly cycle finished: 1 new/);
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain('Cache &lt;!channel&gt; orders');
  });

  it('says so when a cycle is already running', async () => {
    busy = true;
    await h.command('analyze weekly', APPROVER);
    await h.surface.idle();
    busy = false;
    expect(lastAnswer()?.text).toMatch(/already running/);
  });

  it('refuses a cycle to someone who is not an approver and rejects an unknown cycle type', async () => {
    await h.command('analyze daily', STRANGER);
    await h.surface.idle();
    expect(lastAnswer()?.text).toMatch(/not allowed/);
    await h.command('analyze hourly', APPROVER);
    await h.surface.idle();
    expect(JSON.stringify(lastAnswer()?.blocks)).toContain('Unknown cycle type');
    expect(cycles).toEqual(['weekly']);
  });
});

describe('the cycle result message', () => {
  it('says when the window held no telemetry, so 0 findings does not read as health', async () => {
    const { renderCycleResult } = await import('../../../src/adapters/slack/listeners/improve-command.ts');
    const note = 'No telemetry in the window 2024-05-01 → 2024-05-02: 0 rows; run with --as-of 2026-01-31 to analyze the newest data.';
    const base = { type: 'daily', created: [], updated: [], findings: 0, errors: [] } as unknown as CycleReport;
    expect(JSON.stringify(renderCycleResult({ ...base, notes: [note] }).blocks)).toContain(`:information_source: ${note}`);
    expect(JSON.stringify(renderCycleResult(base).blocks)).not.toContain(':information_source:');
  });
});
