import { html, type SafeHtml } from './html.ts';
import { formatTime, page, type Viewer } from './layout.ts';
import type { ChartsData, TelemetryCharts, WeekBucket } from './charts-data.ts';
import { FUNNEL_WEEKS } from './charts-data.ts';
import { formatNumber, horizontalBars, lineChart, shortDate, stackedBars } from './svg-charts.ts';

const OUTCOMES: { key: keyof WeekBucket; name: string }[] = [
  { key: 'implemented', name: 'implemented' },
  { key: 'approved', name: 'approved (not yet implemented, or failed)' },
  { key: 'pending', name: 'pending' },
  { key: 'rejected', name: 'rejected' },
  { key: 'rolledBack', name: 'rolled back' },
];

function legend(names: string[]): SafeHtml {
  return html`<ul class="legend">${names.map((n, i) => html`<li><span class="swatch l-${i}"></span>${n}</li>`)}</ul>`;
}

function funnel(data: ChartsData): SafeHtml {
  const m = data.report.metrics;
  return html`<section><h2>Proposal funnel</h2>
${horizontalBars({
  label: 'Proposals filed, approved, implemented, rejected, failed and rolled back since the start',
  rows: [
    { name: 'proposed', value: m.improvementsProposed, cls: 'l-2' },
    { name: 'approved', value: m.improvementsApproved, cls: 'l-1' },
    { name: 'implemented', value: m.improvementsImplemented, cls: 'l-0' },
    { name: 'rejected', value: m.improvementsRejected, cls: 'l-3' },
    { name: 'execution failed', value: m.improvementsFailed, cls: 'l-5' },
    { name: 'rolled back', value: m.improvementsRolledBack, cls: 'l-4' },
  ],
})}
<p class="sub">Since the start (store counters). Execution success rate: ${m.executionSuccessRate === null ? 'no execution has finished yet' : `${Math.round(m.executionSuccessRate * 100)}%`}.</p>
<h3>Filed per week, by where each stands now</h3>
${stackedBars({
  label: `Proposals filed per week over the last ${FUNNEL_WEEKS} weeks, stacked by current status`,
  keys: OUTCOMES.map((o) => o.name),
  buckets: data.weeks.map((w) => ({ label: shortDate(w.start), values: OUTCOMES.map((o) => w[o.key] as number) })),
})}
${legend(OUTCOMES.map((o) => o.name))}
<details><summary>Table</summary><table class="data"><thead><tr><th>Week from</th>${OUTCOMES.map((o) => html`<th>${o.name}</th>`)}</tr></thead><tbody>${data.weeks.map(
    (w) => html`<tr><td>${shortDate(w.start)}</td>${OUTCOMES.map((o) => html`<td>${w[o.key] as number}</td>`)}</tr>`,
  )}</tbody></table></details>
<p class="sub">From the ${data.scanned} newest proposals still stored; decided proposals expire after the retention period, so older weeks undercount.</p>
</section>`;
}

/** Said before the charts, as in a cycle's report: an empty window is not a healthy one. */
function coverage(t: TelemetryCharts): SafeHtml | '' {
  if (!t.notes.length) return '';
  return html`<section class="coverage-notes"><h2>Read this first</h2>${t.notes.map((note) => html`<p class="note" role="status">${note}</p>`)}</section>`;
}

function latency(t: TelemetryCharts): SafeHtml {
  if (!t.endpoints.length) return html`<section><h2>Latency (p95)</h2><p class="empty">No API metrics in the last days.</p></section>`;
  return html`<section><h2>Latency (p95) of the busiest endpoints</h2>
<p class="sub">Daily p95, ${shortDate(t.latencyWindow.from)} to ${shortDate(new Date(t.latencyWindow.to.getTime() - 1))}. A red flag marks when a performance proposal was filed for the endpoint (a regression or slowness the analyzer found); follow it to the proposal.</p>
<div class="small-multiples">${t.endpoints.map(
    (e) => html`<figure class="endpoint-trend">
<figcaption><strong>${e.endpoint}</strong> <span class="sub">${formatNumber(e.calls)} calls · p95 ${formatNumber(e.p95Ms)} ms over the window</span>${e.proposals.length ? html` <span class="regression">${e.proposals.length} performance proposal${e.proposals.length > 1 ? 's' : ''}</span>` : ''}</figcaption>
${lineChart({
  label: `Daily p95 latency of ${e.endpoint} in ms`,
  series: [{ name: e.endpoint, points: e.points }],
  from: t.latencyWindow.from,
  to: t.latencyWindow.to,
  unit: 'ms',
  width: 480,
  height: 140,
  markers: e.proposals
    .filter((p) => p.createdAt >= t.latencyWindow.from && p.createdAt < t.latencyWindow.to)
    .map((p) => ({
      t: p.createdAt,
      label: `${formatTime(p.createdAt)}: ${p.title} (${p.status})`,
      href: `/proposals/${encodeURIComponent(p.id)}`,
    })),
})}
${e.proposals.length ? html`<ul class="sub marks">${e.proposals.map((p) => html`<li><a href="/proposals/${encodeURIComponent(p.id)}">${p.title}</a> · ${p.status} · filed ${formatTime(p.createdAt)}</li>`)}</ul>` : ''}
</figure>`,
  )}</div></section>`;
}

function errors(t: TelemetryCharts): SafeHtml {
  if (!t.errorGroups.length)
    return html`<section><h2>Error groups</h2><p class="empty">No error logs in the last ${t.errorDays.length} days.</p></section>`;
  return html`<section><h2>Error groups per day</h2>
<p class="sub">Messages grouped by their masked template (numbers, ids, paths and the like replaced), the ${t.errorGroups.length} largest over the last ${t.errorDays.length} days.${
    t.errorsCapped ? ' Some days had more distinct messages than are read per day; their rarest ones are not counted.' : ''
  }</p>
${lineChart({
  label: 'Occurrences per day of the largest error groups',
  series: t.errorGroups.map((g, i) => ({ name: `group ${i + 1}`, points: g.perDay.map((v, d) => ({ t: t.errorDays[d]!, v })) })),
  from: t.errorDays[0]!,
  to: new Date(t.errorDays[t.errorDays.length - 1]!.getTime() + 86_400_000),
  unit: 'errors',
})}
<table class="data errors"><thead><tr><th>Group</th><th>Template</th><th>Total</th>${t.errorDays.map((d) => html`<th>${shortDate(d)}</th>`)}</tr></thead><tbody>${t.errorGroups.map(
    (g, i) =>
      html`<tr><td><span class="swatch s-${i}"></span>${i + 1}</td><td class="template"><code>${g.template}</code></td><td>${formatNumber(g.total)}</td>${g.perDay.map((v) => html`<td>${v || ''}</td>`)}</tr>`,
  )}</tbody></table></section>`;
}

function gains(data: ChartsData): SafeHtml {
  const g = data.report.performanceGains;
  if (!g.measurements.length)
    return html`<section><h2>Realized performance gains</h2><p class="empty">No gain has been measured after an implemented performance proposal yet.</p></section>`;
  return html`<section><h2>Realized performance gains</h2>
<p>${formatNumber(g.totalResponseTimeReduced)} ms of p95 taken off in total over ${g.optimizedEndpoints} endpoint${g.optimizedEndpoints === 1 ? '' : 's'}${g.averageReductionPercent !== null ? `, ${g.averageReductionPercent}% on average` : ''}.</p>
${horizontalBars({
  label: 'p95 before and after each measured change, in ms',
  unit: 'ms',
  rows: g.measurements.slice(0, 12).flatMap((m) => [
    { name: `${m.endpoint} before`, value: m.beforeMs, cls: 'l-3' },
    { name: `${m.endpoint} after`, value: m.afterMs, cls: 'l-0' },
  ]),
})}
<table class="data"><thead><tr><th>Endpoint</th><th>Before</th><th>After</th><th>Change</th><th>Measured</th><th>Proposal</th></tr></thead><tbody>${g.measurements.map(
    (m) =>
      html`<tr><td>${m.endpoint}</td><td>${formatNumber(m.beforeMs)} ms</td><td>${formatNumber(m.afterMs)} ms</td><td>${m.beforeMs > 0 ? `${formatNumber(((m.afterMs - m.beforeMs) / m.beforeMs) * 100, 1)}%` : ''}</td><td>${formatTime(m.measuredAt)}</td><td><a href="/proposals/${encodeURIComponent(m.proposalId)}">${m.proposalId}</a></td></tr>`,
  )}</tbody></table></section>`;
}

function llm(data: ChartsData): SafeHtml {
  const l = data.report.llm;
  return html`<section><h2>LLM tokens and cost</h2>
<dl class="facts inline"><dt>Proposals written by a model</dt><dd>${formatNumber(l.proposalsWritten)}</dd><dt>Requests</dt><dd>${formatNumber(l.requests)}</dd><dt>Input tokens</dt><dd>${formatNumber(l.inputTokens)}</dd><dt>Output tokens</dt><dd>${formatNumber(l.outputTokens)}</dd><dt>Cache-read tokens</dt><dd>${formatNumber(l.cacheReadTokens)}</dd><dt>Cost</dt><dd>$${formatNumber(l.costUsd, 2)}</dd></dl>
${
  data.weeks.every((w) => w.inputTokens + w.outputTokens === 0)
    ? html`<p class="sub">Totals since the start. No proposal still stored was written by a model in the last ${FUNNEL_WEEKS} weeks.</p>`
    : weeklyTokens(data)
}</section>`;
}

function weeklyTokens(data: ChartsData): SafeHtml {
  return html`<p class="sub">Totals since the start. Per week, for the proposals still stored:</p>
${stackedBars({
  label: 'Tokens per week (input and output) spent writing proposals',
  keys: ['input tokens', 'output tokens'],
  buckets: data.weeks.map((w) => ({ label: shortDate(w.start), values: [w.inputTokens, w.outputTokens] })),
  height: 150,
})}
${legend(['input tokens', 'output tokens'])}
<details><summary>Table</summary><table class="data"><thead><tr><th>Week from</th><th>Input tokens</th><th>Output tokens</th><th>Cost</th></tr></thead><tbody>${data.weeks.map(
    (w) =>
      html`<tr><td>${shortDate(w.start)}</td><td>${formatNumber(w.inputTokens)}</td><td>${formatNumber(w.outputTokens)}</td><td>$${formatNumber(w.costUsd, 4)}</td></tr>`,
  )}</tbody></table></details>`;
}

export function chartsPage(options: { viewer: Viewer; data: ChartsData }): SafeHtml {
  const { data } = options;
  const telemetry = 'charts' in data.telemetry ? data.telemetry.charts : undefined;
  return page({
    title: 'Charts',
    viewer: options.viewer,
    active: 'charts',
    body: html`<h1>Charts</h1>
${funnel(data)}
${telemetry ? html`${coverage(telemetry)}${latency(telemetry)}${errors(telemetry)}` : html`<section><h2>Latency and errors</h2><p class="note" role="status">${'note' in data.telemetry ? data.telemetry.note : ''}</p></section>`}
${gains(data)}
${llm(data)}`,
  });
}
