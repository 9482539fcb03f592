import { mixSeed, seededRandom } from '../../analyzers/performance/seeded-random.ts';

/**
 * The generator's randomness: one seeded stream per purpose (mulberry32), so that changing the
 * number of interactions does not change the metric rows, and the same seed gives the same bytes.
 */
export class SampleRandom {
  private readonly next: () => number;
  private spareNormal: number | undefined;

  constructor(seed: number, ...stream: number[]) {
    this.next = seededRandom(mixSeed(seed, ...stream));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)]!;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Lognormal with the given median and σ of its logarithm. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Fisher–Yates, in place. */
  shuffle<T extends { length: number; [index: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }
}

/** `counts[k]` copies of label k, shuffled: exact totals per label in a random order. */
export function shuffledLabels(counts: readonly number[], random: SampleRandom): Uint16Array {
  const labels = new Uint16Array(counts.reduce((a, b) => a + b, 0));
  let at = 0;
  counts.forEach((count, label) => {
    labels.fill(label, at, at + count);
    at += count;
  });
  return random.shuffle(labels);
}
