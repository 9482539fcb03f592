import type { Plan } from '../planted.ts';
import { apportion } from './apportion.ts';
import type { SampleRandom } from './sample-random.ts';

/**
 * The customers who write in: a fixed pool per sample, each with a plan and an annual revenue that
 * their interactions' metadata carries. One in five accounts is on the old billing system, whose
 * metadata says "tier" instead of "plan" (the feature analyzer must read either).
 */
export interface Customer {
  id: string;
  plan: Plan;
  revenue: number;
  seats: number;
  legacyTier: boolean;
}

export const PLANS: readonly Plan[] = ['free', 'pro', 'business', 'enterprise'];
const PLAN_SHARES = [0.55, 0.3, 0.11, 0.04];

export function createCustomers(interactions: number, random: SampleRandom): Customer[] {
  const size = Math.max(40, Math.round(interactions / 25));
  const counts = apportion(size, PLAN_SHARES);
  const customers: Customer[] = [];
  PLANS.forEach((plan, planIndex) => {
    for (let k = 0; k < counts[planIndex]!; k++) customers.push(customer(customers.length, plan, random));
  });
  return customers;
}

function customer(index: number, plan: Plan, random: SampleRandom): Customer {
  const seats = plan === 'free' ? 1 : plan === 'pro' ? random.int(1, 6) : plan === 'business' ? random.int(5, 30) : random.int(50, 400);
  const revenue = plan === 'free' ? 0 : plan === 'pro' ? 29 * 12 * seats : plan === 'business' ? 99 * 12 * seats : random.int(60, 300) * 1000;
  return { id: `cus_${String(index + 1).padStart(6, '0')}`, plan, revenue, seats, legacyTier: index % 5 === 3 };
}

/** The metadata JSON of one interaction, keys in a fixed order so the bytes are reproducible. */
export function customerMetadata(customer: Customer, channel: string): string {
  const planKey = customer.legacyTier ? 'tier' : 'plan';
  return `{"${planKey}":"${customer.plan}","revenue":${customer.revenue},"seats":${customer.seats},"channel":"${channel}"}`;
}
