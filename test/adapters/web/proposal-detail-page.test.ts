import { describe, expect, it } from 'vitest';
import { proposalDetailPage } from '../../../src/adapters/web/proposal-detail-page.ts';
import type { Proposal } from '../../../src/domain/proposal.ts';
import { makeDraft } from '../../helpers/drafts.ts';

/** Issue 14, item 4: the dashboard's proposal page says which test files a patch changes, before the approve button. */

const EDITS_A_TEST = `diff --git a/test/add.test.js b/test/add.test.js
--- a/test/add.test.js
+++ b/test/add.test.js
@@ -1 +1 @@
-test('adds', () => assert.equal(add(2, 3), 5));
+test('adds', () => assert.equal(add(2, 3), 5), { skip: process.env.CI === "<b>" });
`;

const SOURCE_ONLY = `diff --git a/src/add.js b/src/add.js
--- a/src/add.js
+++ b/src/add.js
@@ -1 +1 @@
-export const add = (a, b) => a + b;
+export const add = (a, b) => Number(a) + Number(b);
`;

function page(overrides: Partial<Proposal>): string {
  const at = '2026-12-01T09:00:00.000Z';
  const proposal: Proposal = {
    ...makeDraft(),
    id: 'prop_tests',
    status: 'pending',
    version: 1,
    createdAt: at,
    updatedAt: at,
    history: [{ version: 1, at, actor: 'system', action: 'created', from: null, to: 'pending' }],
    ...overrides,
  };
  return proposalDetailPage({ viewer: { actor: 'grace', csrf: 'token' }, proposal, canExecute: true, refreshSeconds: 5 }).value;
}

describe('the dashboard proposal page', () => {
  it('says the change edits tests and names them, before the approve form', () => {
    const body = page({ patch: EDITS_A_TEST, changesTests: true });
    const line = body.indexOf('This change edits tests: test/add.test.js');
    expect(line).toBeGreaterThan(-1);
    expect(body.indexOf('Approve')).toBeGreaterThan(line);
  });

  it('shows it from the patch even when the writer did not declare it, and says when a declared change shows no test file', () => {
    expect(page({ patch: EDITS_A_TEST })).toContain('This change edits tests: test/add.test.js');
    expect(page({ patch: SOURCE_ONLY, changesTests: true })).toContain('This change edits tests: none found in the patch');
  });

  it('has no such line for a patch that leaves the tests alone', () => {
    expect(page({ patch: SOURCE_ONLY })).not.toContain('edits tests');
    expect(page({})).not.toContain('edits tests');
  });
});

describe('the Execute button of the dashboard proposal page', () => {
  const executeButton = (body: string) => /<form class="decision decision-execute"[\s\S]*?<\/form>/.exec(body)?.[0] ?? '';
  const approvedPage = (overrides: Partial<Proposal>, options: { hasAgent?: boolean; canExecute?: boolean } = {}) =>
    proposalDetailPage({
      viewer: { actor: 'grace', csrf: 'token' },
      proposal: {
        ...makeDraft(),
        id: 'prop_exec',
        status: 'approved',
        version: 2,
        createdAt: '2026-12-01T09:00:00.000Z',
        updatedAt: '2026-12-01T09:00:00.000Z',
        history: [],
        ...overrides,
      },
      canExecute: options.canExecute ?? true,
      refreshSeconds: 5,
      ...(options.hasAgent !== undefined ? { hasAgent: options.hasAgent } : {}),
    }).value;

  it('is disabled, with the reason beside it, for a proposal without a patch when no agent is configured', () => {
    const form = executeButton(approvedPage({}));
    expect(form).toMatch(/<button[^>]* disabled title="This proposal has no patch and no editing agent is configured/);
    expect(form).toContain('<span class="sub">This proposal has no patch and no editing agent');
  });

  it('is enabled for a patch, and for no patch when an agent can write the change', () => {
    expect(executeButton(approvedPage({ patch: SOURCE_ONLY }))).not.toContain('disabled');
    expect(executeButton(approvedPage({}, { hasAgent: true }))).not.toContain('disabled');
  });

  it('is enabled for a learning proposal with an entry to publish, even without an executor, and disabled with the reason without one', () => {
    const entry = { category: 'annual-refund', key: '5c1f0a2b3d4e', content: { answer: 'Pro rata' } };
    expect(executeButton(approvedPage({ type: 'learning', knowledge: entry }, { canExecute: false }))).not.toContain('disabled');
    expect(executeButton(approvedPage({ type: 'learning', patch: SOURCE_ONLY }, { hasAgent: true }))).toMatch(
      /disabled title="No answer that worked was recorded for this topic, so there is no knowledge entry to publish/,
    );
  });

  it('says first that no executor is configured when there is none', () => {
    expect(executeButton(approvedPage({}, { canExecute: false }))).toMatch(/disabled title="No executor is configured/);
  });
});
