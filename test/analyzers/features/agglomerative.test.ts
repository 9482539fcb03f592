import { describe, expect, it } from 'vitest';
import { averageLinkageClusters } from '../../../src/analyzers/features/agglomerative.ts';

// Points on a line; similarity falls with distance, so the cut decides how many clusters remain.
const points = [0, 1, 2, 10, 11, 30];
const similarity = (i: number, j: number) => 1 / (1 + Math.abs(points[i]! - points[j]!));

describe('average-linkage clustering with a similarity cut', () => {
  it('lets the cut choose the number of clusters', () => {
    expect(averageLinkageClusters(points.length, similarity, 0.3)).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect(averageLinkageClusters(points.length, similarity, 0.9)).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(averageLinkageClusters(points.length, similarity, 0)).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it('merges on the mean similarity of all pairs, not the closest pair', () => {
    // 0–1 and 1–2 are close (0.5) but 0–2 is not (1/3): the mean, 0.44, misses a 0.45 cut.
    expect(averageLinkageClusters(3, (i, j) => (Math.abs(i - j) === 1 ? 0.5 : 1 / 3), 0.45)).toEqual([[0, 1], [2]]);
  });

  it('handles no items and one item', () => {
    expect(averageLinkageClusters(0, similarity, 0.5)).toEqual([]);
    expect(averageLinkageClusters(1, similarity, 0.5)).toEqual([[0]]);
  });
});
