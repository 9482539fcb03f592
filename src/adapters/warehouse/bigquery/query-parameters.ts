import type { TimeWindow } from '../../../ports/warehouse.ts';

/**
 * Named query parameters in the REST API's own shape (jobs.insert `queryParameters`), typed
 * explicitly: the client's type inference cannot type an empty array, and a cap must travel as INT64
 * whatever JavaScript number it came from. Values travel apart from the SQL text, so no user value is
 * ever parsed as SQL.
 */
export interface QueryParameter {
  name: string;
  parameterType: { type: string; arrayType?: { type: string } };
  parameterValue: { value?: string; arrayValues?: { value: string }[] };
}

export function timestampParameter(name: string, value: Date): QueryParameter {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`@${name} must be a valid date`);
  return { name, parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: value.toISOString() } };
}

export function int64Parameter(name: string, value: number): QueryParameter {
  if (!Number.isSafeInteger(value)) throw new RangeError(`@${name} must be an integer, got ${value}`);
  return { name, parameterType: { type: 'INT64' }, parameterValue: { value: String(value) } };
}

export function float64Parameter(name: string, value: number): QueryParameter {
  if (!Number.isFinite(value)) throw new RangeError(`@${name} must be a finite number, got ${value}`);
  return { name, parameterType: { type: 'FLOAT64' }, parameterValue: { value: String(value) } };
}

export function stringParameter(name: string, value: string): QueryParameter {
  return { name, parameterType: { type: 'STRING' }, parameterValue: { value: String(value) } };
}

export function stringArrayParameter(name: string, values: readonly string[]): QueryParameter {
  return {
    name,
    parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } },
    parameterValue: { arrayValues: values.map((value) => ({ value: String(value) })) },
  };
}

/** @from (inclusive) and @to (exclusive), the window every telemetry query filters its partitions by. */
export function windowParameters(window: TimeWindow): QueryParameter[] {
  return [timestampParameter('from', window.from), timestampParameter('to', window.to)];
}

export function capParameter(cap: number): QueryParameter {
  if (!Number.isSafeInteger(cap) || cap < 0) throw new RangeError(`cap must be a whole number ≥ 0, got ${cap}`);
  return int64Parameter('cap', cap);
}
