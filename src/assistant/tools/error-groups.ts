import { z } from 'zod';
import type { Finding } from '../../domain/finding.ts';
import { defineTool, ToolInputError } from './tool.ts';
import { resolveWindow, windowInput, windowLabel } from './window.ts';

const TABLE = 'logs.error_logs';

/** Error groups of a window as the bug analyzer mines them (a dry run: it files and writes nothing). */
export const errorGroupsTool = defineTool({
  name: 'error_groups',
  description:
    'Error groups in a time window: message templates mined from the error logs, occurrences, trend against the 30 days before (new, rising, steady, falling), first and last seen, endpoints, where it is thrown and the suspect commits that most likely introduced it. "new" means it never occurred in the 30 days before the window.',
  input: z.object({
    ...windowInput,
    endpoint: z.string().trim().min(1).max(200).optional().describe('Only groups seen on endpoints containing this text'),
    onlyNew: z.boolean().optional().describe('Only groups that started in the window'),
    limit: z.number().int().min(1).max(20).optional().describe('How many groups; default 10'),
  }),
  async run(input, sources) {
    const analyzer = await sources.errorGroups?.();
    if (!analyzer) throw new ToolInputError('error analysis is not available (no warehouse with error logs)');
    const window = resolveWindow(input, sources.now());
    const findings = await analyzer.analyze({ cycle: 'daily', window, asOf: sources.now(), dryRun: true });
    const needle = input.endpoint?.toLowerCase();
    const groups = findings
      .map(group)
      .filter((g) => !needle || g.endpoints.toLowerCase().includes(needle))
      .filter((g) => !input.onlyNew || g.trend === 'new')
      .slice(0, input.limit ?? 10);
    const label = windowLabel(window);
    const total = groups.reduce((sum, g) => sum + g.occurrences, 0);
    return {
      summary: groups.length
        ? `${groups.length} error group(s), ${total} occurrences, in ${label.from} – ${label.to}.`
        : `No error group in ${label.from} – ${label.to}${needle ? ` on endpoints matching "${input.endpoint}"` : ''}.`,
      data: { window: label, groups },
      citations: [
        {
          kind: 'telemetry',
          table: TABLE,
          window: label,
          ...(input.endpoint ? { endpoint: input.endpoint } : {}),
          counts: `${groups.length} groups, ${total} errors`,
        },
      ],
      table: {
        title: `Error groups, ${label.from.slice(0, 10)} – ${label.to.slice(0, 10)}`,
        columns: ['template', 'occurrences', 'trend', 'first seen', 'thrown at', 'suspect commit'],
        rows: groups.map((g) => [g.template, g.occurrences, g.trend, g.firstSeen.slice(0, 16), g.thrownAt ?? '–', g.suspectCommit ?? '–']),
      },
    };
  },
});

function group(finding: Finding) {
  const evidence = (label: string) => finding.evidence.find((e) => e.label === label)?.value;
  const details = finding.details ?? {};
  const suspects = Array.isArray(details.suspects)
    ? (details.suspects as { sha: string; subject: string; author: string; date: string }[])
    : [];
  return {
    template: String(details.template ?? finding.title),
    occurrences: Number(evidence('occurrences') ?? 0),
    trend: String(evidence('trend') ?? 'unknown'),
    firstSeen: String(evidence('first seen') ?? ''),
    lastSeen: String(evidence('last seen') ?? ''),
    endpoints: String(evidence('endpoints') ?? ''),
    example: String(details.example ?? evidence('example') ?? ''),
    thrownAt: evidence('thrown at') === undefined ? null : String(evidence('thrown at')),
    suspectCommit: suspects[0] ? `${suspects[0].sha.slice(0, 10)} ${suspects[0].subject}` : null,
    suspects: suspects.slice(0, 3).map((s) => ({ sha: s.sha.slice(0, 12), subject: s.subject, author: s.author, date: s.date })),
    fingerprint: finding.fingerprint,
  };
}
