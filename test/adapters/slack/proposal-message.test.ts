import { describe, expect, it } from 'vitest';
import { renderProposalMessage } from '../../../src/adapters/slack/views/proposal-message.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';

/** Issue 14, item 4: an approver sees, before approving, that a patch changes tests and which. */

const EDITS_A_TEST = `diff --git a/src/add.js b/src/add.js
--- a/src/add.js
+++ b/src/add.js
@@ -1 +1 @@
-export const add = (a, b) => a + b;
+export const add = (a, b) => Number(a) + Number(b);
diff --git a/test/add.test.js b/test/add.test.js
--- a/test/add.test.js
+++ b/test/add.test.js
@@ -1 +1 @@
-test('adds', () => assert.equal(add(2, 3), 5));
+test('adds', () => assert.equal(add('2', 3), 5));
diff --git a/src/add.spec.ts b/src/add.spec.ts
new file mode 100644
--- /dev/null
+++ b/src/add.spec.ts
@@ -0,0 +1 @@
+it('adds strings', () => expect(add('1', '1')).toBe(2));
`;

const SOURCE_ONLY = EDITS_A_TEST.slice(0, EDITS_A_TEST.indexOf('diff --git a/test/'));

function pending(overrides: Partial<Proposal> = {}): Proposal {
  const at = '2026-12-01T09:00:00.000Z';
  return {
    ...makeDraft(),
    id: 'prop_tests',
    status: 'pending',
    version: 1,
    createdAt: at,
    updatedAt: at,
    history: [{ version: 1, at, actor: 'system', action: 'created', from: null, to: 'pending' }],
    ...overrides,
  };
}

function blockTexts(proposal: Proposal): string[] {
  // Whole blocks as JSON: the line is a section's mrkdwn text.
  return renderProposalMessage(proposal).blocks.map((block) => JSON.stringify(block));
}

describe('the Slack proposal message', () => {
  it('names the test files a patch edits and adds, above the buttons', () => {
    const { blocks } = renderProposalMessage(pending({ patch: EDITS_A_TEST, changesTests: true }));
    const line = blocks.findIndex((block) => JSON.stringify(block).includes('This change edits tests: test/add.test.js, src/add.spec.ts'));
    expect(line).toBeGreaterThan(-1);
    expect(blocks.findIndex((block) => block.type === 'actions')).toBeGreaterThan(line);
  });

  it('shows the line from the patch itself, even when the writer did not declare it', () => {
    expect(blockTexts(pending({ patch: EDITS_A_TEST }))).toContainEqual(
      expect.stringContaining('This change edits tests: test/add.test.js'),
    );
  });

  it('says so when the proposal declares test changes its patch does not show', () => {
    expect(blockTexts(pending({ patch: SOURCE_ONLY, changesTests: true }))).toContainEqual(
      expect.stringContaining('This change edits tests: none found in the patch'),
    );
  });

  it('has no such line for a patch that leaves the tests alone, or for no patch', () => {
    expect(blockTexts(pending({ patch: SOURCE_ONLY })).join('\n')).not.toContain('edits tests');
    expect(blockTexts(pending()).join('\n')).not.toContain('edits tests');
  });
});

describe('the Execute button of the Slack proposal message', () => {
  const approved = (overrides: Partial<Proposal> = {}) => pending({ status: 'approved', version: 2, ...overrides });
  const buttons = (blocks: ReturnType<typeof renderProposalMessage>['blocks']) =>
    blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? e.action_id : '')) : []));

  it('is left out, and the message says why, when there is no patch and no agent', () => {
    const message = renderProposalMessage(approved());
    expect(buttons(message.blocks)).toEqual(['proposal.details']);
    expect(JSON.stringify(message.blocks)).toContain(
      'Execute is not offered: This proposal has no patch and no editing agent is configured',
    );
  });

  it('confirms what it will do: apply the patch, or have Claude write the change', () => {
    const withPatch = JSON.stringify(renderProposalMessage(approved({ patch: SOURCE_ONLY })).blocks);
    expect(withPatch).toContain('Applies the approved patch in a worktree');
    const withAgent = renderProposalMessage(approved(), { hasAgent: true });
    expect(buttons(withAgent.blocks)).toEqual(['proposal.execute', 'proposal.details']);
    expect(JSON.stringify(withAgent.blocks)).toContain('Claude writes the change in a worktree');
    expect(JSON.stringify(withAgent.blocks)).not.toContain('Execute is not offered');
  });

  it('is offered for a learning proposal only when it has a knowledge entry to publish, and says it changes no code', () => {
    const message = renderProposalMessage(approved({ type: 'learning', patch: SOURCE_ONLY }), { hasAgent: true });
    expect(buttons(message.blocks)).toEqual(['proposal.details']);
    expect(JSON.stringify(message.blocks)).toContain('no knowledge entry to publish');
    const knowledge = { category: 'checkout-coupon', key: 'c8dee651582c', content: { answer: 'Applied manually' } };
    const publishing = renderProposalMessage(approved({ type: 'learning', knowledge }), { hasAgent: false });
    expect(buttons(publishing.blocks)).toEqual(['proposal.execute', 'proposal.details']);
    expect(JSON.stringify(publishing.blocks)).toContain('Publishes the answer as knowledge:checkout-coupon:c8dee651582c; no code changes');
  });
});
