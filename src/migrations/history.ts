/** opsbook's own history tables, in their own schema so they never collide with another tool's `schema_migrations`. */
import { createHash } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { UserError } from '../errors.js';
import { type DbClient, quoteIdent } from './db.js';

export interface HistoryRow {
  version: string;
  name: string;
  checksum: string;
  /** `applied` by opsbook, `baseline`d, or `imported` from another tool's history. */
  kind: 'applied' | 'baseline' | 'imported';
  transactional: boolean;
  statements_total: number;
  statements_applied: number;
  started_at: Date;
  /** Null while a statement-by-statement file is half applied. */
  finished_at: Date | null;
  duration_ms: number | null;
  applied_by: string;
  backup_ref: string | null;
  last_error: string | null;
  /** Checksum of the statements applied so far, so a half-applied file may be fixed after its applied part. */
  applied_checksum: string | null;
}

export function validateSchemaName(schema: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(schema)) {
    throw new UserError(
      `invalid history schema name "${schema}"`,
      'use letters, digits and underscores',
      'migration/bad-schema',
    );
  }
  return schema;
}

export function historyTable(schema: string): string {
  return `${quoteIdent(schema)}.history`;
}

export function eventsTable(schema: string): string {
  return `${quoteIdent(schema)}.events`;
}

/** The columns opsbook reads and writes; a table without them is someone else's. */
const HISTORY_COLUMNS = [
  'version',
  'name',
  'checksum',
  'kind',
  'transactional',
  'statements_total',
  'statements_applied',
  'started_at',
  'finished_at',
  'duration_ms',
  'applied_by',
  'backup_ref',
  'last_error',
  'applied_checksum',
];

/**
 * Whether the history table exists. A `history` table that lacks opsbook's columns (an app's own audit table, when
 * --schema names an app schema such as public) is refused before anything is read or created beside it.
 */
async function historyExists(client: DbClient, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null; columns: string[] | null }>(
    `SELECT to_regclass($1)::text AS t,
            (SELECT array_agg(attname::text) FROM pg_attribute
              WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped) AS columns`,
    [historyTable(schema)],
  );
  if (!rows[0]?.t) return false;
  const have = new Set(rows[0].columns ?? []);
  const missing = HISTORY_COLUMNS.filter((c) => !have.has(c));
  if (missing.length) {
    throw new UserError(
      `${schema}.history is not opsbook's migration history (it has no ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''} column): another table has that name`,
      `keep opsbook's history in a schema of its own: drop --schema to use opsbook_migrations, or name a schema without a table called history`,
      'migration/not-opsbook-history',
    );
  }
  return true;
}

const EVENTS_COLUMNS = `
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    type text NOT NULL,
    version text,
    message text NOT NULL,
    data jsonb,
    actor text NOT NULL
  `;

/** Creates the tables; only called while holding the migration lock, so concurrent runners do not race the DDL. */
export async function ensureHistory(client: DbClient, schema: string): Promise<void> {
  await withPrivilege(schema, 'create', async () => {
    if (!(await historyExists(client, schema))) await createHistory(client, schema);
    await client.query(`CREATE TABLE IF NOT EXISTS ${eventsTable(schema)} (${EVENTS_COLUMNS})`);
  });
}

/**
 * A user without the privilege (a read-only role running status, a deploy role without CREATE on the database) is a
 * setup to fix, not a bug: SQLSTATE 42501 becomes a clear error naming what to grant.
 */
async function withPrivilege<T>(schema: string, need: 'read' | 'create', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    throw new UserError(
      `the database user cannot ${need} opsbook's migration history in schema ${schema}: ${(error as Error).message}`,
      need === 'create'
        ? `run migrations as a role with CREATE on the database (or create schema ${schema} for it), or GRANT CREATE ON DATABASE ... TO that role`
        : `GRANT USAGE ON SCHEMA ${schema} and SELECT ON ALL TABLES IN SCHEMA ${schema} to this role, or use the role that runs migrations`,
      'migration/no-privilege',
    );
  }
}

async function createHistory(client: DbClient, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${historyTable(schema)} (
    version text PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    kind text NOT NULL DEFAULT 'applied',
    transactional boolean NOT NULL,
    statements_total integer NOT NULL,
    statements_applied integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    duration_ms bigint,
    applied_by text NOT NULL,
    backup_ref text,
    last_error text,
    applied_checksum text
  )`);
}

/** The history, oldest first; empty when opsbook never ran here (reading creates nothing). */
export async function readHistory(client: DbClient, schema: string): Promise<HistoryRow[]> {
  const result = await withPrivilege(schema, 'read', async () =>
    (await historyExists(client, schema))
      ? client.query<HistoryRow>(`SELECT * FROM ${historyTable(schema)} ORDER BY started_at, version`)
      : undefined,
  );
  if (!result) return [];
  return result.rows.map((r) => ({
    ...r,
    duration_ms: r.duration_ms === null ? null : Number(r.duration_ms),
  }));
}

/** sha256 over the statement texts: what a half-applied file has already run. */
export function statementsChecksum(texts: readonly string[]): string {
  return createHash('sha256').update(texts.join('\n;\n')).digest('hex');
}

export function actor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry in some containers
  }
  return `${user}@${hostname()}`;
}

export async function insertEvent(
  client: DbClient,
  schema: string,
  event: { type: string; version?: string; message: string; data?: unknown },
): Promise<void> {
  await client.query(
    `INSERT INTO ${eventsTable(schema)} (type, version, message, data, actor) VALUES ($1, $2, $3, $4, $5)`,
    [
      event.type,
      event.version ?? null,
      event.message,
      event.data === undefined ? null : JSON.stringify(event.data),
      actor(),
    ],
  );
}
