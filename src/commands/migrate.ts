/** `opsbook migrate lint|plan|up|status|verify|test|baseline|repair`: a thin layer over src/migrations. */
// Only where the config is: loading it (zod, yaml, the rules) is most of `migrate lint`'s start-up when there is none.
import { findConfigFile } from '../config/files.js';
import { hasErrors } from '../diagnostics/index.js';
import { EXIT, UserError } from '../errors.js';
import type { ForeignTool, MigrateOptions } from '../migrations/index.js';
import * as render from '../migrations/render.js';
import { credentialPassword } from '../redact/index.js';
import { askFor } from './prompt.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

/** `lint` needs no database: the runner, its driver and the rest load only for the subcommands that use them. */
const runner = () => import('../migrations/index.js');

const SUBCOMMANDS = ['lint', 'plan', 'up', 'status', 'verify', 'test', 'baseline', 'repair'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export const run: CommandHandler = async (input) => {
  const [sub, ...rest] = input.positionals;
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    throw new UserError(
      sub ? `unknown migrate subcommand '${sub}'` : 'migrate needs a subcommand',
      `use one of: ${SUBCOMMANDS.join(', ')} (see 'opsbook migrate --help')`,
    );
  }
  const options = await optionsFrom(input);
  if ('failure' in options) return options.failure;
  const flag = (name: string) => input.values[name] === true;
  const text = (name: string) =>
    typeof input.values[name] === 'string' ? (input.values[name] as string) : undefined;
  const outcome = (
    ok: boolean,
    data: unknown,
    diagnostics = [] as CommandOutcome['diagnostics'],
    print?: CommandOutcome['print'],
  ) => ({
    ok,
    data,
    diagnostics,
    print,
  });

  const {
    migrationStatus,
    planMigrations,
    repairHistory,
    baselineHistory,
    testMigrations,
    verifyMigrations,
  } = sub === 'lint' ? ({} as Awaited<ReturnType<typeof runner>>) : await runner();
  switch (sub as Subcommand) {
    case 'lint': {
      const { lintMigrationFiles } = await import('../migrations/lint-files.js');
      const result = await lintMigrationFiles({
        ...options,
        paths: rest,
        all: flag('all'),
        since: text('since'),
      });
      return outcome(!hasErrors(result.diagnostics), result.files, result.diagnostics, (out) =>
        render.printLint(out, result),
      );
    }
    case 'plan': {
      const plan = await planMigrations(options);
      return outcome(!hasErrors(plan.diagnostics), planData(plan), plan.diagnostics, (out) =>
        render.printPlan(out, plan),
      );
    }
    case 'up':
      return up(input, options, {
        dryRun: flag('dry-run'),
        yes: flag('yes'),
        noBackup: flag('no-backup'),
        reason: text('reason'),
      });
    case 'status': {
      const status = await migrationStatus(options);
      return outcome(status.ok, statusData(status), status.diagnostics, (out) =>
        render.printStatus(out, status),
      );
    }
    case 'verify': {
      const status = await verifyMigrations(options);
      return outcome(status.ok, statusData(status), status.diagnostics, (out) => {
        render.printStatus(out, status);
        if (status.ok) out.success('every migration is applied and unchanged');
      });
    }
    case 'test': {
      const result = await testMigrations(options);
      const { diagnostics, ...data } = result;
      return outcome(result.ok, data, diagnostics, (out) => render.printTest(out, result));
    }
    case 'baseline':
    case 'repair': {
      const from = text('from');
      if (from && !['prisma', 'supabase', 'alembic'].includes(from))
        throw new UserError(`--from must be prisma or supabase, not '${from}'`);
      const change = (dryRun: boolean) =>
        sub === 'repair'
          ? repairHistory({ ...options, dryRun, reason: text('reason') })
          : baselineHistory({
              ...options,
              dryRun,
              reason: text('reason'),
              to: text('to'),
              from: from as ForeignTool | undefined,
            });
      const preview = await change(true);
      if (flag('dry-run') || !preview.changes.length)
        return outcome(true, preview, [], (out) => render.printHistoryChanges(out, preview));
      render.printHistoryChanges(input.out, { ...preview, dryRun: false }, 'preview');
      if (!flag('yes')) await confirm(input, `apply these ${sub} changes to the history?`);
      const done = await change(false);
      return outcome(true, done, [], (out) =>
        out.success(`${done.changes.length} history change(s) recorded`),
      );
    }
  }
};

async function up(
  input: CommandInput,
  options: MigrateOptions,
  flags: { dryRun: boolean; yes: boolean; noBackup: boolean; reason?: string },
): Promise<CommandOutcome> {
  if (flags.noBackup && !flags.reason?.trim()) {
    throw new UserError(
      '--no-backup needs --reason "..."',
      'the reason is recorded with the migration, e.g. --reason "table is a cache"',
    );
  }
  const { planMigrations, migrateUp } = await runner();
  // Plan first: nothing is confirmed or applied that was not shown.
  const plan = await planMigrations(options);
  const print = (out: CommandInput['out']) => render.printPlan(out, plan);
  if (hasErrors(plan.diagnostics) || flags.dryRun || !plan.pending.length) {
    return { ok: !hasErrors(plan.diagnostics), data: planData(plan), diagnostics: plan.diagnostics, print };
  }
  if (input.out.mode !== 'json') print(input.out);
  if (!flags.yes) await confirm(input, `apply ${plan.pending.length} migration(s) to ${plan.target}?`);
  const progress = input.out.progress('migrating');
  const result = await migrateUp({
    ...options,
    noBackupReason: flags.noBackup ? flags.reason : undefined,
    onProgress: (m) => progress.update(m),
  });
  progress.done(result.ok ? 'migrations applied' : 'migration stopped', result.ok);
  const { plan: _plan, ...data } = result;
  return {
    ok: result.ok,
    data,
    diagnostics: result.diagnostics,
    exitCode: result.locked ? EXIT.locked : undefined,
    print: (out) => render.printUp(out, result),
  };
}

type Runner = Awaited<ReturnType<typeof runner>>;

function statusData({
  target,
  schema,
  migrations,
  foreign,
  engine,
}: Awaited<ReturnType<Runner['migrationStatus']>>) {
  return { target, schema, migrations, foreign, ...(engine ? { engine } : {}) };
}

function planData(plan: Awaited<ReturnType<Runner['planMigrations']>>) {
  return {
    target: plan.target,
    schema: plan.schema,
    postgres: `${plan.pg.major}.${plan.pg.minor}`,
    ...(plan.engine ? { engine: plan.engine } : {}),
    pending: plan.pending.map((m) => ({
      version: m.version,
      name: m.name,
      file: m.file.display,
      statements: m.statements.length,
      transactional: m.transactional,
      reason: m.reason,
      resumeFrom: m.resumeFrom,
      destructive: m.destructive.map((t) => ({ action: t.action, object: t.object, column: t.column })),
    })),
  };
}

async function confirm(input: CommandInput, question: string): Promise<void> {
  const ask = askFor(input);
  if (!ask) {
    throw new UserError(
      'refusing to change the database without --yes',
      'review the plan (it is printed above, or run with --dry-run), then pass --yes',
    );
  }
  if (!(await ask(question))) throw new UserError('cancelled', 'nothing was changed');
}

/**
 * Flags win; then the config's `migrations:` section when a config is there; then the runner's defaults. A config
 * that does not validate fails the command: its engine, folder and rules would otherwise be silently replaced by the
 * defaults, and a Rails repo linted as a folder of .sql files.
 */
async function optionsFrom(input: CommandInput): Promise<MigrateOptions | { failure: CommandOutcome }> {
  const value = (name: string) =>
    typeof input.values[name] === 'string' ? (input.values[name] as string) : undefined;
  let fromConfig: MigrateOptions | undefined;
  if (value('config') || findConfigFile(input.cwd)) {
    const [{ configFor }, { migrateOptionsFromConfig }] = await Promise.all([
      import('./config.js'),
      import('../migrations/from-config.js'),
    ]);
    const loaded = await configFor(input);
    if (loaded.failure) return { failure: loaded.failure };
    fromConfig = migrateOptionsFromConfig(loaded.config, {
      cwd: input.cwd,
      env: input.env,
      redactor: input.out.redactor,
    });
  }
  const databaseUrl = value('database-url') ?? fromConfig?.databaseUrl ?? input.env.DATABASE_URL;
  // Mask the password in anything printed, including driver errors that echo connection details.
  if (databaseUrl) input.out.redactor.add([credentialPassword(databaseUrl)]);
  return {
    ...fromConfig,
    cwd: input.cwd,
    dir: value('dir') ?? fromConfig?.dir,
    databaseUrl,
    schema: value('schema'),
    postgresVersion: value('pg-version') ?? fromConfig?.postgresVersion,
    allowOutOfOrder: input.values['allow-out-of-order'] === true,
    signal: input.signal,
  };
}
