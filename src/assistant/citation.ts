/**
 * What an answer used, so a person can check it: a telemetry table over a window (with the endpoint
 * and the row counts behind the figures) or a proposal (with a link to its Slack message or dashboard
 * page). Citations come from the tools that ran, never from the model's text.
 */
export type Citation =
  | {
      kind: 'telemetry';
      /** Schema-qualified, e.g. "performance.api_metrics". */
      table: string;
      window: { from: string; to: string };
      endpoint?: string;
      /** What the figures were computed over, e.g. "12,408 calls" or "3 templates, 912 errors". */
      counts: string;
    }
  | { kind: 'proposal'; proposalId: string; title: string; version: number; link?: string };

export function citationKey(citation: Citation): string {
  return citation.kind === 'proposal'
    ? `proposal:${citation.proposalId}`
    : `telemetry:${citation.table}:${citation.window.from}:${citation.window.to}:${citation.endpoint ?? ''}`;
}

/** The citations of several tool results, each once, in the order first used. */
export function uniqueCitations(citations: Citation[]): Citation[] {
  const seen = new Map<string, Citation>();
  for (const citation of citations) if (!seen.has(citationKey(citation))) seen.set(citationKey(citation), citation);
  return [...seen.values()];
}
