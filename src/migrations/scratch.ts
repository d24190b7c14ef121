/**
 * `migrate test`: apply every migration to a throwaway database on the same server before anything touches the real
 * target, and report what fails. The scratch database is always dropped afterwards.
 */
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { maskCredentials } from '../redact/index.js';
import { dropAbandonedScratch, scratchName } from '../scratch-db/index.js';
import { connect, type DbClient, quoteIdent, requireDatabaseUrl } from './db.js';
import { type Engine, engineFor } from './engines/index.js';
import { type AppliedMigration, migrateUp, type UpOptions } from './up.js';

export interface TestResult {
  ok: boolean;
  /** The server, password masked. */
  server: string;
  database: string;
  applied: AppliedMigration[];
  diagnostics: Diagnostic[];
}

export async function testMigrations(options: UpOptions): Promise<TestResult> {
  const url = requireDatabaseUrl(options);
  const admin = await connect(url, 'test').catch((error: Error) => {
    throw new UserError(
      `migrate test needs a PostgreSQL server to create a scratch database on, and none is reachable: ${error.message}`,
      'start a local server (e.g. docker run -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres) and pass its URL with --database-url; an embedded PGlite fallback is not available in this build',
      'migration/no-server',
    );
  });
  // A run killed before its drop leaves its database; the time in its name lets a later run drop it.
  const database = scratchName(SCRATCH_PREFIX);
  const scratchUrl = withDatabase(url, database);
  const swept = await dropAbandonedScratch(admin, SCRATCH_PREFIX);
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    const engine = options.engine && options.engine !== 'sql' ? engineFor(options.engine) : undefined;
    const before = engine && (await historyKeys(engine, admin, options));
    const up = await migrateUp({
      ...options,
      databaseUrl: scratchUrl,
      skipLint: true,
      noBackupReason: 'scratch database for migrate test',
      journal: undefined,
    });
    const diagnostics = up.diagnostics.filter((d) => d.code !== 'migration/resuming-edited-file');
    // An engine command that ignores the URL it is given migrates whatever its own config names: say so loudly.
    const after = engine && before && (await historyKeys(engine, admin, options));
    const changed = after ? [...after.keys].filter((k) => !before?.keys.has(k)) : [];
    if (engine && changed.length) {
      diagnostics.push({
        severity: 'error',
        code: 'migration/test-touched-target',
        message: `\`${options.command ?? engine.defaultCommand}\` changed the TARGET database ${maskCredentials(url)}, not the scratch one: ${after?.table} now records ${changed.join(', ')}`,
        hint: `make the command read its database URL from ${options.urlEnv ?? 'DATABASE_URL'} (opsbook sets it to the scratch database), and check the target: these migrations ran there`,
      });
    }
    for (const name of swept)
      diagnostics.push({
        severity: 'info',
        code: 'migration/scratch-dropped',
        message: `dropped ${name}, a scratch database an earlier migrate test left behind (it was stopped before its cleanup)`,
      });
    return {
      ok: up.ok && !changed.length,
      server: maskCredentials(url),
      database,
      applied: up.applied,
      diagnostics,
    };
  } finally {
    await admin
      .query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`)
      .catch(() => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`).catch(() => {}));
    await admin.end().catch(() => {});
  }
}

const SCRATCH_PREFIX = 'opsbook_scratch_';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** What the engine's history on the target says, as `id:state` keys; undefined when it cannot be read. */
async function historyKeys(
  engine: Engine,
  client: DbClient,
  options: UpOptions,
): Promise<{ table: string; keys: Set<string> } | undefined> {
  try {
    const listed = await engine.list(options.cwd, options.dir ?? engine.defaultDir, options.maxFileBytes);
    const history = await engine.readHistory(client, listed.migrations);
    return {
      table: history?.table ?? `${engine.name}'s history`,
      keys: new Set(
        (history?.entries ?? []).map((e) => `${e.id}${e.state === 'applied' ? '' : ` (${e.state})`}`),
      ),
    };
  } catch {
    return undefined;
  }
}
