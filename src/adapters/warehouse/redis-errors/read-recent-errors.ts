import type { Redis } from 'ioredis';
import type { TimeWindow } from '../../../ports/warehouse.ts';
import { parseErrorEntry, type ErrorEntryFields, type ErrorOccurrence } from './error-entry.ts';

export interface RecentErrors {
  /** What TYPE answered: 'stream', 'list', 'none' for a missing key, or the wrong type found. */
  type: string;
  /** In the window, oldest first (insertion order), so "the latest" means the same for both types. */
  occurrences: ErrorOccurrence[];
  /** Entries read from Redis, before parsing and the window filter. */
  read: number;
  /** Entries that did not describe an error occurrence. */
  malformed: number;
  /** True when maxEntries were read: the key may hold more in the window than were counted. */
  truncated: boolean;
}

/**
 * The window's error occurrences under `key`, a stream or a list of JSON objects (detected with
 * TYPE); a missing key or one of another type yields none. Reads at most maxEntries entries.
 */
export async function readRecentErrors(redis: Redis, key: string, window: TimeWindow, maxEntries: number): Promise<RecentErrors> {
  const type = await redis.type(key);
  if (type === 'stream') return readStream(redis, key, window, maxEntries);
  if (type === 'list') return readList(redis, key, window, maxEntries);
  return { type, occurrences: [], read: 0, malformed: 0, truncated: false };
}

async function readStream(redis: Redis, key: string, window: TimeWindow, maxEntries: number): Promise<RecentErrors> {
  const to = window.to.getTime() - 1;
  if (to < window.from.getTime()) return { type: 'stream', occurrences: [], read: 0, malformed: 0, truncated: false };
  // Ids are "<ms>-<seq>": a bare ms start means <ms>-0 and a bare ms end <ms>-<max>, so this is [from, to).
  const entries = await redis.xrange(key, String(window.from.getTime()), String(to), 'COUNT', maxEntries);
  const parsed = entries.map(([id, flat]) => parseErrorEntry(pairs(flat), new Date(Number(id.split('-')[0]))));
  return tally('stream', parsed, window, entries.length >= maxEntries);
}

async function readList(redis: Redis, key: string, window: TimeWindow, maxEntries: number): Promise<RecentErrors> {
  // The seed LPUSHes, so the head holds the newest; reversed, the list reads oldest first like a stream.
  const items = (await redis.lrange(key, 0, maxEntries - 1)).reverse();
  const parsed = items.map((item) => {
    const fields = parseJsonObject(item);
    return fields ? parseErrorEntry(fields) : null;
  });
  return tally('list', parsed, window, items.length >= maxEntries);
}

function tally(type: string, parsed: (ErrorOccurrence | null)[], window: TimeWindow, truncated: boolean): RecentErrors {
  const valid = parsed.filter((o): o is ErrorOccurrence => o !== null);
  // A stream entry's own timestamp may differ from its id; the window holds for the timestamp, as in SQL.
  const occurrences = valid.filter((o) => o.timestamp >= window.from && o.timestamp < window.to);
  return { type, occurrences, read: parsed.length, malformed: parsed.length - valid.length, truncated };
}

function pairs(flat: string[]): ErrorEntryFields {
  const fields: ErrorEntryFields = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1];
  return fields;
}

function parseJsonObject(text: string): ErrorEntryFields | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ErrorEntryFields) : null;
  } catch {
    return null;
  }
}
