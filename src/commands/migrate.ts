/** `opsbook migrate lint|plan|up|status|verify|test|baseline|repair`: flags → one migrate use-case → print. */
// Only where the config is: loading it (zod, yaml, the rules) is most of `migrate lint`'s start-up when there is none.
import { setFlagsFromString } from 'node:v8';
import type { HistoryChangeOptions } from '../app/migrate.js';
import type { MigrateUseCaseOptions } from '../app/migrate-options.js';
import { findConfigFile } from '../config/files.js';
import { hasErrors } from '../diagnostics/index.js';
import { EXIT, UserError } from '../errors.js';
import type { ForeignTool } from '../migrations/index.js';
import * as render from '../migrations/render.js';
import { flagBool as flag, flagString as text } from './args.js';
import { planData, statusData } from './migrate-data.js';
import { askFor } from './prompt.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

/** `lint` needs no database: the runner, its driver and the rest load only for the subcommands that use them. */
const useCases = () => import('../app/migrate.js');

const SUBCOMMANDS = ['lint', 'plan', 'up', 'status', 'verify', 'test', 'baseline', 'repair'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

const outcome = (
  ok: boolean,
  data: unknown,
  diagnostics = [] as CommandOutcome['diagnostics'],
  print?: CommandOutcome['print'],
) => ({ ok, data, diagnostics, print });

export const run: CommandHandler = async (input) => {
  const [sub, ...rest] = input.positionals;
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    throw new UserError(
      sub ? `unknown migrate subcommand '${sub}'` : 'migrate needs a subcommand',
      `use one of: ${SUBCOMMANDS.join(', ')} (see 'opsbook migrate --help')`,
    );
  }
  if (sub === 'lint') {
    // A lint is over in about a second: V8's default tier-up compiles the rules and the JSON walks with TurboFan
    // long before that compile pays back (1,000 files: a quarter of the CPU time; 10,000 files: the same time).
    // Eight times the default budget leaves that to what stays hot. Process-wide, so the lint workers get it too.
    setFlagsFromString('--interrupt-budget=540672');
    // The parser compiles on V8's background threads while this thread loads and validates the config.
    // A failure is not lost: it surfaces where the lint awaits the parser.
    import('../migrations/parse-sql.js').then((m) => m.loadParser()).catch(() => {});
  }
  const options = await optionsFrom(input);
  if ('failure' in options) return options.failure;
  switch (sub as Subcommand) {
    case 'lint': {
      const { migrateLint } = await import('../app/migrate-lint.js');
      const result = await migrateLint({
        ...options,
        paths: rest,
        all: flag(input, 'all'),
        since: text(input, 'since'),
      });
      return outcome(!hasErrors(result.diagnostics), result.files, result.diagnostics, (out) =>
        render.printLint(out, result),
      );
    }
    case 'plan': {
      const plan = await (await useCases()).migratePlan(options);
      return outcome(!hasErrors(plan.diagnostics), planData(plan), plan.diagnostics, (out) =>
        render.printPlan(out, plan),
      );
    }
    case 'up':
      return up(input, options);
    case 'status':
    case 'verify': {
      const { migrateStatus, migrateVerify } = await useCases();
      const status = await (sub === 'status' ? migrateStatus : migrateVerify)(options);
      return outcome(status.ok, statusData(status), status.diagnostics, (out) => {
        render.printStatus(out, status);
        if (sub === 'verify' && status.ok) out.success('every migration is applied and unchanged');
      });
    }
    case 'test': {
      const result = await (await useCases()).migrateTest(options);
      const { diagnostics, ...data } = result;
      return outcome(result.ok, data, diagnostics, (out) => render.printTest(out, result));
    }
    case 'baseline':
    case 'repair': {
      const from = text(input, 'from');
      if (from && !['prisma', 'supabase', 'alembic'].includes(from))
        throw new UserError(`--from must be prisma or supabase, not '${from}'`);
      const { migrateBaseline, migrateRepair } = await useCases();
      const history: HistoryChangeOptions = {
        ...options,
        dryRun: flag(input, 'dry-run'),
        reason: text(input, 'reason'),
        confirm: async (preview) => {
          render.printHistoryChanges(input.out, { ...preview, dryRun: false }, 'preview');
          if (!flag(input, 'yes')) await confirm(input, `apply these ${sub} changes to the history?`);
          return true;
        },
      };
      const result = await (sub === 'repair'
        ? migrateRepair(history)
        : migrateBaseline({ ...history, to: text(input, 'to'), from: from as ForeignTool | undefined }));
      return result.dryRun
        ? outcome(true, result, [], (out) => render.printHistoryChanges(out, result))
        : outcome(true, result, [], (out) =>
            out.success(`${result.changes.length} history change(s) recorded`),
          );
    }
  }
};

async function up(input: CommandInput, options: MigrateUseCaseOptions): Promise<CommandOutcome> {
  const noBackup = flag(input, 'no-backup');
  const reason = text(input, 'reason');
  if (noBackup && !reason?.trim()) {
    throw new UserError(
      '--no-backup needs --reason "..."',
      'the reason is recorded with the migration, e.g. --reason "table is a cache"',
    );
  }
  let progress: ReturnType<CommandInput['out']['progress']> | undefined;
  const ran = await (await useCases()).migrateUp({
    ...options,
    dryRun: flag(input, 'dry-run'),
    noBackupReason: noBackup ? reason : undefined,
    confirm: async (plan) => {
      if (input.out.mode !== 'json') render.printPlan(input.out, plan);
      if (!flag(input, 'yes'))
        await confirm(input, `apply ${plan.pending.length} migration(s) to ${plan.target}?`);
      progress = input.out.progress('migrating');
      return true;
    },
    onProgress: (m) => progress?.update(m),
  });
  if (ran.status === 'planned') {
    const { plan } = ran;
    const ok = !hasErrors(plan.diagnostics);
    return outcome(ok, planData(plan), plan.diagnostics, (out) => render.printPlan(out, plan));
  }
  const { result } = ran;
  progress?.done(result.ok ? 'migrations applied' : 'migration stopped', result.ok);
  const { plan: _plan, ...data } = result;
  return {
    ...outcome(result.ok, data, result.diagnostics, (out) => render.printUp(out, result)),
    exitCode: result.locked ? EXIT.locked : undefined,
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

/** The flags as use-case options; a config that is there but does not validate fails the command with its diagnostics. */
async function optionsFrom(
  input: CommandInput,
): Promise<MigrateUseCaseOptions | { failure: CommandOutcome }> {
  let config: MigrateUseCaseOptions['config'];
  if (text(input, 'config') || findConfigFile(input.cwd)) {
    const loaded = await (await import('./config.js')).configFor(input);
    if (loaded.failure) return { failure: loaded.failure };
    config = loaded.config;
  }
  return {
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config,
    dir: text(input, 'dir'),
    databaseUrl: text(input, 'database-url'),
    schema: text(input, 'schema'),
    postgresVersion: text(input, 'pg-version'),
    allowOutOfOrder: flag(input, 'allow-out-of-order'),
  };
}
