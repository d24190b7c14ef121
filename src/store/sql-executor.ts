/** The little each backend provides so one SQL implementation of the Store serves both, and the column encoders they share. */
import type { Redactor } from '../redact/index.js';
import type { AlertingTable } from './alerting-types.js';
import type { IncidentsTable } from './incidents-types.js';
import type { MonitoringTable } from './monitoring-types.js';
import type { JsonValue, StoreBackend } from './types.js';

export type SqlScalar = string | number | boolean | null;
/** An array binds as one PostgreSQL array parameter (monitoring-sql.ts: rowStatements); SQLite takes scalars only. */
export type SqlParam = SqlScalar | readonly SqlScalar[];
export type Row = Record<string, unknown>;

export type TableName =
  | 'runs'
  | 'steps'
  | 'events'
  | 'locks'
  | 'cache'
  | MonitoringTable
  | AlertingTable
  | IncidentsTable;

export interface SqlStatement {
  sql: string;
  params?: SqlParam[];
}

export interface SqlExecutor {
  readonly backend: StoreBackend;
  readonly location: string;
  /** The table's name as it must appear in SQL (schema-qualified on PostgreSQL). */
  table(name: TableName): string;
  /** Runs one statement written with `?` placeholders; use RETURNING to learn what changed. */
  query(sql: string, params?: SqlParam[]): Promise<Row[]>;
  /** Runs the statements in order in one transaction (all or none); returns each one's rows. */
  batch(statements: readonly SqlStatement[]): Promise<Row[][]>;
  /** A JSON column as the driver returns it (text in SQLite, parsed jsonb in PostgreSQL). */
  readJson(value: unknown): JsonValue | null;
  /** A timestamp column as the driver returns it (text in SQLite, Date in PostgreSQL). */
  readTime(value: unknown): string | null;
  close(): Promise<void>;
}

/** Canonical ISO form, so SQLite can compare timestamps as text. */
export function toIsoTime(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new TypeError(`invalid timestamp: ${String(value)}`);
  return date.toISOString();
}

/** Redacts keys and string values (a secret can hide in either), then serialises; undefined means SQL NULL. */
export function encodeJson(redactor: Redactor, value: JsonValue | undefined): string | null {
  if (value === undefined) return null;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactor.redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactor.redact(k), walk(x)]));
    }
    return v;
  };
  // The JSON round trip first turns class instances (Date, Error with toJSON...) into the plain data that is stored.
  return JSON.stringify(walk(JSON.parse(JSON.stringify(value))));
}
