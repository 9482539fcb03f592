import { createBigQueryWarehouse, type BigQueryWarehouseOptions } from '../../../../src/adapters/warehouse/bigquery/bigquery-warehouse.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../../../src/ports/warehouse.ts';
import { fakeServiceAccount, type FakeServiceAccount } from '../../../fakes/bigquery/fake-credentials.ts';
import { startFakeBigQuery, type FakeBigQuery, type FakeBigQueryOptions } from '../../../fakes/bigquery/fake-bigquery-server.ts';

export const PROJECT = 'loop-test-project';
export const WINDOW: TimeWindow = { from: new Date('2026-03-01T00:00:00.000Z'), to: new Date('2026-03-08T00:00:00.000Z') };

let account: FakeServiceAccount | undefined;
/** One key per test file: RSA generation costs ~50 ms, and the key never leaves memory. */
export function testAccount(): FakeServiceAccount {
  account ??= fakeServiceAccount(PROJECT);
  return account;
}

export interface Harness {
  fake: FakeBigQuery;
  warehouse: TelemetryWarehouse;
  close(): Promise<void>;
}

const open = new Set<Harness>();

/** A fake BigQuery that checks the client's signed JWT, and the real adapter pointed at it. */
export async function startHarness(
  fakeOptions: FakeBigQueryOptions = {},
  options: Partial<BigQueryWarehouseOptions> = {},
): Promise<Harness> {
  const fake = await startFakeBigQuery({ publicKey: testAccount().publicKey, ...fakeOptions });
  const warehouse = createBigQueryWarehouse({
    projectId: PROJECT,
    apiEndpoint: fake.url,
    credentials: testAccount().credentials,
    ...options,
  });
  const harness: Harness = {
    fake,
    warehouse,
    async close() {
      open.delete(harness);
      await warehouse.close();
      await fake.close();
    },
  };
  open.add(harness);
  return harness;
}

/** For afterEach: closes whatever a test (even a failed one) left open. */
export async function closeHarnesses(): Promise<void> {
  await Promise.all([...open].map((h) => h.close()));
}
