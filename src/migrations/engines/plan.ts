/**
 * The plan for an engine's migrations: its files in their layout against its own history table. Failed rows are
 * failures, edited files (where the engine keeps a checksum) are refused, and the SQL of what is pending is linted
 * when the engine can show it.
 */

import { resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import type { StatusEntry } from '../compare.js';
import type { DbClient } from '../db.js';
import { findDestructiveTargets } from '../destructive.js';
import type { PgVersion } from '../execution-mode.js';
import type { MigrationFile } from '../files.js';
import { type LintSource, lintSources } from '../lint/index.js';
import { noFilesDiagnostic } from '../no-files.js';
import type { MigrateOptions } from '../options.js';
import type { PlannedMigration } from '../plan.js';
import { describeExit, runShell } from './command.js';
import type { Engine, EngineHistory, EngineMigration } from './types.js';

export interface EnginePlanParts {
  entries: StatusEntry[];
  pending: PlannedMigration[];
  diagnostics: Diagnostic[];
  history?: EngineHistory;
  migrations: EngineMigration[];
}

export function asFile(m: EngineMigration): MigrationFile {
  return {
    version: m.version,
    name: m.name,
    path: m.path,
    display: m.display,
    text: m.sql ?? '',
    checksum: m.checksum ?? '',
  };
}

export async function buildEngineParts(
  client: DbClient,
  engine: Engine,
  options: MigrateOptions,
  context: { pg: PgVersion; lint: boolean },
): Promise<EnginePlanParts> {
  const dir = options.dir ?? engine.defaultDir;
  const listed = await engine.list(options.cwd, dir, options.maxFileBytes);
  const history = await engine.readHistory(client, listed.migrations);
  const diagnostics: Diagnostic[] = [
    ...listed.diagnostics,
    ...noFilesDiagnostic(listed.migrations.length, dir, engine.layout),
    ...(history?.diagnostics ?? []),
  ];
  if (engine.name === 'other') {
    diagnostics.push({
      severity: 'error',
      code: 'migration/unknown-history',
      message:
        'with engine: other, opsbook cannot read which migrations are applied, so it cannot tell whether the database is up to date',
      hint: 'set migrations.engine to the tool that writes the files (prisma, supabase, alembic, django, rails, ecto, knex, drizzle, node-pg-migrate) or sql',
    });
  }
  const byId = new Map((history?.entries ?? []).map((e) => [e.id, e]));
  const ids = new Set(listed.migrations.map((m) => m.id));
  const entries: StatusEntry[] = [];
  const pendingMigrations: EngineMigration[] = [];
  for (const m of listed.migrations) {
    const entry = byId.get(m.id);
    const base = { version: m.version, name: m.name, file: asFile(m), appliedAt: entry?.appliedAt };
    if (!entry) {
      entries.push({ ...base, state: 'pending' });
      pendingMigrations.push(m);
    } else if (entry.state === 'failed') {
      entries.push({ ...base, state: 'failed' });
      diagnostics.push(failedDiagnostic(engine, m, history?.table ?? ''));
    } else if (entry.state === 'rolled-back') {
      entries.push({ ...base, state: 'rolled-back' });
      pendingMigrations.push(m);
    } else if (entry.checksum && m.checksum && entry.checksum !== m.checksum) {
      entries.push({ ...base, state: 'checksum-mismatch' });
      diagnostics.push({
        severity: 'error',
        code: 'migration/checksum-mismatch',
        message: `${m.display} was edited after ${engine.name} applied it (checksum ${entry.checksum.slice(0, 12)} recorded, ${m.checksum.slice(0, 12)} now)`,
        hint: 'restore the file from version control and put the change in a new migration',
        location: { file: m.display },
      });
    } else entries.push({ ...base, state: 'applied' });
  }
  for (const e of history?.entries ?? []) {
    if (ids.has(e.id) || e.state !== 'applied' || engine.name === 'alembic') continue;
    entries.push({ version: e.id, name: '', state: 'missing-file', appliedAt: e.appliedAt });
    diagnostics.push({
      severity: 'error',
      code: 'migration/missing-file',
      message: `${e.id} is recorded as applied in ${history?.table} but no file for it is in ${dir}`,
      hint: 'check out the branch that has it, or mark it reverted with the engine’s repair command',
    });
  }
  const linted = context.lint
    ? await lintPending(engine, pendingMigrations, listed.migrations, [...byId.keys()], options, context.pg)
    : { diagnostics: [], statements: new Map() };
  diagnostics.push(...linted.diagnostics);
  const pending = pendingMigrations.map((m): PlannedMigration => {
    const mode = linted.statements.get(m.id);
    const statements = mode?.statements ?? [];
    return {
      version: m.version,
      name: m.name,
      file: asFile(m),
      resumeFrom: 0,
      transactional: mode?.transactional ?? true,
      reason: mode?.reason,
      statements,
      destructive: findDestructiveTargets(statements),
    };
  });
  return { entries, pending, diagnostics, history, migrations: listed.migrations };
}

function failedDiagnostic(engine: Engine, m: EngineMigration, table: string): Diagnostic {
  return {
    severity: 'error',
    code: 'migration/failed',
    message: `${m.display} is recorded as failed in ${table}: ${engine.name} refuses to apply anything after it, and part of it may have run`,
    hint:
      engine.name === 'prisma'
        ? `inspect the database, then 'npx prisma migrate resolve --rolled-back ${m.id}' (to retry it) or '--applied ${m.id}' (if it did complete)`
        : 'inspect the database and resolve the failed migration with the engine before deploying',
    location: { file: m.display },
  };
}

type Mode = { statements: PlannedMigration['statements']; transactional: boolean; reason?: string };

async function lintPending(
  engine: Engine,
  pending: readonly EngineMigration[],
  all: readonly EngineMigration[],
  applied: string[],
  options: MigrateOptions,
  pg: PgVersion,
): Promise<{ diagnostics: Diagnostic[]; statements: Map<string, Mode> }> {
  const statements = new Map<string, Mode>();
  const diagnostics: Diagnostic[] = [];
  if (!pending.length) return { diagnostics, statements };
  const source = engine.sqlSource;
  let sources: (LintSource & { id?: string })[] = [];
  if (source.kind === 'none') {
    diagnostics.push(
      notLinted(
        pending.map((m) => m.display),
        source.why,
      ),
    );
  } else if (source.kind === 'files') {
    const notSql = pending.filter((m) => m.sql === undefined);
    if (notSql.length)
      diagnostics.push(
        notLinted(
          notSql.map((m) => m.display),
          'they are code, not SQL, so opsbook cannot see the statements they run; review them by hand or write risky changes as .sql migrations',
        ),
      );
    sources = pending.flatMap((m) =>
      m.sql === undefined ? [] : [{ id: m.id, file: m.display, text: m.sql }],
    );
  } else {
    const root = engine.root(resolve(options.cwd, options.dir ?? engine.defaultDir), options.cwd);
    for (const command of source.command({ pending, applied, all, base: options.command })) {
      const run = await runShell(command, { cwd: root, env: engineEnv(options), signal: options.signal });
      if (!run.ok) {
        diagnostics.push({
          severity: 'error',
          code: 'migration/sql-unavailable',
          message: `could not get the SQL of the pending ${engine.name} migrations: \`${command}\` failed (${describeExit(run)})${run.tail ? `:\n${run.tail}` : ''}`,
          hint: `install ${engine.name} where opsbook runs (the same environment as the deploy), or set migrations.command to how it is run (e.g. 'cd backend && uv run ...')`,
        });
        continue;
      }
      sources.push({ file: `${command} (SQL of ${pending.length} pending)`, text: run.stdout });
    }
  }
  const result = await lintSources(sources, {
    pg,
    // The engine's runner sets no lock or statement timeout of its own.
    runnerTimeouts: { lock: false, statement: false },
    ruleSeverity: options.ruleSeverity,
    oneRun: true,
  });
  diagnostics.push(...result.diagnostics);
  sources.forEach((s, i) => {
    const file = result.files[i];
    if (s.id && file) statements.set(s.id, file.mode);
  });
  return { diagnostics, statements };
}

function notLinted(files: string[], why: string): Diagnostic {
  return {
    severity: 'warning',
    code: 'migration/not-linted',
    message: `${files.length} pending migration(s) not linted (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}): ${why}`,
  };
}

/** The environment engine commands run in: the caller's, with the target URL under the variable the engine reads. */
export function engineEnv(options: MigrateOptions): NodeJS.ProcessEnv {
  const env = { ...(options.env ?? process.env) };
  if (options.databaseUrl) env[options.urlEnv ?? 'DATABASE_URL'] = options.databaseUrl;
  return env;
}
