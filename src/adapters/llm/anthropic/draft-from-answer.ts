import type { Finding } from '../../../domain/finding.ts';
import type { ProposalDraft } from '../../../domain/proposal.ts';
import { stripInvisibleDeep } from '../invisible-characters.ts';
import type { ProposalAnswer } from './proposal-answer.ts';

/**
 * A draft from Claude's validated answer. Every field is picked by name, never spread from the
 * answer: what decides (type, priority, category, fingerprint, evidence, magnitude, subject) comes
 * from the finding, so no text the model was shown can change how a proposal is routed or approved.
 * The specification and bug report have no field of their own in ProposalDraft yet; they are folded
 * into the summary, implementation plan and test plan, in labeled sections.
 */
export function draftFromAnswer(finding: Finding, answer: ProposalAnswer, model: string): ProposalDraft {
  let summary = answer.summary;
  let implementationPlan = answer.implementationPlan;
  let testPlan = answer.testPlan;
  if (finding.type === 'feature' && answer.specification) {
    const spec = answer.specification;
    summary = `${summary}\n\nProblem: ${spec.problem}`;
    implementationPlan = [
      implementationPlan,
      `User stories:\n${bullets(spec.userStories)}`,
      `Acceptance criteria:\n${bullets(spec.acceptanceCriteria)}`,
    ].join('\n\n');
  }
  if (finding.type === 'bug_fix' && answer.bugReport) {
    const report = answer.bugReport;
    summary = `${summary}\n\nRoot-cause hypothesis: ${report.rootCauseHypothesis}`;
    const where = report.failingTest.file ? ` (${report.failingTest.file})` : '';
    testPlan = `${testPlan}\n\nFailing test${where}:\n${report.failingTest.code}`;
  }
  return {
    type: finding.type,
    ...(finding.category ? { category: finding.category } : {}),
    title: answer.title,
    summary,
    // Evidence values can be text from the data (an error message, an endpoint): cleaned like the answer.
    evidence: stripInvisibleDeep(finding.evidence),
    priority: finding.priority,
    risk: answer.risk,
    implementationPlan,
    rollbackPlan: answer.rollbackPlan,
    testPlan,
    ...(answer.patch ? { patch: withFinalNewline(answer.patch) } : {}),
    // Only with a patch: the flag says what the patch does, and the approver sees which test files it touches.
    ...(answer.patch && answer.changesTests === true ? { changesTests: true } : {}),
    fingerprint: finding.fingerprint,
    writtenBy: model,
    source: finding.analyzer,
    ...(finding.subject ? { subject: finding.subject } : {}),
    magnitude: finding.magnitude,
  };
}

function bullets(items: string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

/** git apply wants the last line of a patch to end with a newline. */
function withFinalNewline(patch: string): string {
  return patch.endsWith('\n') ? patch : `${patch}\n`;
}
