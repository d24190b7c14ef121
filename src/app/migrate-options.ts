/** What every migrate use-case takes, and how it becomes the runner's options. */
// Only where the config is: loading it (zod, yaml, the rules) is most of `migrate lint`'s start-up when there is none.
import { findConfigFile } from '../config/files.js';
import type { MigrateOptions } from '../migrations/options.js';
import { credentialPassword } from '../redact/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

export interface MigrateUseCaseOptions extends ConfigOptions {
  /** The migrations folder (default: the config's, else the runner's default). */
  dir?: string;
  /** Default: the config's migrations.urlEnv, else DATABASE_URL. */
  databaseUrl?: string;
  schema?: string;
  /** The PostgreSQL version the lint rules assume, e.g. 16. */
  postgresVersion?: string;
  allowOutOfOrder?: boolean;
}

/**
 * Options win; then the config's `migrations:` section when there is a config; then the runner's defaults. A config
 * that does not validate throws (`ConfigError`): its engine, folder and rules would otherwise be silently replaced
 * by the defaults, and a Rails repo linted as a folder of .sql files.
 */
export async function migrateOptions(options: MigrateUseCaseOptions): Promise<MigrateOptions> {
  const base = resolveOptions(options);
  let fromConfig: MigrateOptions | undefined;
  if (options.config || options.configFile || findConfigFile(base.cwd)) {
    const config = await configOf(options, base);
    const { migrateOptionsFromConfig } = await import('../migrations/from-config.js');
    fromConfig = migrateOptionsFromConfig(config, { cwd: base.cwd, env: base.env, redactor: base.redactor });
  }
  // Trimmed once here, so the engine's command and pg_dump get the same URL the driver connects to.
  const databaseUrl =
    (options.databaseUrl ?? fromConfig?.databaseUrl ?? base.env.DATABASE_URL)?.trim() || undefined;
  // Mask the password in anything printed, including driver errors that echo connection details.
  if (databaseUrl) base.redactor.add([credentialPassword(databaseUrl)]);
  return {
    ...fromConfig,
    cwd: base.cwd,
    dir: options.dir ?? fromConfig?.dir,
    databaseUrl,
    schema: options.schema,
    postgresVersion: options.postgresVersion ?? fromConfig?.postgresVersion,
    allowOutOfOrder: options.allowOutOfOrder ?? false,
    signal: base.signal,
  };
}
