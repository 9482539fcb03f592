import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { Finding } from '../../../domain/finding.ts';
import { unifiedDiffProblem } from './unified-diff-shape.ts';

/**
 * What Claude answers with: the input of the submit_proposal tool. The JSON Schema the model sees is
 * derived from these zod schemas, and the same schemas validate the answer, so they cannot drift.
 * Objects strip unknown keys: `"status": "approved"` or `"approved": true` in an answer is dropped,
 * never stored. Type, priority, evidence and fingerprint are not asked for at all: they are measured
 * facts and come from the finding.
 */
export const SUBMIT_PROPOSAL = 'submit_proposal';

const text = (max: number, description: string) => z.string().trim().min(1).max(max).describe(description);

const base = {
  title: text(150, "One line naming the change, in the reader's terms (no markup, no mentions)."),
  summary: text(3000, 'What was measured, where, and why it matters: 2 to 6 sentences of plain text.'),
  risk: text(1500, 'What could go wrong with the change and how likely it is.'),
  implementationPlan: text(6000, 'The steps to make the change, concrete enough for an engineer to start.'),
  testPlan: text(4000, 'How to show the change works and nothing else broke.'),
  rollbackPlan: text(1500, 'How to undo the change.'),
};

const specification = z
  .object({
    problem: text(2000, 'The problem the customers have, in their terms.'),
    userStories: z.array(text(600, 'As a <role>, I want <capability>, so that <benefit>; quote a request where one fits.')).min(1).max(10),
    acceptanceCriteria: z.array(text(600, 'A testable condition, e.g. Given/When/Then.')).min(1).max(15),
  })
  .describe('The feature specification.');

const bugReport = z
  .object({
    rootCauseHypothesis: text(2000, 'The most likely cause, grounded in the error message and stack frames shown.'),
    failingTest: z
      .object({
        file: z.string().trim().min(1).max(300).optional().describe('Repository-relative path for the test, when known.'),
        code: text(6000, 'A test that fails today and passes once the bug is fixed.'),
      })
      .describe('A failing test case that reproduces the bug.'),
  })
  .describe('The bug report.');

/**
 * A patch may change only the files the finding names: a finding about src/orders/get-order.ts has no
 * business editing .github/workflows or package.json, whatever the data asked for. (What a patch may
 * touch at all is the executor's policy, checked again before `git apply`.)
 */
function patchFor(files: readonly string[]) {
  return (
    z
      .string()
      .max(200_000)
      .superRefine((value, ctx) => {
        const problem = unifiedDiffProblem(value, files);
        if (problem) ctx.addIssue({ code: 'custom', message: `not a usable unified diff: ${problem}` });
      })
      // Generic on purpose: the tool definition is part of the cached prompt prefix, and file paths are data.
      .describe(
        "Optional: a unified diff (--- a/<path>, +++ b/<path>, @@ hunks with exact line counts) changing only the files listed in the finding's subject. Omit it when unsure.",
      )
  );
}

/** The executor refuses a patch that edits or deletes tests unless the proposal says so; the approver is shown the files. */
const changesTests = z
  .boolean()
  .optional()
  .describe('true only when the patch adds, edits or deletes test files; omit it (or false) otherwise.');

const featureAnswer = z.object({ ...base, specification });
const bugAnswer = z.object({ ...base, bugReport });
const plainAnswer = z.object(base);

export type ProposalAnswer = z.infer<typeof plainAnswer> & {
  specification?: z.infer<typeof specification>;
  bugReport?: z.infer<typeof bugReport>;
  patch?: string;
  changesTests?: boolean;
};

/** A patch is asked for only where a finding points at code: a performance or code-quality finding naming its files. */
export function patchAllowed(finding: Finding): boolean {
  return (finding.type === 'performance' || finding.type === 'code_quality') && Boolean(finding.subject?.files?.length);
}

export function answerSchemaFor(finding: Finding): z.ZodType<ProposalAnswer> {
  if (finding.type === 'feature') return featureAnswer;
  if (finding.type === 'bug_fix') return bugAnswer;
  if (!patchAllowed(finding)) return plainAnswer;
  return z.object({ ...base, patch: patchFor(finding.subject!.files!).optional(), changesTests });
}

/** The one tool the model gets. It acts on nothing: calling it hands a draft to a person for review. */
export function submitProposalTool(finding: Finding): Anthropic.Messages.Tool {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(answerSchemaFor(finding)) as Record<string, unknown>;
  return {
    name: SUBMIT_PROPOSAL,
    description:
      'Submit the written proposal as a draft for human review. This records text only: it cannot approve, reject, execute or change anything.',
    input_schema: schema as Anthropic.Messages.Tool.InputSchema,
  };
}

/** Zod's issues as short lines for the model's one retry: where, and what was expected. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => `${issue.path.length ? issue.path.join('.') : '(answer)'}: ${issue.message}`);
}
