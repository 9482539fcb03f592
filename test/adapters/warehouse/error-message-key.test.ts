import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { DUCKDB_DIALECT } from '../../../src/adapters/warehouse/duckdb/error-group-queries.ts';
import { errorMessageKey, foldStepSql, uuidStepSql } from '../../../src/adapters/warehouse/error-message-key.ts';
import { maskForGrouping } from '../../../src/analyzers/errors/mask.ts';

/** Messages in the shapes the mask's rules handle, and the ones a digit fold would get wrong. */
const SHAPES = [
  'Invalid quantity 3.5 for SKU-1005 in order 19314',
  'Payment provider timed out after 7861 ms charging order 69500 for mateo.okafor@example.com',
  'Column count mismatch in report 64357: expected 7 fields, got 6 (row 3576)',
  'User 42 not found',
  'connect ECONNREFUSED 10.0.3.17:5432',
  'GET /api/orders/123 failed with 502',
  '"GET /api/v2/items/77?page=3 HTTP/1.1" 500 1234',
  'fetch https://api.example.com/v1/users/991 failed: 503',
  'request 1f0c9a2e-3b4d-4c5e-9f60-718293a4b5c6 timed out after 30s',
  'request 1F0C9A2E-3B4D-4C5E-9F60-718293A4B5C6 timed out after 30 s',
  'job 0d8a7f6e-5c4b-4a39-8271-605f4e3d2c1b for alice@example.com failed',
  'Cache miss for key user:123:profile at 2026-01-04T10:28:13.018Z',
  'Cache miss at 2026-01-04 10:28:13 (attempt 3)',
  'Retry 3 of 5 in 250 ms',
  'Retry 3 of 5 in 250ms',
  'Upload of 18846 bytes (18.4 KB) exceeded 10 MB',
  'api v2 returned 404',
  'http2 stream 7 reset',
  'node 18.19.0 unsupported',
  'value x.2 out of range 10',
  'value .5 is not allowed, limit 3',
  'quantity 1.a is invalid',
  "Cannot read properties of undefined (reading 'item42')",
  "Cannot read properties of undefined (reading 'item-42')",
  "Unknown field 'x' at position 17",
  'config count=5 retries=3 timeout=1.5',
  'list 10.0.0.1,10.0.0.2,10.0.0.3 unreachable',
  'pointer 0x7ffe12ab is invalid',
  'hash deadbeef12345678 mismatch at 3',
  'address fe80::1:2 unreachable after 3 tries',
  'file /var/data/part-0017.csv line 9 malformed',
  'file data/2026/part-7.json is empty',
  'C:\\Users\\app\\logs\\run-42.log locked for 3 s',
  'token <NUM>5 left in the text by an upstream masker',
  'ratio 3/4 above 1/2',
  'order #123 and order #4567 clash',
  'temperature -12 below -10',
];

/** The same shapes with other digits: what the warehouse's key must join, or keep apart, alike. */
function variants(message: string): string[] {
  const shift = (by: number) => message.replace(/[0-9]/g, (d) => String((Number(d) + by) % 10));
  return [message, shift(1), shift(7), message.replace(/[0-9]/g, '9')];
}

describe('the key error messages are grouped by in the warehouse', () => {
  const messages = SHAPES.flatMap(variants);

  it('never joins two messages the template miner masks differently', () => {
    for (const message of messages) expect(maskForGrouping(errorMessageKey(message)), message).toBe(maskForGrouping(message));
    const byKey = new Map<string, Set<string>>();
    for (const message of messages)
      byKey.set(errorMessageKey(message), (byKey.get(errorMessageKey(message)) ?? new Set()).add(maskForGrouping(message)));
    for (const [key, masks] of byKey) expect([...masks], key).toHaveLength(1);
  });

  it('joins messages that differ only in their numbers and ids', () => {
    expect(errorMessageKey('Invalid quantity 3.5 for SKU-1005 in order 19314')).toBe(
      errorMessageKey('Invalid quantity 1.5 for SKU-1011 in order 26231'),
    );
    expect(errorMessageKey('request 1f0c9a2e-3b4d-4c5e-9f60-718293a4b5c6 timed out after 30 s')).toBe(
      errorMessageKey('request 0d8a7f6e-5c4b-4a39-8271-605f4e3d2c1b timed out after 70 s'),
    );
    // A digit touching a letter names a thing (v2, http2) or carries a unit: the message keeps its digits.
    expect(errorMessageKey('api v2 returned 404')).not.toBe(errorMessageKey('api v3 returned 404'));
  });

  it('is computed alike by DuckDB and by JavaScript', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const values = messages.map((m) => `(${DUCKDB_DIALECT.quote(m)})`).join(', ');
      const reader = await connection.runAndReadAll(
        `SELECT m, ${foldStepSql('u', DUCKDB_DIALECT)} AS key FROM (SELECT m, ${uuidStepSql('m', DUCKDB_DIALECT)} AS u FROM (VALUES ${values}) AS t(m))`,
      );
      const rows = reader.getRowObjectsJS() as { m: string; key: string }[];
      expect(rows).toHaveLength(messages.length);
      for (const row of rows) expect(row.key, row.m).toBe(errorMessageKey(row.m));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
