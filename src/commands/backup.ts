/** `opsbook backup run|list|verify|restore|prune|confirm`: flags → one backup use-case → print. */
import * as backups from '../app/backup.js';
import { UserError } from '../errors.js';
import * as render from './backup-render.js';
import { restore } from './backup-restore.js';
import { configFor } from './config.js';
import type { BACKUP_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

const SUBCOMMANDS = ['run', 'list', 'verify', 'restore', 'prune', 'confirm'] as const;

export const run: CommandHandler<typeof BACKUP_ARGS> = async (input) => {
  const [sub, arg, ...rest] = input.positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
    throw new UserError(`unknown backup command '${sub ?? ''}'`, `use one of: ${SUBCOMMANDS.join(', ')}`);
  if (rest.length) throw new UserError(`unexpected argument '${rest[0]}'`, `see opsbook backup --help`);
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { cwd, env, signal } = input;
  const base = { cwd, config: loaded.config, env, redactor: input.out.redactor, signal };
  const [entry, dryRun] = [arg, input.values['dry-run']];
  switch (sub) {
    case 'run': {
      const progress = input.out.progress('backing up');
      const s = await backups.runBackup({ ...base, entry, prune: !input.values['no-prune'] });
      progress.done(undefined, s.result.ok);
      return render.runOutcome(s);
    }
    case 'confirm': {
      const [at, note] = [input.values.at, input.values.note];
      return render.confirmationOutcome(await backups.confirmBackup({ ...base, entry, at, note }));
    }
    case 'list':
      return render.listOutcome(await backups.listBackups({ ...base, entry }));
    case 'verify':
      return render.verifyOutcome(await backups.verifyBackup({ ...base, id: arg }));
    case 'prune':
      return render.pruneOutcome(await backups.pruneBackups({ ...base, entry, dryRun }));
    default:
      return restore(input, base, arg);
  }
};
