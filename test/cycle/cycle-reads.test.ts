import { describe, expect, it } from 'vitest';
import { createCycleReads } from '../../src/cycle/cycle-reads.ts';

describe('a cycle’s shared reads', () => {
  it('runs the same read of the same source once, and different keys or sources apart', async () => {
    const reads = createCycleReads();
    const [warehouse, other] = [{}, {}];
    let runs = 0;
    const read = async () => ++runs;
    expect(await reads.once(warehouse, 'texts', read)).toBe(1);
    expect(await reads.once(warehouse, 'texts', read)).toBe(1);
    expect(await reads.once(warehouse, 'stats', read)).toBe(2);
    expect(await reads.once(other, 'texts', read)).toBe(3);
    expect(await createCycleReads().once(warehouse, 'texts', read)).toBe(4);
  });

  it('forgets a read that failed, so the next analyzer asking reads again', async () => {
    const reads = createCycleReads();
    const source = {};
    await expect(reads.once(source, 'texts', async () => Promise.reject(new Error('warehouse away')))).rejects.toThrow('warehouse away');
    expect(await reads.once(source, 'texts', async () => 'read again')).toBe('read again');
  });
});
