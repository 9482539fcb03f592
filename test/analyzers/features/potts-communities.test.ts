import { describe, expect, it } from 'vitest';
import { nearestNeighbourGraph } from '../../../src/analyzers/features/nearest-neighbour-graph.ts';
import { pottsCommunities } from '../../../src/analyzers/features/potts-communities.ts';

/** `count` cliques of `size` nodes, each clique tied to the next by one edge: a ring. */
function ringOfCliques(count: number, size: number): [number, number, number][] {
  const edges: [number, number, number][] = [];
  for (let c = 0; c < count; c++) {
    for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) edges.push([c * size + i, c * size + j, 1]);
    edges.push([c * size, ((c + 1) % count) * size + 1, 1]);
  }
  return edges;
}

const groups = (membership: number[]) => {
  const byCommunity = new Map<number, number[]>();
  membership.forEach((c, i) => byCommunity.set(c, [...(byCommunity.get(c) ?? []), i]));
  return [...byCommunity.values()].sort((a, b) => a[0]! - b[0]!);
};

describe('constant Potts model communities', () => {
  it('finds each clique of a ring of 40 cliques of 5, where modularity merges neighbouring cliques', () => {
    // The textbook resolution limit: with 40 cliques, modularity prefers pairs of cliques
    // (Fortunato and Barthélemy 2007); a density threshold does not depend on how many there are.
    const membership = pottsCommunities(200, ringOfCliques(40, 5), 0.1);
    expect(groups(membership)).toEqual(Array.from({ length: 40 }, (_, c) => [0, 1, 2, 3, 4].map((i) => c * 5 + i)));
  });

  it('merges the cliques once the density asked for is below that of the links between them', () => {
    const membership = pottsCommunities(10, ringOfCliques(2, 5), 0.001);
    expect(new Set(membership).size).toBe(1);
  });

  it('leaves an isolated node alone and gives the same communities on every run', () => {
    const edges = [...ringOfCliques(3, 4), [0, 12, 0.01] as [number, number, number]];
    const first = pottsCommunities(13, edges, 0.2);
    expect(groups(first)).toContainEqual([12]);
    expect(pottsCommunities(13, edges, 0.2)).toEqual(first);
  });
});

describe('the nearest-neighbour graph', () => {
  it('keeps an edge when either end has the other among its k nearest, and drops the rest', () => {
    // 0's nearest is 1, 1's is 0, 2's is 1; 0–2 is nobody's nearest.
    const pairs: [number, number, number][] = [
      [0, 1, 0.9],
      [0, 2, 0.3],
      [1, 2, 0.5],
      [2, 3, 0],
    ];
    expect(nearestNeighbourGraph(4, pairs, 1)).toEqual([
      [0, 1, 0.9],
      [1, 2, 0.5],
    ]);
    expect(nearestNeighbourGraph(4, pairs, 2)).toEqual(pairs.slice(0, 3));
  });
});
