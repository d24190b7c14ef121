/**
 * Prisma Migrate: `prisma/migrations/<timestamp>_<name>/migration.sql`, recorded in `_prisma_migrations`. A row that
 * neither finished nor was rolled back is a failed migration (Prisma's P3009 blocks every later deploy); a rolled-back
 * row is not applied. The checksum is the sha256 of migration.sql, which Prisma compares too.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import { quoteIdent } from '../../sql/index.js';
import type { DbClient } from '../db.js';
import { findUp, listDir, readChecked, sha256 } from './files.js';
import { tableExists } from './history-tables.js';
import type { Engine, EngineHistoryEntry, EngineMigration } from './types.js';

/**
 * Prisma's own rule (schema-engine checksum.rs): the file as it is, or with its line endings turned either way (git's
 * autocrlf), and old rows whose hex was written without zero padding (prisma-engines#1887).
 */
export function prismaChecksumMatches(recorded: string, text: string): boolean {
  const variants = [text, text.replaceAll('\r\n', '\n'), text.replaceAll('\n', '\r\n')];
  return variants.some((v) => {
    const digest = createHash('sha256').update(v).digest();
    const hex =
      recorded.length === 64 ? digest.toString('hex') : [...digest].map((b) => b.toString(16)).join('');
    return hex === recorded;
  });
}

export const prisma: Engine = {
  name: 'prisma',
  layout: 'prisma/migrations/<timestamp>_<name>/migration.sql folders',
  defaultDir: 'prisma/migrations',
  defaultCommand: 'npx prisma migrate deploy',
  sqlSource: { kind: 'files' },
  root: (dirAbs, cwd) => findUp(dirAbs, cwd, 'package.json'),
  checksumMatches: (recorded, m) => prismaChecksumMatches(recorded, m.sql ?? ''),
  async list(cwd, dir, maxFileBytes) {
    const diagnostics: Diagnostic[] = [];
    const migrations: EngineMigration[] = [];
    for (const folder of await listDir(cwd, dir, this.layout)) {
      const path = join(cwd, dir, folder, 'migration.sql');
      if (!existsSync(path)) {
        // Every folder is a migration to Prisma: one without its SQL stops `migrate deploy` (P3015).
        if (statSync(join(cwd, dir, folder)).isDirectory()) {
          diagnostics.push({
            severity: 'error',
            code: 'migration/missing-sql',
            message: `${relative(cwd, join(cwd, dir, folder))} has no migration.sql: 'prisma migrate deploy' stops there (P3015)`,
            hint: 'restore migration.sql from version control, or delete the folder if the migration was abandoned',
            location: { file: relative(cwd, join(cwd, dir, folder)) },
          });
        }
        continue;
      }
      const read = await readChecked(path, cwd, diagnostics, maxFileBytes);
      if (!read) continue;
      const m = /^(\d+)_?(.*)$/.exec(folder);
      migrations.push({
        id: folder,
        version: m?.[1] ?? folder,
        name: m?.[2] ?? folder,
        path,
        display: read.display,
        sql: read.text,
        checksum: sha256(read.text),
      });
    }
    return { migrations, diagnostics };
  },
  async readHistory(client) {
    const table = await prismaHistoryTable(client);
    if (!table) return undefined;
    const { rows } = await client.query<{
      name: string;
      checksum: string;
      finished: string | null;
      rolled: string | null;
    }>(
      `SELECT migration_name AS name, checksum, finished_at::text AS finished, rolled_back_at::text AS rolled
         FROM ${table.sql} ORDER BY started_at`,
    );
    // A migration may have several rows (failed, resolved as rolled back, applied again): the best one counts.
    const rank = { applied: 3, failed: 2, 'rolled-back': 1 } as const;
    const byName = new Map<string, EngineHistoryEntry>();
    for (const r of rows) {
      const state = r.rolled ? 'rolled-back' : r.finished ? 'applied' : 'failed';
      const entry: EngineHistoryEntry = {
        id: r.name,
        state,
        appliedAt: r.finished ?? undefined,
        checksum: r.checksum,
      };
      const seen = byName.get(r.name);
      if (!seen || rank[state] >= rank[seen.state]) byName.set(r.name, entry);
    }
    return { table: table.name, entries: [...byName.values()] };
  },
};

/**
 * Prisma keeps its table in the schema the URL's `?schema=` names (default public), a parameter the pg driver ignores:
 * off the search_path, the one schema that has it is used.
 */
export async function prismaHistoryTable(
  client: DbClient,
): Promise<{ name: string; sql: string } | undefined> {
  if (await tableExists(client, '_prisma_migrations'))
    return { name: '_prisma_migrations', sql: '_prisma_migrations' };
  const { rows } = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const [only, ...more] = rows.map((r) => r.schema);
  if (!only) return undefined;
  if (more.length) {
    throw new UserError(
      `_prisma_migrations is in several schemas (${[only, ...more].join(', ')}) and none is on the search path`,
      `name the one to read in the URL: add options=-csearch_path%3D${only} (opsbook's driver ignores ?schema=)`,
      'migration/ambiguous-history',
    );
  }
  return { name: `${only}._prisma_migrations`, sql: `${quoteIdent(only)}._prisma_migrations` };
}
