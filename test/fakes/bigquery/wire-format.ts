/**
 * BigQuery's REST wire format, both ways: result rows as `{ f: [{ v }] }` cells encoded per the
 * schema (the way getQueryResults sends them), and query parameters decoded from jobs.insert /
 * jobs.query bodies into `{ name, type, value }` a test can assert on.
 */

export type FakeFieldType =
  'STRING' | 'INT64' | 'INTEGER' | 'FLOAT64' | 'FLOAT' | 'NUMERIC' | 'BOOL' | 'BOOLEAN' | 'TIMESTAMP' | 'JSON' | 'RECORD';

export interface FakeField {
  name: string;
  type: FakeFieldType;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: FakeField[];
}

/** How TIMESTAMP cells travel: int64 microseconds when the client asks formatOptions.useInt64Timestamp, else float seconds. */
export type TimestampFormat = 'int64' | 'float';

export interface WireRow {
  f: { v: unknown }[];
}

/** A row given as an object keyed by column name, or as an array in schema order. */
export type FakeRow = Record<string, unknown> | unknown[];

export function encodeRow(schema: readonly FakeField[], row: FakeRow, timestamps: TimestampFormat): WireRow {
  return {
    f: schema.map((field, index) => ({
      v: encodeValue(field, Array.isArray(row) ? row[index] : row[field.name], timestamps),
    })),
  };
}

function encodeValue(field: FakeField, value: unknown, timestamps: TimestampFormat): unknown {
  if (value === null || value === undefined) return field.mode === 'REPEATED' ? [] : null;
  if (field.mode === 'REPEATED') {
    return (value as unknown[]).map((item) => ({ v: encodeScalar(field, item, timestamps) }));
  }
  return encodeScalar(field, value, timestamps);
}

function encodeScalar(field: FakeField, value: unknown, timestamps: TimestampFormat): unknown {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'TIMESTAMP':
      return encodeTimestamp(value, timestamps);
    case 'INT64':
    case 'INTEGER':
      return typeof value === 'string' ? value : BigInt(value as number | bigint).toString();
    case 'FLOAT64':
    case 'FLOAT':
    case 'NUMERIC':
      return String(value);
    case 'BOOL':
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'JSON':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'RECORD':
      return encodeRow(field.fields ?? [], value as FakeRow, timestamps);
    default:
      return String(value);
  }
}

function encodeTimestamp(value: unknown, format: TimestampFormat): string {
  const micros =
    typeof value === 'bigint'
      ? value
      : value instanceof Date
        ? BigInt(value.getTime()) * 1000n
        : typeof value === 'number'
          ? BigInt(value) * 1000n
          : isoToMicros(String(value));
  if (format === 'int64') return micros.toString();
  // BigQuery's legacy form, e.g. "1.700000000123456E9".
  return (Number(micros) / 1e6).toExponential().replace('e+', 'E').replace('e-', 'E-');
}

/** Keeps the microseconds an ISO string carries, which a Date would drop. */
function isoToMicros(iso: string): bigint {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  const ms = Date.parse(match ? `${match[1]}${match[3]}` : iso);
  if (Number.isNaN(ms)) throw new TypeError(`fake BigQuery: ${JSON.stringify(iso)} is not a timestamp`);
  const fraction = (match?.[2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(fraction || '0');
}

export interface WireParameter {
  name?: string;
  parameterType: {
    type: string;
    arrayType?: WireParameter['parameterType'];
    structTypes?: { name?: string; type: WireParameter['parameterType'] }[];
  };
  parameterValue?: { value?: unknown; arrayValues?: { value?: unknown }[] };
}

export interface RecordedParameter {
  name: string;
  /** e.g. "TIMESTAMP", "INT64", "ARRAY<STRING>". */
  type: string;
  /** As sent: a string (or number) for scalars, an array of them for arrays, null when absent. */
  value: unknown;
}

export function decodeParameters(parameters: readonly WireParameter[] | undefined): RecordedParameter[] {
  return (parameters ?? []).map((p) => ({
    name: p.name ?? '',
    type: typeName(p.parameterType),
    value:
      p.parameterType.type === 'ARRAY'
        ? (p.parameterValue?.arrayValues ?? []).map((v) => v.value ?? null)
        : (p.parameterValue?.value ?? null),
  }));
}

function typeName(type: WireParameter['parameterType']): string {
  if (type.type === 'ARRAY' && type.arrayType) return `ARRAY<${typeName(type.arrayType)}>`;
  if (type.type === 'STRUCT' && type.structTypes) {
    return `STRUCT<${type.structTypes.map((s) => `${s.name ?? ''} ${typeName(s.type)}`.trim()).join(', ')}>`;
  }
  return type.type;
}
