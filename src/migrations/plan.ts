import { maskCredentials } from '../redact/index.js';
import { type Comparison, compareHistory } from './compare.js';
import { type DbClient, requireDatabaseUrl, serverVersionNum, withClient } from './db.js';
import { findDestructiveTargets } from './destructive.js';
import { engineFor } from './engines/index.js';
import { buildEngineParts } from './engines/plan.js';
import { decideExecutionMode } from './execution-mode.js';
import { readMigrationDir } from './files.js';
import { readHistory, statementsChecksum, validateSchemaName } from './history.js';
import { lintSources } from './lint/index.js';
import { noFilesDiagnostic } from './no-files.js';
import { DEFAULTS, type MigrateOptions, runnerTimeouts } from './options.js';
import { loadParser, parseSqlSync } from './parse-sql.js';
import { parsePgVersion } from './pg-version.js';
import type { MigrationPlan, PlannedMigration } from './plan-types.js';
import { referenceDiagnostics } from './references.js';

export type { MigrationPlan, PlannedMigration };

/** Reads the directory and the database, then closes the connection. */
export async function planMigrations(options: MigrateOptions): Promise<MigrationPlan> {
  const url = requireDatabaseUrl(options);
  return withClient(url, 'plan', (client) => buildPlan(client, options, { checkReferences: true }));
}

/** The history compared with the files, without linting or catalog checks: what is applied and what is not. */
export async function readPlanState(options: MigrateOptions): Promise<MigrationPlan> {
  const url = requireDatabaseUrl(options);
  return withClient(url, 'plan', (client) =>
    buildPlan(client, options, { checkReferences: false, lint: false }),
  );
}

export async function buildPlan(
  client: DbClient,
  options: MigrateOptions,
  {
    checkReferences,
    lint: withLint = true,
    parseErrors = withLint,
  }: {
    checkReferences: boolean;
    lint?: boolean;
    /** Files the parser rejects are errors even without the rules: set where the plan is about to be applied. */
    parseErrors?: boolean;
  },
): Promise<MigrationPlan> {
  const schema = validateSchemaName(options.schema ?? DEFAULTS.schema);
  const engine = options.engine && options.engine !== 'sql' ? engineFor(options.engine) : undefined;
  if (engine) {
    const pg = parsePgVersion(await serverVersionNum(client)) ?? { major: 15, minor: 0 };
    const parts = await buildEngineParts(client, engine, options, { pg, lint: withLint });
    return {
      target: maskCredentials(options.databaseUrl ?? ''),
      schema,
      pg,
      entries: parts.entries,
      pending: parts.pending,
      diagnostics: parts.diagnostics,
      engine: {
        name: engine.name,
        table: parts.history?.table,
        command: options.command ?? engine.defaultCommand,
      },
    };
  }
  const dir = await readMigrationDir(options.cwd, options.dir ?? DEFAULTS.dir, options.maxFileBytes);
  const rows = await readHistory(client, schema);
  const pg = parsePgVersion(await serverVersionNum(client)) ?? { major: 15, minor: 0 };
  await loadParser();
  const comparison: Comparison = compareHistory(dir.files, rows, {
    allowOutOfOrder: options.allowOutOfOrder,
    refused: dir.refused,
    appliedPartUnchanged: (file, row) => {
      if (row.statements_applied === 0) return true;
      const statements = decideExecutionMode(parseSqlSync(file.text), pg).statements;
      return (
        row.applied_checksum ===
        statementsChecksum(statements.slice(0, row.statements_applied).map((x) => x.text))
      );
    },
  });
  // The pending files are one run: a table the first one creates is new for the ones after it.
  const pendingFiles = comparison.pending.flatMap((e) => e.file ?? []);
  const lint = await lintSources(
    pendingFiles.map((f) => ({ file: f.display, text: f.text })),
    { pg, runnerTimeouts: runnerTimeouts(options), ruleSeverity: options.ruleSeverity, oneRun: true },
  );
  const pending = pendingFiles.map((file, i): PlannedMigration => {
    const linted = lint.files[i];
    const statements = linted?.mode.statements ?? [];
    const row = comparison.pending[i]?.row;
    return {
      version: file.version,
      name: file.name,
      file,
      resumeFrom: row && !row.finished_at ? row.statements_applied : 0,
      transactional: linted?.mode.transactional ?? true,
      reason: linted?.mode.reason,
      statements,
      destructive: findDestructiveTargets(statements),
    };
  });
  const diagnostics = [
    ...dir.diagnostics,
    ...noFilesDiagnostic(dir.files.length, options.dir ?? DEFAULTS.dir),
    ...comparison.diagnostics,
    // Without the rules (migrate test), a file the parser rejects must still stop the run: its statements are
    // unknown, and applying "zero statements" would record it as applied.
    ...(withLint
      ? lint.diagnostics
      : parseErrors
        ? lint.diagnostics.filter((d) => d.code === 'migration/syntax-error')
        : []),
  ];
  if (checkReferences) {
    for (const m of pending)
      diagnostics.push(...(await referenceDiagnostics(client, m, options.ruleSeverity)));
  }
  return {
    target: maskCredentials(options.databaseUrl ?? ''),
    schema,
    pg,
    entries: comparison.entries,
    pending,
    diagnostics,
  };
}
