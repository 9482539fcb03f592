import type { SampleRandom } from './sample-random.ts';

/**
 * Fills the {slots} of a message and its response with one set of values, so that a response
 * mentions the order number the customer asked about.
 */
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const COUPONS = ['WINTER10', 'WELCOME5', 'BULK15', 'SPRING20', 'VIP25'];

export function slotValues(random: SampleRandom, timestampMs: number): Record<string, string> {
  const arrival = new Date(timestampMs - random.int(1, 6) * 86_400_000);
  return {
    order: String(random.int(10000, 99999)),
    n: String(random.int(2, 11)),
    month: MONTHS[random.int(0, 11)]!,
    amount: `${random.int(19, 2400)}.${String(random.int(0, 99)).padStart(2, '0')}`,
    seats: String(random.int(3, 80) * 5),
    coupon: random.pick(COUPONS),
    date: `${MONTHS[arrival.getUTCMonth()]!} ${arrival.getUTCDate()}`,
  };
}

export function fillSlots(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (slot, name: string) => values[name] ?? slot);
}
