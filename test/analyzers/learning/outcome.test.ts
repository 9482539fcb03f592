import { describe, expect, it } from 'vitest';
import { interactionClassOf, outcomeClassOf } from '../../../src/analyzers/learning/outcome.ts';

describe('classifying how an interaction ended', () => {
  it.each([
    ['resolved', 'good'],
    ['Success', 'good'],
    ['unresolved', 'bad'],
    ['Not Resolved', 'bad'],
    ['not-resolved', 'bad'],
    ['escalated', 'bad'],
    ['pending', 'neutral'],
    ['unknown', 'neutral'],
    [null, 'neutral'],
  ] as const)('reads the outcome "%s" as %s', (outcome, expected) => {
    expect(outcomeClassOf(outcome)).toBe(expected);
  });

  it('lets a known outcome decide over the sentiment, which is only an estimate', () => {
    expect(interactionClassOf('resolved', -0.9)).toBe('good');
    expect(interactionClassOf('escalated', 0.9)).toBe('bad');
  });

  it('falls back on the sentiment when the outcome says nothing, with ±0.25 as the neutral band', () => {
    expect(interactionClassOf(null, 0.25)).toBe('good');
    expect(interactionClassOf('pending', -0.25)).toBe('bad');
    expect(interactionClassOf(null, 0.24)).toBe('neutral');
    expect(interactionClassOf(null, null)).toBe('neutral');
  });
});
