/** `migrate up` and `migrate baseline|repair`: the subcommands that change the database, each after its plan is shown and confirmed. */
import type { HistoryChangeOptions } from '../app/migrate.js';
import type { MigrateUseCaseOptions } from '../app/migrate-options.js';
import { UserError } from '../errors.js';
import type { ForeignTool } from '../migrations/index.js';
import { printHistoryChanges, printPlan } from '../migrations/render.js';
import { historyOutcome, upOutcome } from './migrate-render.js';
import { askFor } from './prompt.js';
import type { MIGRATE_ARGS } from './specs-release.js';
import type { CommandInput, CommandOutcome } from './types.js';

const useCases = () => import('../app/migrate.js');

export async function up(
  input: CommandInput<typeof MIGRATE_ARGS>,
  options: MigrateUseCaseOptions,
): Promise<CommandOutcome> {
  const noBackup = input.values['no-backup'];
  const reason = input.values.reason;
  if (noBackup && !reason?.trim()) {
    throw new UserError(
      '--no-backup needs --reason "..."',
      'the reason is recorded with the migration, e.g. --reason "table is a cache"',
    );
  }
  let progress: ReturnType<CommandInput['out']['progress']> | undefined;
  const ran = await (await useCases()).migrateUp({
    ...options,
    dryRun: input.values['dry-run'],
    noBackupReason: noBackup ? reason : undefined,
    confirm: async (plan) => {
      if (input.out.mode !== 'json') printPlan(input.out, plan);
      if (!input.values.yes)
        await confirm(input, `apply ${plan.pending.length} migration(s) to ${plan.target}?`);
      progress = input.out.progress('migrating');
      return true;
    },
    onProgress: (m) => progress?.update(m),
  });
  if (ran.status === 'ran')
    progress?.done(ran.result.ok ? 'migrations applied' : 'migration stopped', ran.result.ok);
  return upOutcome(ran);
}

export async function changeHistory(
  input: CommandInput<typeof MIGRATE_ARGS>,
  options: MigrateUseCaseOptions,
  sub: 'baseline' | 'repair',
): Promise<CommandOutcome> {
  const from = input.values.from;
  if (from && !['prisma', 'supabase', 'alembic'].includes(from))
    throw new UserError(`--from must be prisma or supabase, not '${from}'`);
  const { migrateBaseline, migrateRepair } = await useCases();
  const history: HistoryChangeOptions = {
    ...options,
    dryRun: input.values['dry-run'],
    reason: input.values.reason,
    confirm: async (preview) => {
      printHistoryChanges(input.out, { ...preview, dryRun: false }, 'preview');
      if (!input.values.yes) await confirm(input, `apply these ${sub} changes to the history?`);
      return true;
    },
  };
  const result = await (sub === 'repair'
    ? migrateRepair(history)
    : migrateBaseline({ ...history, to: input.values.to, from: from as ForeignTool | undefined }));
  return historyOutcome(result);
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
