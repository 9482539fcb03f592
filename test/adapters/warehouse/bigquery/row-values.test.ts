import { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import {
  dateCell,
  metadataCell,
  nullableNumberCell,
  numberCell,
  textCell,
} from '../../../../src/adapters/warehouse/bigquery/row-values.ts';

describe('BigQuery cells become the port types', () => {
  it('timestamps from the client object, int64 microseconds, float seconds and ISO text all give the same instant', () => {
    const instant = new Date('2026-03-05T10:15:30.250Z');
    for (const value of [BigQuery.timestamp(instant), '1772705730250000', '1.77270573025E9', '2026-03-05T10:15:30.250000Z', instant]) {
      expect(dateCell({ t: value }, 't')).toEqual(instant);
    }
  });

  it('INT64 and FLOAT64 from numbers, numeric strings, bigint and the client wrapper', () => {
    expect([42, '42', 42n, BigQuery.int('42')].map((v) => numberCell({ n: v }, 'n'))).toEqual([42, 42, 42, 42]);
    expect(numberCell({ n: '0.125' }, 'n')).toBe(0.125);
    expect(nullableNumberCell({ n: null }, 'n')).toBeNull();
  });

  it('refuses what is not a number or a timestamp, naming the column', () => {
    expect(() => numberCell({ calls: 'many' }, 'calls')).toThrow(/"many" in calls, expected a number/);
    expect(() => numberCell({ calls: null }, 'calls')).toThrow(/null in calls/);
    expect(() => dateCell({ first_seen: 'yesterday' }, 'first_seen')).toThrow(/in first_seen, expected a timestamp/);
  });

  it('text: null becomes empty where the port wants a string', () => {
    expect(textCell({ s: null }, 's')).toBe('');
    expect(textCell({ s: 'x' }, 's')).toBe('x');
  });

  it('metadata: objects kept, JSON text parsed, anything else as {}', () => {
    expect(metadataCell({ m: { a: 1 } }, 'm')).toEqual({ a: 1 });
    expect(metadataCell({ m: '{"a":1}' }, 'm')).toEqual({ a: 1 });
    for (const other of ['null', '[1,2]', '7', '{oops', '', null, 3]) expect(metadataCell({ m: other }, 'm')).toEqual({});
  });
});
