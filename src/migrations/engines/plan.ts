/**
 * The plan for an engine's migrations: its files in their layout against its own history table. Failed rows are
 * failures, edited files (where the engine keeps a checksum) are refused, and the SQL of what is pending is linted
 * when the engine can show it.
 */

import type { Diagnostic } from '../../diagnostics/index.js';
import type { StatusEntry } from '../compare.js';
import type { DbClient } from '../db.js';
import { findDestructiveTargets } from '../destructive.js';
import type { PgVersion } from '../execution-mode.js';
import type { MigrationFile } from '../files.js';
import { lintSources } from '../lint/index.js';
import { noFilesDiagnostic } from '../no-files.js';
import type { MigrateOptions } from '../options.js';
import type { PlannedMigration } from '../plan-types.js';
import { engineSqlSources } from './sql-sources.js';
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
    } else if (
      entry.checksum &&
      m.checksum &&
      !(engine.checksumMatches?.(entry.checksum, m) ?? entry.checksum === m.checksum)
    ) {
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
      severity: engine.deletedFilesIgnored ? 'warning' : 'error',
      code: 'migration/missing-file',
      message: `${e.id} is recorded as applied in ${history?.table} but no file for it is in ${dir}`,
      hint:
        engine.deletedFilesIgnored ??
        'check out the branch that has it, or mark it reverted with the engine’s repair command',
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
      ...(context.lint && !mode ? { sqlUnseen: true } : {}),
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
  const { sources, diagnostics } = await engineSqlSources(engine, pending, {
    all,
    applied,
    options,
    database: true,
  });
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
