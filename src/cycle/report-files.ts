import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CycleReport } from './run-cycle.ts';

/** Writes the cycle's report as JSON and Markdown under `dir`; returns both paths. */
export async function writeCycleReport(dir: string, report: CycleReport): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, `cycle-${report.cycleId}`);
  const json = `${base}.json`;
  const markdown = `${base}.md`;
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdown, renderMarkdown(report));
  return { json, markdown };
}

export function renderMarkdown(report: CycleReport): string {
  const lines = [
    `# Improvement cycle ${report.type}${report.dryRun ? ' (dry run)' : ''}`,
    '',
    `- As of: ${report.asOf}`,
    `- Window: ${report.window.from} → ${report.window.to}`,
    `- Ran: ${report.startedAt} → ${report.finishedAt}`,
    `- Findings: ${report.findings}; created ${report.created.length}, updated ${report.updated.length}, suppressed ${report.suppressed.length}${report.dryRun ? `, would create ${report.wouldCreate.length}` : ''}`,
    '',
  ];
  if (report.notes?.length) lines.push('', '## Read this first', '', ...report.notes.map((note) => `- ${escapeCell(note)}`));
  if (report.telemetry) {
    lines.push('', '## Telemetry in the window', '', '| table | rows | newest row |', '|---|---:|---|');
    for (const t of report.telemetry) lines.push(`| ${t.table} | ${t.rowsInWindow} | ${t.newest ?? '(none)'} |`);
  }
  lines.push(
    '',
    '## Analyzers',
    '',
    '| analyzer | findings | ms | error |',
    '|---|---:|---:|---|',
    ...report.analyzers.map((a) => `| ${a.name} | ${a.findings} | ${a.durationMs} | ${a.error ?? ''} |`),
    ...(report.skipped ?? []).map((s) => `| ${s.name} | - | - | ${escapeCell(s.reason)} |`),
  );
  if (!report.analyzers.length && !report.skipped?.length) lines.push('| (none registered) | 0 | 0 | |');
  const section = (title: string, rows: CycleReport['created']) => {
    if (!rows.length) return;
    lines.push('', `## ${title}`, '', '| id | type | priority | title | why |', '|---|---|---|---|---|');
    for (const r of rows) lines.push(`| ${r.id} | ${r.type} | ${r.priority} | ${escapeCell(r.title)} | ${escapeCell(r.reason)} |`);
  };
  section('Created', report.created);
  section('Would create', report.wouldCreate);
  section('Updated', report.updated);
  section('Suppressed', report.suppressed);
  if (report.autoExecuted.length) {
    lines.push('', '## Auto-executed', '', ...report.autoExecuted.map((a) => `- ${a.id}: ${escapeCell(a.outcome)}`));
  }
  if (report.llmUsage) {
    const u = report.llmUsage;
    lines.push(
      '',
      '## Proposal writing',
      '',
      `- ${u.model}: ${u.writtenByModel} written, ${u.fallbacks} by templates; ${u.totalTokens} tokens (${u.inputTokens} in, ${u.outputTokens} out, ${u.cacheReadInputTokens} cache reads)${u.costUsd === null ? '' : `, $${u.costUsd}`}${u.budgetExhausted ? '; the cycle token budget ran out' : ''}`,
    );
  }
  if (report.errors.length) lines.push('', '## Errors', '', ...report.errors.map((e) => `- ${escapeCell(e)}`));
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
