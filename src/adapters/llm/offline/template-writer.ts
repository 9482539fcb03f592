import type { Finding } from '../../../domain/finding.ts';
import type { ProposalDraft } from '../../../domain/proposal.ts';
import type { ProposalWriter } from '../../../ports/writer.ts';
import { stripInvisible, stripInvisibleDeep } from '../invisible-characters.ts';
import { duplicateExtraction } from './duplicate-extraction.ts';
import { jsdocPatch } from './jsdoc-patch.ts';
import { regressionTestPatch } from './regression-test-patch.ts';
import { securityPlan } from './security-plan.ts';

/** What each kind of finding usually needs, in the reader's terms. */
const PLAYBOOK: Record<Finding['type'], { plan: string; risk: string; rollback: string; test: string }> = {
  performance: {
    plan: 'Profile the handler, then remove the dominant cost (an N+1 query, a missing index, or a cacheable read).',
    risk: 'Medium: caching can serve stale data; query changes can alter results.',
    rollback: 'Revert the commit on the improvement branch; no data migration is involved.',
    test: 'Compare p95 latency of the endpoint over equal windows before and after; keep its existing tests green.',
  },
  bug_fix: {
    plan: 'Reproduce the error with a failing test from the recorded message and stack, then fix the code at the top in-app frame.',
    risk: 'Low to medium: the change is local to the failing code path.',
    rollback: 'Revert the commit; the error returns to its previous rate.',
    test: 'A regression test that fails before the fix and passes after; the error group stops growing.',
  },
  feature: {
    plan: 'Write a short specification from the quoted requests: problem, user stories, acceptance criteria; size it before building.',
    risk: 'Product risk: the theme may not reflect paying customers; check the quoted requests.',
    rollback: 'Ship behind a feature flag and switch it off.',
    test: 'Acceptance tests from the specification; follow the theme’s request volume after release.',
  },
  learning: {
    plan: 'Add or correct knowledge-base answers for the topic, from the successful answers recorded.',
    risk: 'Low: answers change, code does not.',
    rollback: 'Restore the previous knowledge-base entries.',
    test: 'Re-run the failed questions against the new answers; watch the topic’s bad-outcome rate.',
  },
  code_quality: {
    plan: 'Reduce complexity or add the missing tests/docs in the files named, without changing behaviour.',
    risk: 'Low: behaviour is kept; the test suite guards it.',
    rollback: 'Revert the commit.',
    test: 'The full test suite passes; coverage or complexity moves as stated.',
  },
  security: {
    plan: 'Upgrade the affected package to the fixed version, or revoke and remove the committed secret.',
    risk: 'Low to medium: an upgrade within the major version may still change behaviour; a revoked credential breaks whatever still uses it until the new one is in place.',
    rollback: 'Revert the commit (an upgrade); a revoked secret is not restored, its replacement is.',
    test: 'The full test suite passes; the next security scan no longer reports the advisory or the secret.',
  },
};

export interface TemplateWriterDeps {
  /** A file of the target repository at HEAD (null when absent): lets the writer draft patches it can derive from the code. */
  readFile?: (path: string) => Promise<string | null>;
}

/**
 * The writer used without an API key, and when the LLM fails: deterministic text from the evidence,
 * and, where the change follows from the code alone (a JSDoc block for an undocumented export, the
 * extraction of a callback two files repeat, a bug's regression test with the fix its line implies), a patch. Finding text can quote customers and error logs, so invisible and bidi control characters
 * are removed from what it copies (the fingerprint stays as it is: it is a key, not text).
 */
export function createTemplateWriter(deps: TemplateWriterDeps = {}): ProposalWriter {
  return {
    name: 'template',
    async write(finding: Finding): Promise<ProposalDraft> {
      const play = PLAYBOOK[finding.type];
      const drafted = await draftPatch(finding, deps);
      const measured = stripInvisibleDeep(finding.evidence);
      return {
        type: finding.type,
        ...(finding.category ? { category: finding.category } : {}),
        title: stripInvisible(finding.title),
        // The analyzer's summary says what was measured; every surface lists the evidence beside it.
        summary: stripInvisible(finding.summary),
        evidence: measured,
        priority: finding.priority,
        risk: play.risk,
        implementationPlan: drafted?.plan ?? play.plan,
        ...(drafted?.patch ? { patch: drafted.patch } : {}),
        rollbackPlan: play.rollback,
        testPlan: play.test,
        fingerprint: finding.fingerprint,
        writtenBy: 'template',
        source: finding.analyzer,
        magnitude: finding.magnitude,
      };
    },
  };
}

/** A patch the code alone determines, or none; a file that cannot be read leaves the proposal without one. */
async function draftPatch(finding: Finding, deps: TemplateWriterDeps): Promise<{ patch?: string; plan: string } | null> {
  if (finding.type === 'security') return securityPlan(finding, deps.readFile);
  if (!deps.readFile) return null;
  if (finding.type === 'bug_fix') {
    const drafted = await regressionTestPatch(finding, deps.readFile);
    return drafted && { plan: drafted.plan, ...(drafted.patch ? { patch: drafted.patch } : {}) };
  }
  if (finding.category === 'duplication') {
    const extracted = await duplicateExtraction(finding, deps.readFile);
    if (!extracted) return null;
    return {
      patch: extracted.patch,
      plan:
        `The patch moves the repeated callback into ${extracted.module} as ${extracted.name}, its parameters the callback's own and ` +
        `the outer variables it reads, and calls it from both places. Behaviour does not change: the code is the same, only where it lives.`,
    };
  }
  const file = finding.details?.['file'];
  if (finding.category !== 'docs' || typeof file !== 'string') return null;
  const content = await deps.readFile(file).catch(() => null);
  const drafted = content === null ? null : jsdocPatch(finding, content);
  if (!drafted) return null;
  return {
    patch: drafted.patch,
    plan:
      `The patch adds a JSDoc block drawn from the code alone: a sentence made from the name, and its @param and @returns tags. ` +
      `Behaviour does not change; what the function is for is worth a sentence more, on its branch before merging.`,
  };
}
