/** `opsbook backup run|list|verify|restore|prune`: PostgreSQL backups proven by restores. */
import { currentActor } from '../actor/index.js';
import {
  type BackupContext,
  type BackupListing,
  backupList,
  backupPrune,
  backupRun,
  backupVerify,
  confirmManagedBackup,
  findBackup,
  managedStatus,
  pickEntry,
  planRestore,
  resolveEntry,
  restoreBackup,
  splitId,
} from '../backups/index.js';
import { UserError } from '../errors.js';
import { openStore, type Store } from '../store/index.js';
import { flagBool, flagString } from './args.js';
import * as render from './backup-render.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

const SUBCOMMANDS = ['run', 'list', 'verify', 'restore', 'prune', 'confirm'] as const;

async function withStore<T>(input: CommandInput, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

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
  ctx: BackupContext,
  id: string | undefined,
): Promise<CommandOutcome> {
  const parts = id ? splitId(id) : undefined;
  if (!id || !parts)
    throw new UserError(
      'backup restore needs a backup id such as nightly/20261204T020000.000Z',
      'see `opsbook backup list`',
    );
  const r = await resolveEntry(ctx, parts.entry);
  const found = await findBackup(r.destination, r.entry.id, id);
  if (!found)
    throw new UserError(`no backup ${id} in ${r.destination.describe}`, 'see `opsbook backup list`');
  const url = targetUrl(input);
  const plan = await planRestore(found.manifest, url, r.url);
  if (flagBool(input, 'dry-run'))
    return { ok: true, data: { plan, dryRun: true }, print: (out) => render.printRestorePlan(out, plan) };
  if (input.out.mode !== 'json') render.printRestorePlan(input.out, plan);
  if (!flagBool(input, 'yes')) {
    const ask = askFor(input);
    if (!ask)
      throw new UserError(
        'refusing to restore without --yes',
        'review the plan (run with --dry-run), then pass --yes',
      );
    if (!(await ask(`restore ${plan.backup} into ${plan.targetDatabase}?`)))
      throw new UserError('cancelled', 'nothing was changed');
  }
  const result = await withStore(input, (store) =>
    restoreBackup({
      plan,
      entry: r.entry,
      manifest: found.manifest,
      destination: r.destination,
      targetUrl: url,
      cwd: input.cwd,
      env: input.env,
      ...(r.passphrase !== undefined ? { passphrase: r.passphrase } : {}),
      forceProduction: flagBool(input, 'force-production'),
      ...(flagString(input, 'confirm-database')
        ? { confirmDatabase: flagString(input, 'confirm-database') }
        : {}),
    }).then(async (res) => {
      const run = await store.createRun({ kind: 'backup-restore', summary: { entry: r.entry.id } });
      await store.updateRun(run.id, {
        status: res.ok ? 'succeeded' : 'failed',
        finishedAt: new Date().toISOString(),
        summary: JSON.parse(JSON.stringify(res)),
      });
      return res;
    }),
  );
  return { ok: result.ok, data: result, print: (out) => render.printRestore(out, result) };
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
    case 'run':
      return withStore(input, async (store) => {
        const progress = input.out.progress('backing up');
        const s = await backupRun({ ...base, store }, arg, !flagBool(input, 'no-prune'));
        progress.done(undefined, s.result.ok);
        return { ok: s.result.ok, data: s, print: (out) => render.printRun(out, s) };
      });
    case 'confirm': {
      const entry = pickEntry(loaded.config, arg);
      const at = flagString(input, 'at');
      const note = flagString(input, 'note');
      const c = await withStore(input, (store) =>
        confirmManagedBackup(entry, store, {
          by: currentActor(input.cwd, input.env),
          ...(at !== undefined ? { at } : {}),
          ...(note !== undefined ? { note } : {}),
        }),
      );
      return { ok: true, data: c, print: (out) => render.printConfirmation(out, c) };
    }
    case 'list': {
      const entry = pickEntry(loaded.config, arg);
      if (entry.managed) {
        const status = await withStore(input, (store) =>
          managedStatus(entry, { env: input.env, store, signal: input.signal }),
        );
        // No backup known is a failure: "nothing found" must never read as fine.
        return {
          ok: status.newestAt !== undefined,
          data: status,
          print: (out) => render.printManaged(out, status),
        };
      }
      const list: BackupListing[] = await backupList(base, arg);
      return { ok: true, data: list, print: (out) => render.printList(out, list) };
    }
    case 'verify':
      return withStore(input, async (store) => {
        const v = await backupVerify({ ...base, store }, arg);
        return { ok: v.ok, data: v, print: (out) => render.printVerify(out, v) };
      });
    case 'prune': {
      const result = await backupPrune(base, arg, flagBool(input, 'dry-run'));
      return { ok: true, data: result, print: (out) => render.printPrune(out, result) };
    }
    default:
      return restore(input, base, arg);
  }
};
