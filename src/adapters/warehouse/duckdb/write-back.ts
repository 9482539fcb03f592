import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DOUBLE, TIMESTAMP, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { AgentExecutionRecord, OptimizationRecord } from '../../../ports/warehouse.ts';
import { queryRows, sqlString, timestampParameter } from './sql-statements.ts';

/**
 * The write-back tables (ai_learning.agent_executions, performance.optimizations) in a DuckDB file
 * of their own. DuckDB lets one process at a time open a file for writing, and the server and the
 * CLI may both record, so the file is attached only for the moment of a write and a busy file is
 * retried for a few seconds.
 */

const ALIAS = 'improvement_writeback';
const SCHEMA_DDL = [
  `CREATE SCHEMA IF NOT EXISTS ${ALIAS}.ai_learning`,
  `CREATE TABLE IF NOT EXISTS ${ALIAS}.ai_learning.agent_executions (
     proposal_id VARCHAR NOT NULL, status VARCHAR NOT NULL, actor VARCHAR NOT NULL, detail VARCHAR, timestamp TIMESTAMP NOT NULL)`,
  `CREATE SCHEMA IF NOT EXISTS ${ALIAS}.performance`,
  `CREATE TABLE IF NOT EXISTS ${ALIAS}.performance.optimizations (
     proposal_id VARCHAR NOT NULL, endpoint VARCHAR NOT NULL, before_p95_ms DOUBLE, after_p95_ms DOUBLE,
     response_time_reduction DOUBLE, timestamp TIMESTAMP NOT NULL)`,
];
const BUSY_RETRY_MS = [50, 100, 200, 400, 800, 1600, 2000];

export class WriteBackFile {
  /** Writes run one after another: two attaches of the same file under one alias would collide. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly connect: () => Promise<DuckDBConnection>,
  ) {}

  /** Creates the file and its tables if missing. */
  async open(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await this.withFile(async () => undefined);
  }

  recordExecution(record: AgentExecutionRecord): Promise<void> {
    return this.withFile(async (connection) => {
      await queryRows(
        connection,
        `INSERT INTO ${ALIAS}.ai_learning.agent_executions (proposal_id, status, actor, detail, timestamp) VALUES ($1, $2, $3, $4, $5)`,
        [record.proposalId, record.status, record.actor, record.detail, timestampParameter(record.timestamp)],
        [VARCHAR, VARCHAR, VARCHAR, VARCHAR, TIMESTAMP],
      );
    });
  }

  recordOptimization(record: OptimizationRecord): Promise<void> {
    return this.withFile(async (connection) => {
      await queryRows(
        connection,
        `INSERT INTO ${ALIAS}.performance.optimizations (proposal_id, endpoint, before_p95_ms, after_p95_ms, response_time_reduction, timestamp)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          record.proposalId,
          record.endpoint,
          record.beforeP95Ms,
          record.afterP95Ms,
          record.responseTimeReduction,
          timestampParameter(record.timestamp),
        ],
        [VARCHAR, VARCHAR, DOUBLE, DOUBLE, DOUBLE, TIMESTAMP],
      );
    });
  }

  private withFile(write: (connection: DuckDBConnection) => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      const connection = await this.connect();
      try {
        await this.attach(connection);
        try {
          for (const ddl of SCHEMA_DDL) await connection.run(ddl);
          await write(connection);
        } finally {
          await connection.run(`DETACH ${ALIAS}`);
        }
      } finally {
        connection.closeSync();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async attach(connection: DuckDBConnection): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.run(`ATTACH ${sqlString(this.file)} AS ${ALIAS}`);
        return;
      } catch (error) {
        const busy = error instanceof Error && /lock/i.test(error.message);
        const wait = BUSY_RETRY_MS[attempt];
        if (!busy || wait === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }
}
