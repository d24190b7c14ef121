/**
 * `repair` and `baseline`: the legitimate ways to change the history without running SQL. Repair accepts edited files
 * (new checksum) and forgets applied files that were deleted; baseline marks files as applied on a database whose
 * schema already has them, from a version or from another tool's history. Both take the migration lock and record
 * an event for every change.
 */
import { UserError } from '../errors.js';
import { maskCredentials } from '../redact/index.js';
import { type Comparison, compareHistory } from './compare.js';
import { connect, type DbClient, requireDatabaseUrl } from './db.js';
import { prismaChecksumMatches } from './engines/prisma.js';
import { compareVersions, readMigrationDir } from './files.js';
import { type ForeignTool, readForeignHistories } from './foreign-history.js';
import {
  actor,
  ensureHistory,
  historyTable,
  insertEvent,
  readHistory,
  validateSchemaName,
} from './history.js';
import { acquireMigrationLock } from './lock.js';
import { noFilesDiagnostic } from './no-files.js';
import { DEFAULTS, type MigrateOptions, recordEvent } from './options.js';

export interface HistoryChange {
  action: 'update-checksum' | 'forget' | 'baseline' | 'import';
  version: string;
  name: string;
  detail: string;
}

export interface HistoryChangeResult {
  target: string;
  dryRun: boolean;
  changes: HistoryChange[];
}

type Planner = (client: DbClient, comparison: Comparison, schema: string) => Promise<HistoryChange[]>;

export function repairHistory(
  options: MigrateOptions & { dryRun?: boolean; reason?: string },
): Promise<HistoryChangeResult> {
  return changeHistory(options, 'repair', async (_client, comparison) =>
    comparison.entries.flatMap((e): HistoryChange[] => {
      if (e.state === 'checksum-mismatch' && e.row?.finished_at && e.file) {
        return [
          {
            action: 'update-checksum',
            version: e.version,
            name: e.name,
            detail: `${e.row.checksum.slice(0, 12)} -> ${e.file.checksum.slice(0, 12)}`,
          },
        ];
      }
      if (e.state === 'missing-file')
        return [{ action: 'forget', version: e.version, name: e.name, detail: 'file deleted' }];
      return [];
    }),
  );
}

export function baselineHistory(
  options: MigrateOptions & { dryRun?: boolean; reason?: string; to?: string; from?: ForeignTool },
): Promise<HistoryChangeResult> {
  if (!options.to === !options.from) {
    throw new UserError(
      'baseline needs exactly one of --to VERSION or --from prisma|supabase',
      'e.g. opsbook migrate baseline --to 20240501000000',
    );
  }
  if (options.to && !/^\d+$/.test(options.to))
    throw new UserError(`--to must be a version number, not "${options.to}"`);
  refuseEngineHistory(options.engine, 'baseline');
  return changeHistory(options, 'baseline', async (client, comparison) => {
    const unapplied = comparison.entries.filter((e) => e.file && !e.row);
    if (options.to) {
      const to = options.to;
      return unapplied
        .filter((e) => compareVersions(e.version, to) <= 0)
        .map((e) => ({
          action: 'baseline' as const,
          version: e.version,
          name: e.name,
          detail: `marked applied up to ${to}`,
        }));
    }
    const tool = options.from ?? 'prisma';
    if (tool === 'alembic') {
      throw new UserError(
        'Alembic keeps only its current head, not a history of files',
        'use baseline --to VERSION instead',
      );
    }
    const history = (await readForeignHistories(client)).find((h) => h.tool === tool);
    if (!history) throw new UserError(`no ${tool} migration history in this database`);
    // Only numbered rows can match a numbered file: a hand-named one (`manual_fix`) has no file here to mark.
    const applied = new Map(
      history.entries
        .filter((x) => x.state === 'applied' && /^\d+$/.test(x.version))
        .map((x) => [BigInt(x.version).toString(), x]),
    );
    return unapplied.flatMap((e) => {
      const found = /^\d+$/.test(e.version) ? applied.get(BigInt(e.version).toString()) : undefined;
      if (!found || !e.file) return [];
      const differs =
        found.checksum && !prismaChecksumMatches(found.checksum, e.file.text)
          ? ' (file differs from what prisma applied)'
          : '';
      return [
        {
          action: 'import' as const,
          version: e.version,
          name: e.name,
          detail: `applied by ${tool}${differs}`,
        },
      ];
    });
  });
}

async function changeHistory(
  options: MigrateOptions & { dryRun?: boolean; reason?: string },
  command: 'repair' | 'baseline',
  plan: Planner,
): Promise<HistoryChangeResult> {
  refuseEngineHistory(options.engine, command);
  const url = requireDatabaseUrl(options);
  const schema = validateSchemaName(options.schema ?? DEFAULTS.schema);
  const lock = await acquireMigrationLock(url, schema, {
    timeoutMs: options.advisoryLockTimeoutMs ?? DEFAULTS.advisoryLockTimeoutMs,
  });
  if (!lock.ok)
    throw new UserError(
      `another migration run holds the lock (pid ${lock.holders.map((h) => h.pid).join(', ')})`,
      'try again when it is done',
    );
  const client = await connect(url, command);
  try {
    const dir = await readMigrationDir(options.cwd, options.dir ?? DEFAULTS.dir, options.maxFileBytes);
    // A wrong --dir must not read as "every file deleted": repair would forget every row, and up apply them all again.
    // Two files under one version compare against one row: the new one would pass for the applied one.
    const [stop] = [
      ...(dir.refused.length ? [] : noFilesDiagnostic(dir.files.length, options.dir ?? DEFAULTS.dir)),
      ...dir.diagnostics.filter((d) => d.code === 'migration/duplicate-version'),
    ];
    if (stop) throw new UserError(`${stop.message}; ${command} changed nothing`, stop.hint, stop.code);
    const comparison = compareHistory(dir.files, await readHistory(client, schema), {
      allowOutOfOrder: true,
      refused: dir.refused,
    });
    const changes = await plan(client, comparison, schema);
    if (!options.dryRun && changes.length) {
      await ensureHistory(client, schema);
      const files = new Map(dir.files.map((f) => [f.version, f]));
      for (const change of changes) {
        await applyChange(client, schema, change, files.get(change.version));
        const message = `${command}: ${change.action} ${change.version}_${change.name} (${change.detail})${options.reason ? `: ${options.reason}` : ''}`;
        await insertEvent(client, schema, {
          type: command,
          version: change.version,
          message,
          data: { ...change, reason: options.reason },
        });
        await recordEvent(options, { type: `migration.${command}`, message, data: change });
      }
    }
    return { target: maskCredentials(url), dryRun: Boolean(options.dryRun), changes };
  } finally {
    await client.end().catch(() => {});
    await lock.lock.release().catch(() => {});
  }
}

async function applyChange(
  client: DbClient,
  schema: string,
  change: HistoryChange,
  file: { checksum: string; name: string } | undefined,
): Promise<void> {
  const table = historyTable(schema);
  if (change.action === 'forget') {
    await client.query(`DELETE FROM ${table} WHERE version = $1`, [change.version]);
  } else if (change.action === 'update-checksum') {
    await client.query(`UPDATE ${table} SET checksum = $2 WHERE version = $1`, [
      change.version,
      file?.checksum,
    ]);
  } else {
    await client.query(
      `INSERT INTO ${table} (version, name, checksum, kind, transactional, statements_total, statements_applied, finished_at, applied_by)
       VALUES ($1, $2, $3, $4, true, 0, 0, now(), $5)`,
      [
        change.version,
        file?.name ?? change.name,
        file?.checksum,
        change.action === 'import' ? 'imported' : 'baseline',
        actor(),
      ],
    );
  }
}

/** How each engine marks a migration applied or forgets one, in its own history. */
const ENGINE_RESOLVE: Record<string, string> = {
  prisma: "'npx prisma migrate resolve --applied NAME' (or --rolled-back NAME)",
  supabase: "'supabase migration repair --status applied VERSION' (or --status reverted)",
  alembic: "'alembic stamp REVISION'",
  django: "'python manage.py migrate APP NAME --fake'",
};

/**
 * With an engine, its own table is the history opsbook reads; repair and baseline change only opsbook's, which that
 * engine's plan never looks at, so they would report "nothing to change" (or record rows nobody reads) on nothing.
 */
function refuseEngineHistory(engine: string | undefined, command: 'repair' | 'baseline'): void {
  if (!engine || engine === 'sql') return;
  throw new UserError(
    `migrate ${command} changes opsbook's own history, but with engine: ${engine} the history is ${engine}'s, which opsbook only reads`,
    `change it with ${engine}'s own tool${ENGINE_RESOLVE[engine] ? `, e.g. ${ENGINE_RESOLVE[engine]}` : ''}; baseline --from prisma|supabase is for moving a project to engine: sql`,
    'migration/engine-history',
  );
}
