/**
 * What one request is worth when ranking themes. A theme's score is the sum over its messages,
 * i.e. frequency × mean value:
 *
 *   value(message) = planWeight(plan ?? tier) × (1 + ln(1 + revenue / revenueUnit))
 *
 * The plan weight says whose contract is at stake (an enterprise ask weighs 3 free ones). Revenue
 * enters through a logarithm so that one large account raises a theme without drowning out a theme
 * that many customers ask for: 0 → ×1, 1 unit → ×1.7, 10 units → ×3.4, 100 units → ×5.6.
 */

export interface RequestMetadata {
  plan?: string;
  tier?: string;
  /** Revenue of the account, e.g. annual contract value, in the caller's currency. */
  revenue?: number;
}

export interface BusinessValueOptions {
  /** Weight by lower-cased plan or tier name; anything not listed weighs 1. */
  planWeights?: Record<string, number>;
  /** Revenue that counts as one unit in the formula (default 1000). */
  revenueUnit?: number;
}

export const DEFAULT_PLAN_WEIGHTS: Readonly<Record<string, number>> = {
  free: 1,
  trial: 1,
  starter: 1,
  basic: 1,
  pro: 1.5,
  team: 1.5,
  business: 2,
  premium: 2,
  enterprise: 3,
};

export function requestValue(metadata: RequestMetadata | undefined, options: BusinessValueOptions = {}): number {
  const weights = options.planWeights ?? DEFAULT_PLAN_WEIGHTS;
  const plan = (metadata?.plan ?? metadata?.tier)?.toLowerCase();
  const planWeight = plan !== undefined ? (weights[plan] ?? 1) : 1;
  const revenue = Math.max(0, metadata?.revenue ?? 0);
  return planWeight * (1 + Math.log1p(revenue / (options.revenueUnit ?? 1000)));
}
