/**
 * The SQL of some of an engine's migrations, to lint: the files themselves when they are SQL, the engine's own dry run
 * when it has one (`alembic upgrade --sql`, `manage.py sqlmigrate`), and otherwise a plain statement of which
 * migrations could not be linted, why, and what to do. Shared by `migrate lint` (with or without a database) and the
 * plan.
 */
import { resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import type { RuleSeverity } from '../lint/engine.js';
import type { LintSource } from '../lint/index.js';
import { DEFAULTS, type MigrateOptions } from '../options.js';
import { describeExit, runShell } from './command.js';
import type { Engine, EngineMigration } from './types.js';

export interface EngineSqlSources {
  /** `id` is set when the source is one migration's file. */
  sources: (LintSource & { id?: string })[];
  diagnostics: Diagnostic[];
}

export async function engineSqlSources(
  engine: Engine,
  selected: readonly EngineMigration[],
  context: {
    all: readonly EngineMigration[];
    /** Ids the database (or, without one, the git base) has as applied: where a dry run starts from. */
    applied: readonly string[];
    options: MigrateOptions;
    /** Whether `options.databaseUrl` is a database the engine's command may connect to. */
    database: boolean;
  },
): Promise<EngineSqlSources> {
  const diagnostics: Diagnostic[] = [];
  const sources: EngineSqlSources['sources'] = [];
  if (!selected.length) return { sources, diagnostics };
  const source = engine.sqlSource;
  const { options } = context;
  const skipped = (migrations: readonly EngineMigration[], why: string) =>
    diagnostics.push(...notLinted(engine, migrations, why, options.ruleSeverity));
  if (source.kind === 'none') {
    skipped(selected, source.why);
  } else if (source.kind === 'files') {
    const code = selected.filter((m) => m.sql === undefined);
    if (code.length)
      skipped(
        code,
        source.code ??
          'they are code, not SQL, so opsbook cannot see the statements they run; review them by hand or write risky changes as .sql migrations',
      );
    for (const m of selected)
      if (m.sql !== undefined) sources.push({ id: m.id, file: m.display, text: m.sql });
  } else if (source.needsDatabase && !context.database) {
    skipped(selected, source.needsDatabase);
  } else {
    const root = engine.root(resolve(options.cwd, options.dir ?? engine.defaultDir), options.cwd);
    const env = engineEnv(options);
    const commands = source.command({
      pending: selected,
      applied: context.applied,
      all: context.all,
      base: options.command,
    });
    for (const [i, command] of commands.entries()) {
      const run = await runShell(command, {
        cwd: root,
        env,
        signal: options.signal,
        timeoutMs: options.commandTimeoutMs ?? DEFAULTS.commandTimeoutMs,
      });
      if (!run.ok) {
        diagnostics.push({
          severity: 'error',
          code: 'migration/sql-unavailable',
          message: `could not get the SQL of ${selected.length} ${engine.name} migration(s) to lint: \`${command}\` failed (${describeExit(run)})${run.tail ? `:\n${run.tail}` : ''}`,
          hint: `install ${engine.name} where opsbook runs (the same environment as the deploy), or set migrations.command to how it is run (e.g. 'cd backend && uv run ...')`,
        });
        continue;
      }
      const parts = source.split?.(run.stdout) ?? [];
      if (parts.length) {
        for (const part of parts)
          sources.push({
            id: part.id,
            file: `${command}, revision ${part.id}`,
            text: part.text,
            generated: true,
          });
        continue;
      }
      // One command per migration (sqlmigrate) is named by itself; one for all of them says how many it covers.
      const own = source.perMigration ? selected[i] : undefined;
      const file =
        own || commands.length > 1 ? command : `${command} (SQL of ${selected.length} migration(s))`;
      sources.push({ ...(own ? { id: own.id } : {}), file, text: run.stdout, generated: true });
    }
  }
  return { sources, diagnostics };
}

/**
 * An error unless `migrations.rules` lowers it: a lint that saw none of a change's SQL has decided nothing, and
 * accepting that is the team's call, made once in the config after they chose how to review such migrations.
 */
function notLinted(
  engine: Engine,
  migrations: readonly EngineMigration[],
  why: string,
  rules: RuleSeverity | undefined,
): Diagnostic[] {
  const severity = rules?.['migration/not-linted'] ?? rules?.['not-linted'] ?? 'error';
  if (severity === 'off') return [];
  const files = migrations.map((m) => m.display);
  return [
    {
      severity,
      code: 'migration/not-linted',
      message: `${files.length} ${engine.name} migration(s) not linted (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}): ${why}`,
      hint: `review them by hand; to let ${engine.name} migrations that opsbook cannot lint through checks and deploys, set migrations.rules: { migration/not-linted: warning }`,
      location: { file: files[0] ?? '' },
    },
  ];
}

/** The environment engine commands run in: the caller's, with the target URL under the variable the engine reads. */
export function engineEnv(options: MigrateOptions): NodeJS.ProcessEnv {
  const env = { ...(options.env ?? process.env) };
  if (options.databaseUrl) env[options.urlEnv ?? 'DATABASE_URL'] = options.databaseUrl;
  return env;
}
