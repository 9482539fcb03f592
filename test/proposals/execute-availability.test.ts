import { describe, expect, it } from 'vitest';
import { executeAvailability } from '../../src/proposals/execute-availability.ts';

const PATCH = 'diff --git a/src/a.js b/src/a.js\n--- a/src/a.js\n+++ b/src/a.js\n@@ -1 +1,2 @@\n+// why\n a();\n';

describe('whether Execute can do anything', () => {
  it('is available for a patch, with or without an agent, and says it applies the approved patch', () => {
    for (const hasAgent of [false, true]) {
      const can = executeAvailability({ type: 'code_quality', patch: PATCH }, { hasAgent });
      expect(can).toEqual({ available: true, reason: expect.stringMatching(/^Applies the approved patch/) });
    }
  });

  it('is available without a patch only when an agent can write the change, and says which is missing otherwise', () => {
    expect(executeAvailability({ type: 'bug_fix' }, { hasAgent: true })).toEqual({
      available: true,
      reason: expect.stringMatching(/^Claude writes/),
    });
    const offline = executeAvailability({ type: 'bug_fix', patch: '' }, { hasAgent: false });
    expect(offline.available).toBe(false);
    expect(offline.reason).toMatch(/no patch and no editing agent is configured \(set ANTHROPIC_API_KEY/);
  });

  it('is available for a learning proposal only when it has a knowledge entry to publish, and never runs a patch for it', () => {
    const knowledge = { category: 'annual-refund', key: '5c1f0a2b3d4e', content: { answer: 'Pro rata' } };
    for (const hasAgent of [false, true]) {
      const without = executeAvailability({ type: 'learning', patch: PATCH }, { hasAgent });
      expect(without.available).toBe(false);
      expect(without.reason).toMatch(/no knowledge entry to publish/);
      expect(executeAvailability({ type: 'learning', knowledge }, { hasAgent })).toEqual({
        available: true,
        reason: expect.stringMatching(
          /^Publishes the answer as knowledge:annual-refund:5c1f0a2b3d4e; no code changes, and Rollback withdraws it/,
        ),
      });
    }
  });
});
