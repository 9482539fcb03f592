import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PROPOSAL_TYPES, STATUSES } from '../../domain/proposal.ts';
import type { CycleReport } from '../../cycle/run-cycle.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { JobRecord } from '../../schedule/job-runner.ts';

export interface PrometheusMetrics {
  contentType: string;
  render(): Promise<string>;
  /** Records a finished cycle (duration, findings per analyzer, outcome). */
  observeCycle(report: CycleReport): void;
  /** Records one slot of a scheduled job as this replica saw it (ran, failed, skipped, taken by another). */
  observeJob(record: JobRecord): void;
  /** Records how long a Slack request took to be acknowledged. */
  observeSlackAck(seconds: number, kind: string): void;
  /** Records one assistant answer: where, who answered (a model, offline, limit), how long, tokens and cost. */
  observeAssistantAnswer(answer: { surface: string; answeredBy: string; seconds: number; tokens: number; costUsd: number | null }): void;
}

/**
 * Prometheus metrics. Proposal, execution and LLM figures are read from the store's counters at
 * scrape time, so every replica reports the same shared numbers; cycle timings are this process's.
 */
export function createPrometheusMetrics(store: ProposalStore): PrometheusMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'improvement_loop_process_' });

  // prom-client collects every metric at once; they share one read of the store per scrape.
  let pending: { at: number; read: Promise<Record<string, number> | null> } | undefined;
  function snapshot(): Promise<Record<string, number> | null> {
    if (!pending || Date.now() - pending.at > 1000) {
      pending = { at: Date.now(), read: store.counters().catch(() => null) };
    }
    return pending.read;
  }
  const storeGauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (set: (labels: Record<string, string>, value: number) => void, n: (counter: string) => number) => void,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const counters = await snapshot();
        // A store that does not answer gives no figures at all (store_up says why), never false zeros.
        this.reset();
        if (!counters) return;
        fill(
          (labels, value) => this.set(labels, value),
          (counter) => counters[counter] ?? 0,
        );
      },
    });

  new Gauge({
    name: 'improvement_loop_store_up',
    help: '1 when the store answered the last scrape',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });

  storeGauge('improvement_loop_proposals', 'Proposals stored now, by status', ['status'], (set, n) => {
    for (const status of STATUSES) set({ status }, n(`current:status:${status}`));
  });
  storeGauge('improvement_loop_proposals_filed', 'Proposals filed since the start, by type', ['type'], (set, n) => {
    for (const type of PROPOSAL_TYPES) set({ type }, n(`proposed:type:${type}`));
  });
  storeGauge('improvement_loop_executions', 'Executions finished since the start, by outcome', ['outcome'], (set, n) => {
    for (const outcome of ['implemented', 'failed', 'rolled_back', 'merged']) set({ outcome }, n(`entered:${outcome}`));
  });
  storeGauge('improvement_loop_llm_tokens', 'Tokens spent writing proposals since the start, by kind', ['kind'], (set, n) => {
    set({ kind: 'input' }, n('llm:input_tokens'));
    set({ kind: 'output' }, n('llm:output_tokens'));
    set({ kind: 'cache_read' }, n('llm:cache_read_tokens'));
  });
  // Labelled, as every store gauge is, so that an unanswered scrape leaves no sample (prom-client
  // always prints 0 for a gauge without labels).
  storeGauge('improvement_loop_llm_cost_usd', 'What writing proposals has cost since the start, in US dollars', ['kind'], (set, n) =>
    set({ kind: 'total' }, n('llm:cost_microusd') / 1e6),
  );

  const cycleDuration = new Histogram({
    name: 'improvement_loop_cycle_duration_seconds',
    help: 'Duration of improvement cycles run by this process',
    labelNames: ['type', 'outcome'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  const findings = new Counter({
    name: 'improvement_loop_findings_total',
    help: 'Findings reported by each analyzer in this process',
    labelNames: ['analyzer'],
    registers: [registry],
  });
  const analyzerFailures = new Counter({
    name: 'improvement_loop_analyzer_failures_total',
    help: 'Analyzer runs that failed in this process',
    labelNames: ['analyzer'],
    registers: [registry],
  });

  const jobRuns = new Counter({
    name: 'improvement_loop_job_runs_total',
    help: 'Slots of scheduled jobs seen by this replica, by outcome (not-claimed: another replica ran it)',
    labelNames: ['job', 'outcome'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'improvement_loop_job_duration_seconds',
    help: 'Duration of the scheduled job runs this replica ran',
    labelNames: ['job', 'outcome'],
    buckets: [0.1, 1, 5, 30, 120, 600, 1800],
    registers: [registry],
  });
  const slackAck = new Histogram({
    name: 'improvement_loop_slack_ack_seconds',
    help: 'Time from receiving a Slack request to acknowledging it (Slack gives up after 3 s)',
    labelNames: ['kind'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [registry],
  });

  const assistantAnswers = new Histogram({
    name: 'improvement_loop_assistant_answer_seconds',
    help: 'Time to answer an assistant question in Slack, by surface and by who answered (model id, offline, limit)',
    labelNames: ['surface', 'answered_by'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 60],
    registers: [registry],
  });
  const assistantTokens = new Counter({
    name: 'improvement_loop_assistant_tokens_total',
    help: 'Tokens spent on assistant answers (input, output and cache, together)',
    labelNames: ['answered_by'],
    registers: [registry],
  });
  const assistantCost = new Counter({
    name: 'improvement_loop_assistant_cost_usd_total',
    help: 'Cost of assistant answers in US dollars (models without a price are not counted)',
    labelNames: ['answered_by'],
    registers: [registry],
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeCycle(report) {
      const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
      cycleDuration.observe({ type: report.type, outcome: report.errors.length ? 'errors' : 'ok' }, seconds);
      for (const run of report.analyzers) {
        findings.inc({ analyzer: run.name }, run.findings);
        if (run.error) analyzerFailures.inc({ analyzer: run.name });
      }
    },
    observeJob(record) {
      jobRuns.inc({ job: record.job, outcome: record.outcome });
      if (record.outcome === 'ran' || record.outcome === 'failed') {
        jobDuration.observe(
          { job: record.job, outcome: record.outcome },
          (Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000,
        );
      }
    },
    observeSlackAck(seconds, kind) {
      slackAck.observe({ kind }, seconds);
    },
    observeAssistantAnswer(answer) {
      const labels = { answered_by: answer.answeredBy.slice(0, 60) };
      assistantAnswers.observe({ surface: answer.surface, ...labels }, answer.seconds);
      if (answer.tokens) assistantTokens.inc(labels, answer.tokens);
      if (answer.costUsd) assistantCost.inc(labels, answer.costUsd);
    },
  };
}
