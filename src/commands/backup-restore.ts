/** `opsbook backup restore ID`: the target from the flags, the plan shown and confirmed, then the restore. */
import { restoreFromBackup } from '../app/backup.js';
import type { ConfigOptions } from '../app/context.js';
import { requirePostgresUrl } from '../backups/index.js';
import { UserError } from '../errors.js';
import { printRestorePlan, restoreOutcome } from './backup-render.js';
import { askFor } from './prompt.js';
import type { BACKUP_ARGS } from './specs-operate.js';
import type { CommandInput, CommandOutcome } from './types.js';

function targetUrl(input: CommandInput<typeof BACKUP_ARGS>): string {
  const url = input.values.target;
  const variable = input.values['target-env'];
  if (url && variable) throw new UserError('give --target or --target-env, not both');
  if (variable) {
    const value = input.env[variable];
    if (!value) throw new UserError(`${variable} is not set`, `set it to the target database URL`);
    return requirePostgresUrl(value, variable);
  }
  if (url) return requirePostgresUrl(url, '--target');
  throw new UserError(
    'backup restore needs a target database',
    'pass --target-env VAR (a variable holding the URL: keeps the password off the command line) or --target URL',
  );
}

export async function restore(
  input: CommandInput<typeof BACKUP_ARGS>,
  base: ConfigOptions,
  id: string | undefined,
): Promise<CommandOutcome> {
  if (!id)
    throw new UserError(
      'backup restore needs a backup id such as nightly/20261204T020000.000Z',
      'see `opsbook backup list`',
    );
  const r = await restoreFromBackup({
    ...{ ...base, id, targetUrl: targetUrl(input), dryRun: input.values['dry-run'] },
    forceProduction: input.values['force-production'],
    confirmDatabase: input.values['confirm-database'],
    confirm: async (plan) => {
      if (input.out.mode !== 'json') printRestorePlan(input.out, plan);
      if (input.values.yes) return true;
      const ask = askFor(input);
      if (!ask)
        throw new UserError(
          'refusing to restore without --yes',
          'review the plan (run with --dry-run), then pass --yes',
        );
      return ask(`restore ${plan.backup} into ${plan.targetDatabase}?`);
    },
  });
  return restoreOutcome(r);
}
