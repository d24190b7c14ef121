/**
 * The histories other tools keep in the same database, read and never written: Prisma's `_prisma_migrations`,
 * Supabase's `supabase_migrations.schema_migrations` and Alembic's `alembic_version` (current heads only). `status`
 * shows them and `baseline --from` imports them.
 */
import type { DbClient } from './db.js';
import { prismaHistoryTable } from './engines/prisma.js';

export type ForeignTool = 'prisma' | 'supabase' | 'alembic';

export interface ForeignEntry {
  /** The leading digits of the migration name (Prisma, Supabase) or the Alembic revision. */
  version: string;
  name: string;
  state: 'applied' | 'failed' | 'rolled-back' | 'head';
  appliedAt?: string;
  /** Prisma only: sha256 hex of the raw migration.sql. */
  checksum?: string;
}

export interface ForeignHistory {
  tool: ForeignTool;
  table: string;
  entries: ForeignEntry[];
}

async function exists(client: DbClient, table: string): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return Boolean(rows[0]?.t);
}

export async function readForeignHistories(client: DbClient): Promise<ForeignHistory[]> {
  const found: ForeignHistory[] = [];
  // In the schema the app's `?schema=` names, which may be off the search path.
  const prisma = await prismaHistoryTable(client);
  if (prisma) {
    const { rows } = await client.query<{
      name: string;
      checksum: string;
      finished: string | null;
      rolled: string | null;
    }>(
      `SELECT migration_name AS name, checksum, finished_at::text AS finished, rolled_back_at::text AS rolled
         FROM ${prisma.sql} ORDER BY started_at`,
    );
    found.push({
      tool: 'prisma',
      table: prisma.name,
      entries: rows.map((r) => ({
        ...splitName(r.name),
        // A row neither finished nor rolled back is a failed migration that blocks `prisma migrate deploy`.
        state: r.rolled ? 'rolled-back' : r.finished ? 'applied' : 'failed',
        appliedAt: r.finished ?? undefined,
        checksum: r.checksum,
      })),
    });
  }
  if (await exists(client, 'supabase_migrations.schema_migrations')) {
    // Columns vary across Supabase CLI versions: read the row as JSON instead of naming them.
    const { rows } = await client.query<{ version: string; name: string | null }>(
      `SELECT version::text AS version, to_jsonb(m) ->> 'name' AS name FROM supabase_migrations.schema_migrations m ORDER BY 1`,
    );
    found.push({
      tool: 'supabase',
      table: 'supabase_migrations.schema_migrations',
      entries: rows.map((r) => ({ version: r.version, name: r.name ?? '', state: 'applied' })),
    });
  }
  if (await exists(client, 'alembic_version')) {
    const { rows } = await client.query<{ v: string }>('SELECT version_num AS v FROM alembic_version');
    found.push({
      tool: 'alembic',
      table: 'alembic_version',
      entries: rows.map((r) => ({ version: r.v, name: '', state: 'head' })),
    });
  }
  return found;
}

function splitName(name: string): { version: string; name: string } {
  const m = /^(\d+)_?(.*)$/.exec(name);
  return m ? { version: m[1] ?? name, name: m[2] ?? '' } : { version: name, name };
}
