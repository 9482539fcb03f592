import type { Proposal } from '../domain/proposal.ts';

/** Where people follow the proposal besides the pull request; each absent when not configured. */
export interface ProposalLinks {
  slack?: string;
  dashboard?: string;
}

// GitHub refuses a pull request body over 65536 characters and a title over 256.
const MAX_BODY = 60_000;
const MAX_TITLE = 200;

/**
 * Text a writer (or a model) produced goes into the pull request as it is, except that an `@name`
 * would notify that person or team: a zero-width space after the `@` keeps it readable and silent.
 */
export function quietMentions(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9_-])/g, '@\u200b');
}

export function pullRequestTitle(proposal: Proposal): string {
  const title = quietMentions(proposal.title.replace(/\s+/g, ' ').trim());
  return `improvement: ${title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title}`;
}

function evidenceTable(proposal: Proposal): string {
  if (!proposal.evidence.length) return '_No measured evidence._';
  const cell = (value: string) => quietMentions(value).replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const rows = proposal.evidence.map((e) => `| ${cell(e.label)} | ${cell(`${e.value}${e.unit ? ` ${e.unit}` : ''}`)} |`);
  return ['| measure | value |', '| --- | --- |', ...rows].join('\n');
}

function testResult(proposal: Proposal): string {
  const run = proposal.execution ?? {};
  const lines = [run.testSummary ? `Tests: ${run.testSummary}` : 'Tests: not recorded'];
  if (run.commit) lines.push(`Commit: \`${run.commit}\``);
  if (run.diffstat) lines.push('', '```', run.diffstat.replace(/```/g, "'''"), '```');
  return lines.join('\n');
}

/**
 * The pull request body: what a reviewer needs without opening Slack (summary, evidence, the test
 * result the executor saw, how to roll back) and links back to where the decision was made.
 */
export function pullRequestBody(proposal: Proposal, links: ProposalLinks): string {
  const approval = [...proposal.history].reverse().find((h) => h.to === 'approved');
  const back = [
    links.slack ? `[Slack thread](${links.slack})` : undefined,
    links.dashboard ? `[Dashboard](${links.dashboard})` : undefined,
  ].filter(Boolean);
  const body = [
    '## Summary',
    quietMentions(proposal.summary),
    '## Evidence',
    evidenceTable(proposal),
    '## Test result',
    testResult(proposal),
    '## Rollback plan',
    quietMentions(proposal.rollbackPlan),
    '---',
    `Proposal \`${proposal.id}\` (${proposal.type}, ${proposal.priority} priority)${
      approval ? `, approved by ${quietMentions(approval.actor)}` : ''
    }. Written by improvement-loop; nothing merges without review.${back.length ? `\n\n${back.join(' · ')}` : ''}`,
  ].join('\n\n');
  return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}\n\n… (cut to GitHub's size limit)` : body;
}
