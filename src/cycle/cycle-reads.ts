import type { CycleReads } from '../ports/analyzer.ts';

/**
 * The reads of one cycle, by source and key. A read that fails is forgotten, so the next analyzer
 * asking tries again rather than inheriting the failure.
 */
export function createCycleReads(): CycleReads {
  const bySource = new WeakMap<object, Map<string, Promise<unknown>>>();
  return {
    once<T>(source: object, key: string, read: () => Promise<T>): Promise<T> {
      let reads = bySource.get(source);
      if (!reads) bySource.set(source, (reads = new Map()));
      const known = reads.get(key);
      if (known) return known as Promise<T>;
      const started = read();
      reads.set(key, started);
      started.catch(() => reads.delete(key));
      return started;
    },
  };
}
