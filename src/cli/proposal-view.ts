import type { Proposal, ProposalStatus } from '../domain/proposal.ts';
import { executeAvailability } from '../proposals/execute-availability.ts';
import { renderTable, type Paint } from './terminal.ts';

/** What this installation can execute; absent: not known, and the view does not say. */
export interface ExecuteSupport {
  canExecute: boolean;
  hasAgent: boolean;
}

/** Whether Execute can do anything, while the proposal may still be executed (pending, approved, failed). */
function executeLine(p: Proposal, support: ExecuteSupport | undefined): string | undefined {
  if (!support || !['pending', 'approved', 'failed'].includes(p.status)) return undefined;
  // A learning proposal publishes a knowledge entry: it needs the store, not the executor.
  if (!support.canExecute && p.type !== 'learning') return 'no: no executor is configured (EXECUTION_ENABLED=false)';
  const can = executeAvailability(p, { hasAgent: support.hasAgent });
  return `${can.available ? 'yes' : 'no'}: ${can.reason}`;
}

/** `proposals show`: every field a person needs to decide, in the order they would read it. */
export function renderProposal(p: Proposal, paint: Paint, support?: ExecuteSupport): string {
  const fields: [string, string | number | boolean | undefined][] = [
    ['status', statusColor(paint, p.status)(p.status)],
    ['type', p.category ? `${p.type} (${p.category})` : p.type],
    ['priority', p.priority],
    ['version', p.version],
    ['created', p.createdAt],
    ['updated', p.updatedAt],
    ['fingerprint', p.fingerprint],
    ['source', p.source],
    ['written by', p.writtenBy],
    ['magnitude', p.magnitude],
    ['auto-execute', p.autoExecute],
    ['approved patch', p.approvedPatchHash ? `sha256 ${p.approvedPatchHash}` : undefined],
    ['patch tried', p.preflight ? `${p.preflight.passed ? 'passed' : 'failed'}: ${p.preflight.summary}` : undefined],
    ['execute', executeLine(p, support)],
  ];
  const lines = [paint.bold(`${p.id}  ${p.title}`), ''];
  for (const [label, value] of fields) {
    if (value !== undefined && value !== '') lines.push(`  ${label.padEnd(15)}${String(value)}`);
  }
  const block = (title: string, text: string | undefined) => {
    if (!text?.trim()) return;
    lines.push(
      '',
      paint.bold(title),
      ...text
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  };
  block('Summary', p.summary);
  if (p.evidence.length) {
    lines.push('', paint.bold('Evidence'), ...p.evidence.map((e) => `  - ${e.label}: ${e.value}${e.unit ? ` ${e.unit}` : ''}`));
  }
  block('Risk', p.risk);
  block('Implementation plan', p.implementationPlan);
  block('Rollback plan', p.rollbackPlan);
  block('Test plan', p.testPlan);
  block('Patch', p.patch);
  if (p.knowledge)
    block(`Knowledge entry (knowledge:${p.knowledge.category}:${p.knowledge.key})`, JSON.stringify(p.knowledge.content, null, 2));
  if (p.execution) {
    const e = p.execution;
    const rows: [string, string | undefined][] = [
      ['published', e.published ? `knowledge:${e.published.category}:${e.published.key}` : undefined],
      ['started', e.startedAt],
      ['finished', e.finishedAt],
      ['branch', e.branch],
      ['commit', e.commit],
      ['diffstat', e.diffstat],
      ['tests', e.testSummary],
      ['error', e.error],
    ];
    lines.push('', paint.bold('Execution'), ...rows.filter(([, v]) => v).map(([k, v]) => `  ${k.padEnd(15)}${v}`));
    block('Output (tail)', e.outputTail);
  }
  const history = renderTable(
    ['v', 'at', 'actor', 'action', 'change'],
    p.history.map((h) => [
      String(h.version),
      h.at,
      h.actor,
      h.action,
      `${h.from ?? '-'} → ${h.to}${h.reason ? `: ${h.reason.replace(/\s+/g, ' ')}` : ''}`,
    ]),
  );
  lines.push('', paint.bold('History'), ...history.split('\n').map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

/** One color per status, the same in the list and in the detail view. */
export function statusColor(paint: Paint, status: ProposalStatus): (text: string) => string {
  if (status === 'pending') return paint.yellow;
  if (status === 'approved' || status === 'executing') return paint.cyan;
  if (status === 'implemented') return paint.green;
  if (status === 'rejected' || status === 'failed') return paint.red;
  return paint.dim;
}
