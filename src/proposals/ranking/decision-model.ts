import type { FeatureVector } from './ranking-features.ts';

/** One past decision: the finding's features, approved or not, and how much it counts. */
export interface DecisionExample {
  features: FeatureVector;
  approved: boolean;
  /** 1 for a plain decision; less for a rejection that only said "not now". */
  weight: number;
}

export interface DecisionModel {
  readonly bias: number;
  readonly weights: ReadonlyMap<string, number>;
  readonly examples: number;
}

export interface Contribution {
  feature: string;
  /** weight × value, in log-odds of approval */
  effect: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Solves A·x = b for a symmetric positive definite A (Gaussian elimination with partial pivoting). */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => Float64Array.from([...row, b[i]!]));
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const head = m[col]!;
    for (let r = col + 1; r < n; r += 1) {
      const row = m[r]!;
      const factor = row[col]! / head[col]!;
      if (factor !== 0) for (let c = col; c <= n; c += 1) row[c]! -= factor * head[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r -= 1) {
    const row = m[r]!;
    let sum = row[n]!;
    for (let c = r + 1; c < n; c += 1) sum -= row[c]! * x[c]!;
    x[r] = sum / row[r]!;
  }
  return x;
}

/**
 * L2-regularized logistic regression fitted by Newton's method (iteratively reweighted least
 * squares): a few exact steps instead of a learning rate to tune. The L2 term keeps a feature seen
 * in one or two decisions from dominating, which matters most while the history is short; the
 * bias is not penalized, so the base approval rate is learned as it is.
 */
export function trainDecisionModel(
  examples: readonly DecisionExample[],
  options: { l2?: number; iterations?: number; prior?: ReadonlyMap<string, number> } = {},
): DecisionModel {
  const l2 = options.l2 ?? 1;
  const iterations = options.iterations ?? 50;
  const prior = options.prior ?? new Map<string, number>();
  const names = [...new Set(examples.flatMap((e) => [...e.features.keys()]))].sort();
  const index = new Map(names.map((name, i) => [name, i + 1]));
  const priorOf = Float64Array.from([0, ...names.map((name) => prior.get(name) ?? 0)]);
  // Column 0 is the bias.
  const rows = examples.map((e) => ({
    x: [[0, 1] as const, ...[...e.features].map(([name, value]) => [index.get(name)!, value] as const)],
    y: e.approved ? 1 : 0,
    w: e.weight,
  }));
  const d = names.length + 1;
  let beta = Float64Array.from(priorOf);
  // Start the bias at the observed approval rate, net of what the prior already explains, so the
  // first Newton step is not taken where every probability is 0 or 1 (and its curvature is nil).
  const totalWeight = rows.reduce((sum, r) => sum + r.w, 0);
  const rate = Math.min(0.99, Math.max(0.01, rows.reduce((sum, r) => sum + r.y * r.w, 0) / (totalWeight || 1)));
  const priorMean = rows.reduce((sum, r) => sum + r.w * r.x.reduce((z, [i, v]) => z + priorOf[i]! * v, 0), 0) / (totalWeight || 1);
  beta[0] = Math.log(rate / (1 - rate)) - priorMean;
  for (let step = 0; step < iterations; step += 1) {
    const hessian = Array.from({ length: d }, () => new Float64Array(d));
    const gradient = new Float64Array(d);
    for (let i = 1; i < d; i += 1) {
      hessian[i]![i]! += l2;
      gradient[i]! -= l2 * (beta[i]! - priorOf[i]!);
    }
    hessian[0]![0]! += 1e-6;
    for (const row of rows) {
      let z = 0;
      for (const [i, value] of row.x) z += beta[i]! * value;
      const p = sigmoid(z);
      const residual = (row.y - p) * row.w;
      const curvature = Math.max(p * (1 - p), 1e-9) * row.w;
      for (const [i, vi] of row.x) {
        gradient[i]! += residual * vi;
        const line = hessian[i]!;
        for (const [j, vj] of row.x) line[j]! += curvature * vi * vj;
      }
    }
    const delta = solve(hessian, gradient);
    // A damped step: far from the optimum a full Newton step on a logistic loss can overshoot.
    const largest = delta.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
    const scale = largest > 4 ? 4 / largest : 1;
    beta = beta.map((b, i) => b + scale * delta[i]!);
    if (largest < 1e-6) break;
  }
  const weights = new Map(prior);
  names.forEach((name, i) => weights.set(name, beta[i + 1]!));
  return { bias: beta[0]!, weights, examples: examples.length };
}

export function approvalProbability(model: DecisionModel, features: FeatureVector): number {
  let z = model.bias;
  for (const [name, value] of features) z += (model.weights.get(name) ?? 0) * value;
  return sigmoid(z);
}

/** What moved this proposal's score most, strongest first: the "why" shown beside its rank. */
export function contributions(model: DecisionModel, features: FeatureVector, top = 3): Contribution[] {
  return [...features]
    .map(([feature, value]) => ({ feature, effect: (model.weights.get(feature) ?? 0) * value }))
    .filter((c) => Math.abs(c.effect) >= 0.05)
    .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect) || a.feature.localeCompare(b.feature))
    .slice(0, top);
}
