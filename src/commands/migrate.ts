/** `opsbook migrate lint|plan|up|status|verify|test|baseline|repair`: flags → one migrate use-case → print. */
// Only where the config is: loading it (zod, yaml, the rules) is most of `migrate lint`'s start-up when there is none.
import { relative } from 'node:path';
import type { MigrateUseCaseOptions } from '../app/migrate-options.js';
import { findConfigFile } from '../config/files.js';
import { UserError } from '../errors.js';
import { parsePgVersion } from '../migrations/pg-version.js';
import { changeHistory, up } from './migrate-apply.js';
import { warmUpLint } from './migrate-lint-warmup.js';
import * as outcomes from './migrate-render.js';
import type { MIGRATE_ARGS } from './specs-release.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

/** `lint` needs no database: the runner, its driver and the rest load only for the subcommands that use them. */
const useCases = () => import('../app/migrate.js');

const SUBCOMMANDS = ['lint', 'plan', 'up', 'status', 'verify', 'test', 'baseline', 'repair'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export const run: CommandHandler<typeof MIGRATE_ARGS> = async (input) => {
  const [sub, ...rest] = input.positionals;
  if (!SUBCOMMANDS.includes(sub as Subcommand)) {
    throw new UserError(
      sub ? `unknown migrate subcommand '${sub}'` : 'migrate needs a subcommand',
      `use one of: ${SUBCOMMANDS.join(', ')} (see 'opsbook migrate --help')`,
    );
  }
  if (sub === 'lint') warmUpLint(rest, input.cwd);
  const options = await optionsFrom(input);
  if ('failure' in options) return options.failure;
  try {
    return await runSubcommand(sub as Subcommand, rest, input, options);
  } catch (error) {
    // The folder came from the config: say where, so the fix is one edit away.
    if (
      error instanceof UserError &&
      error.code === 'migration/no-directory' &&
      options.config &&
      !input.values.dir
    ) {
      const found = findConfigFile(input.cwd);
      const file = input.values.config ?? (found ? relative(input.cwd, found) : 'the config');
      throw new UserError(`${error.message} (migrations.dir in ${file})`, error.hint, error.code);
    }
    throw error;
  }
};

async function runSubcommand(
  sub: Subcommand,
  rest: string[],
  input: CommandInput<typeof MIGRATE_ARGS>,
  options: MigrateUseCaseOptions,
): Promise<CommandOutcome> {
  switch (sub) {
    case 'lint': {
      const { migrateLint } = await import('../app/migrate-lint.js');
      const lint = { ...options, paths: rest, all: input.values.all, since: input.values.since };
      return outcomes.lintOutcome(await migrateLint(lint));
    }
    case 'plan':
      return outcomes.planOutcome(await (await useCases()).migratePlan(options));
    case 'up':
      return up(input, options);
    case 'status':
    case 'verify': {
      const { migrateStatus, migrateVerify } = await useCases();
      const status = await (sub === 'status' ? migrateStatus : migrateVerify)(options);
      return outcomes.statusOutcome(status, sub === 'verify');
    }
    case 'test':
      return outcomes.testOutcome(await (await useCases()).migrateTest(options));
    case 'baseline':
    case 'repair':
      return changeHistory(input, options, sub);
  }
}

/** The flags as use-case options; a config that is there but does not validate fails the command with its diagnostics. */
async function optionsFrom(
  input: CommandInput<typeof MIGRATE_ARGS>,
): Promise<MigrateUseCaseOptions | { failure: CommandOutcome }> {
  const pgVersion = input.values['pg-version'];
  // Unparsed, the version was dropped and the rules silently judged the files for PostgreSQL 15.
  if (pgVersion !== undefined && !((parsePgVersion(pgVersion)?.major ?? 0) >= 9))
    throw new UserError(
      `--pg-version '${pgVersion}' is not a PostgreSQL version`,
      'give the major version of the target server, e.g. --pg-version 16 (or 16.2)',
    );
  let config: MigrateUseCaseOptions['config'];
  if (input.values.config || findConfigFile(input.cwd)) {
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
    dir: input.values.dir,
    databaseUrl: input.values['database-url'],
    schema: input.values.schema,
    postgresVersion: input.values['pg-version'],
    allowOutOfOrder: input.values['allow-out-of-order'],
  };
}
