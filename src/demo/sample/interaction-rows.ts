import { type Plan } from '../planted.ts';
import { apportion } from './apportion.ts';
import { createCustomers, customerMetadata, PLANS, type Customer } from './customers.ts';
import { fillSlots, slotValues } from './fill-slots.ts';
import { INTERACTION_KINDS, type InteractionKind } from './interaction-kinds.ts';
import type { ColumnValues, ParquetTableWriter } from './parquet-table-writer.ts';
import { SampleRandom, shuffledLabels } from './sample-random.ts';
import { sampleTimes } from './traffic-curve.ts';

/** Rows per append: bounds memory for the large sample. */
const BATCH = 65_536;

/** Interactions per kind: planted kinds get round(share × total) exactly, everyday kinds split the rest. */
export function interactionKindCounts(total: number): number[] {
  const planted = INTERACTION_KINDS.map((kind) => (kind.planted ? Math.round(kind.share * total) : 0));
  const rest = Math.max(0, total - planted.reduce((a, b) => a + b, 0));
  const everyday = apportion(rest, INTERACTION_KINDS.map((kind) => (kind.planted ? 0 : kind.share)));
  return planted.map((count, index) => count + everyday[index]!);
}

interface KindState {
  kind: InteractionKind;
  outcomeNames: string[];
  outcomes: Uint16Array;
  plans: Uint16Array | undefined;
  used: number;
}

/** Writes `total` customer interactions over [fromMs, toMs) and returns how many it wrote. */
export async function writeInteractions(writer: ParquetTableWriter, total: number, fromMs: number, toMs: number, seed: number): Promise<number> {
  const random = new SampleRandom(seed, 1);
  const customers = createCustomers(total, new SampleRandom(seed, 2));
  const customersByPlan = new Map<Plan, Customer[]>(PLANS.map((plan) => [plan, customers.filter((customer) => customer.plan === plan)]));
  const counts = interactionKindCounts(total);
  const kindOfRow = shuffledLabels(counts, random);
  const times = sampleTimes(total, fromMs, toMs, random);
  const states = INTERACTION_KINDS.map((kind, index): KindState => {
    const outcomeNames = Object.keys(kind.outcomes);
    const outcomes = shuffledLabels(apportion(counts[index]!, outcomeNames.map((name) => kind.outcomes[name as keyof typeof kind.outcomes]!)), random);
    const plans = kind.plans ? shuffledLabels(apportion(counts[index]!, PLANS.map((plan) => kind.plans![plan] ?? 0)), random) : undefined;
    return { kind, outcomeNames, outcomes, plans, used: 0 };
  });

  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    const columns: ColumnValues[] = Array.from({ length: 8 }, () => []);
    for (let row = start; row < end; row++) {
      const state = states[kindOfRow[row]!]!;
      const k = state.used++;
      const pool = state.plans ? customersByPlan.get(PLANS[state.plans[k]!]!)! : customers;
      const customer = random.pick(pool.length > 0 ? pool : customers);
      const slots = slotValues(random, times[row]!);
      const sentiment = Math.max(-1, Math.min(1, state.kind.meanSentiment + 0.25 * random.normal()));
      columns[0]!.push(times[row]!);
      columns[1]!.push(customer.id);
      columns[2]!.push(state.kind.types[k % state.kind.types.length]!);
      columns[3]!.push(fillSlots(random.pick(state.kind.messages), slots));
      columns[4]!.push(fillSlots(random.pick(state.kind.responses), slots));
      columns[5]!.push(state.outcomeNames[state.outcomes[k]!]!);
      columns[6]!.push(Math.round(sentiment * 100) / 100);
      columns[7]!.push(customerMetadata(customer, random.uniform() < 0.7 ? 'chat' : 'email'));
    }
    await writer.append(columns);
  }
  return total;
}
