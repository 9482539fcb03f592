import { describe, expect, it } from 'vitest';
import { cosine, stem, terms, tfIdfVectors } from '../../../src/analyzers/features/text-vectors.ts';

describe('request text as vectors', () => {
  it('stems inflections of one word to one term', () => {
    expect(new Set(['export', 'exports', 'exporting', 'exported'].map(stem))).toEqual(new Set(['export']));
    expect(new Set(['theme', 'themes'].map(stem)).size).toBe(1);
    expect(new Set(['mapping', 'map', 'maps'].map(stem)).size).toBe(1);
    expect(new Set(['category', 'categories'].map(stem)).size).toBe(1);
    expect(stem('status')).toBe('status');
    expect(stem('speed')).toBe('speed');
  });

  it('drops stop words and the words every request uses', () => {
    expect(terms('Please add support for exporting invoices to CSV!').map((t) => t.stem)).toEqual(['export', 'invoic', 'csv']);
  });

  it('weighs shared terms by rarity and normalizes each vector to unit length', () => {
    const [a, b, c] = tfIdfVectors([
      ['dark', 'mode'],
      ['dark', 'theme'],
      ['csv', 'export'],
    ]);
    for (const v of [a!, b!, c!]) expect(Math.hypot(...v.values())).toBeCloseTo(1);
    expect(cosine(a!, b!)).toBeGreaterThan(0);
    expect(cosine(a!, c!)).toBe(0);
    expect(cosine(a!, a!)).toBeCloseTo(1);
  });
});
