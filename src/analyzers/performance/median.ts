/** The median, averaging the middle pair of an even count; NaN for no values. */
export function median(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  // Selection, not a sort: the hourly detector takes thousands of medians per endpoint.
  const work = new Float64Array(n);
  for (let i = 0; i < n; i++) work[i] = values[i]!;
  const mid = n >> 1;
  const upper = select(work, mid);
  if (n % 2 === 1) return upper;
  // After selecting `mid`, everything left of it is no larger: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (work[i]! > lower) lower = work[i]!;
  return (lower + upper) / 2;
}

/** Hoare's quickselect: puts the k-th smallest at k, smaller ones before it, larger after; returns it. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = medianOfThree(a[lo]!, a[(lo + hi) >> 1]!, a[hi]!);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const swap = a[i]!;
        a[i] = a[j]!;
        a[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
