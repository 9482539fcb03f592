import type { AgentExecutionRecord, OptimizationRecord } from '../../../ports/warehouse.ts';
import type { WarehouseTables } from './identifiers.ts';
import { float64Parameter, stringParameter, timestampParameter, type QueryParameter } from './query-parameters.ts';

/**
 * Write-back is parameterized INSERT DML rather than the insertAll streaming API: one row per
 * execution is far below where streaming pays off, DML is exactly-once and visible to the next query
 * at once (streamed rows sit in a buffer that UPDATE and DELETE cannot touch for up to 90 minutes, and
 * are at-least-once without insert ids), and it takes the same job path as the reads, so the same
 * maximumBytesBilled, job timeout and error mapping apply.
 *
 * Expected columns:
 *   agent_executions (proposal_id STRING, status STRING, actor STRING, detail STRING, timestamp TIMESTAMP)
 *   optimizations    (proposal_id STRING, endpoint STRING, before_p95_ms FLOAT64, after_p95_ms FLOAT64,
 *                     response_time_reduction FLOAT64, timestamp TIMESTAMP)
 */

export interface Statement {
  sql: string;
  parameters: QueryParameter[];
}

export function insertExecution(tables: WarehouseTables, record: AgentExecutionRecord): Statement {
  return {
    sql: `INSERT INTO ${tables.agentExecutions} (proposal_id, status, actor, detail, timestamp)
VALUES (@proposal_id, @status, @actor, @detail, @timestamp)`,
    parameters: [
      stringParameter('proposal_id', record.proposalId),
      stringParameter('status', record.status),
      stringParameter('actor', record.actor),
      stringParameter('detail', record.detail),
      timestampParameter('timestamp', record.timestamp),
    ],
  };
}

export function insertOptimization(tables: WarehouseTables, record: OptimizationRecord): Statement {
  return {
    sql: `INSERT INTO ${tables.optimizations} (proposal_id, endpoint, before_p95_ms, after_p95_ms, response_time_reduction, timestamp)
VALUES (@proposal_id, @endpoint, @before_p95_ms, @after_p95_ms, @response_time_reduction, @timestamp)`,
    parameters: [
      stringParameter('proposal_id', record.proposalId),
      stringParameter('endpoint', record.endpoint),
      float64Parameter('before_p95_ms', record.beforeP95Ms),
      float64Parameter('after_p95_ms', record.afterP95Ms),
      float64Parameter('response_time_reduction', record.responseTimeReduction),
      timestampParameter('timestamp', record.timestamp),
    ],
  };
}
