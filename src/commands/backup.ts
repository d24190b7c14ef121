/** `opsbook backup run|list|verify|restore|prune|confirm`: flags → one backup use-case → print. */
import {
  confirmBackup,
  listBackups,
  pruneBackups,
  restoreFromBackup,
  runBackup,
  verifyBackup,
} from '../app/backup.js';
import type { ConfigOptions } from '../app/context.js';
import { UserError } from '../errors.js';
import { flagBool, flagString } from './args.js';
import * as render from './backup-render.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

const SUBCOMMANDS = ['run', 'list', 'verify', 'restore', 'prune', 'confirm'] as const;

function targetUrl(input: CommandInput): string {
  const url = flagString(input, 'target');
  const variable = flagString(input, 'target-env');
  if (url && variable) throw new UserError('give --target or --target-env, not both');
  if (variable) {
    const value = input.env[variable];
    if (!value) throw new UserError(`${variable} is not set`, `set it to the target database URL`);
    return value;
  }
  if (url) return url;
  throw new UserError(
    'backup restore needs a target database',
    'pass --target-env VAR (a variable holding the URL: keeps the password off the command line) or --target URL',
  );
}

async function restore(
  input: CommandInput,
  base: ConfigOptions,
  id: string | undefined,
): Promise<CommandOutcome> {
  if (!id)
    throw new UserError(
      'backup restore needs a backup id such as nightly/20261204T020000.000Z',
      'see `opsbook backup list`',
    );
  const r = await restoreFromBackup({
    ...base,
    id,
    targetUrl: targetUrl(input),
    dryRun: flagBool(input, 'dry-run'),
    forceProduction: flagBool(input, 'force-production'),
    confirmDatabase: flagString(input, 'confirm-database'),
    confirm: async (plan) => {
      if (input.out.mode !== 'json') render.printRestorePlan(input.out, plan);
      if (flagBool(input, 'yes')) return true;
      const ask = askFor(input);
      if (!ask)
        throw new UserError(
          'refusing to restore without --yes',
          'review the plan (run with --dry-run), then pass --yes',
        );
      return ask(`restore ${plan.backup} into ${plan.targetDatabase}?`);
    },
  });
  if (r.status === 'planned')
    return {
      ok: true,
      data: { plan: r.plan, dryRun: true },
      print: (out) => render.printRestorePlan(out, r.plan),
    };
  return { ok: r.result.ok, data: r.result, print: (out) => render.printRestore(out, r.result) };
}

export const run: CommandHandler = async (input) => {
  const [sub, arg, ...rest] = input.positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
    throw new UserError(`unknown backup command '${sub ?? ''}'`, `use one of: ${SUBCOMMANDS.join(', ')}`);
  if (rest.length) throw new UserError(`unexpected argument '${rest[0]}'`, `see opsbook backup --help`);
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const base = {
    cwd: input.cwd,
    config: loaded.config,
    env: input.env,
    redactor: input.out.redactor,
    signal: input.signal,
  };
  switch (sub) {
    case 'run': {
      const progress = input.out.progress('backing up');
      const s = await runBackup({ ...base, entry: arg, prune: !flagBool(input, 'no-prune') });
      progress.done(undefined, s.result.ok);
      return { ok: s.result.ok, data: s, print: (out) => render.printRun(out, s) };
    }
    case 'confirm': {
      const c = await confirmBackup({
        ...base,
        entry: arg,
        at: flagString(input, 'at'),
        note: flagString(input, 'note'),
      });
      return { ok: true, data: c, print: (out) => render.printConfirmation(out, c) };
    }
    case 'list': {
      const l = await listBackups({ ...base, entry: arg });
      // No backup known is a failure: "nothing found" must never read as fine.
      if (l.managed)
        return {
          ok: l.status.newestAt !== undefined,
          data: l.status,
          print: (out) => render.printManaged(out, l.status),
        };
      return { ok: true, data: l.backups, print: (out) => render.printList(out, l.backups) };
    }
    case 'verify': {
      const v = await verifyBackup({ ...base, id: arg });
      return { ok: v.ok, data: v, print: (out) => render.printVerify(out, v) };
    }
    case 'prune': {
      const result = await pruneBackups({ ...base, entry: arg, dryRun: flagBool(input, 'dry-run') });
      return { ok: true, data: result, print: (out) => render.printPrune(out, result) };
    }
    default:
      return restore(input, base, arg);
  }
};
