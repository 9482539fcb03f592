import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, TRANSITIONS } from '../../src/domain/lifecycle.ts';
import { IllegalTransition } from '../../src/domain/errors.ts';
import { STATUSES } from '../../src/domain/proposal.ts';

describe('the proposal lifecycle', () => {
  it('allows exactly the moves the seed describes', () => {
    const allowed = STATUSES.flatMap((from) => STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed.sort()).toEqual(
      [
        'pending→approved',
        'pending→rejected',
        'approved→executing',
        'executing→implemented',
        'executing→failed',
        'failed→approved',
        'implemented→rolled_back',
        'implemented→merged',
      ].sort(),
    );
  });

  it('treats rejected, rolled_back and merged as final', () => {
    expect(TRANSITIONS.rejected).toEqual([]);
    expect(TRANSITIONS.rolled_back).toEqual([]);
    expect(TRANSITIONS.merged).toEqual([]);
  });

  it('explains a refused move with where the proposal can go instead', () => {
    expect(() => assertTransition('p-1', 'pending', 'implemented')).toThrow(IllegalTransition);
    expect(() => assertTransition('p-1', 'pending', 'implemented')).toThrow(
      /cannot go from pending to implemented; from pending it can go to approved, rejected/,
    );
    expect(() => assertTransition('p-1', 'rejected', 'approved')).toThrow(/it is final/);
  });
});
