import { seededRandom } from '../../src/analyzers/performance/seeded-random.ts';

/** Seeded generators for planted datasets: every test run sees the same "random" data. */
export function randomData(seed: number) {
  const random = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hex = (length: number): string => Array.from({ length }, () => '0123456789abcdef'[int(0, 15)]).join('');
  /** Standard normal by Box–Muller. */
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return {
    random,
    int,
    pick,
    hex,
    gaussian,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    email: () => `${pick(['ana', 'bo', 'chen', 'dmitri', 'eve'])}.${int(1, 9999)}@${pick(['example.com', 'corp.io', 'mail.co.uk'])}`,
    ip: () => `${int(1, 254)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`,
    path: () => `/${pick(['var', 'srv', 'home/app'])}/${pick(['data', 'uploads', 'cache'])}/${hex(6)}.${pick(['json', 'csv', 'png'])}`,
    isoTime: () => new Date(Date.UTC(2026, int(0, 11), int(1, 28), int(0, 23), int(0, 59), int(0, 59), int(0, 999))).toISOString(),
  };
}
