/** The config's `migrations:` section as runner options: what `opsbook migrate` and the deploy use with a config. */
import type { StackConfig } from '../config/index.js';
import { parseDuration } from '../config/units.js';
import { credentialPassword, type Redactor } from '../redact/index.js';
import { parseBytes } from './file-text.js';
import type { MigrateOptions } from './options.js';

export function migrateOptionsFromConfig(
  config: StackConfig,
  context: { cwd: string; env: NodeJS.ProcessEnv; redactor?: Redactor; signal?: AbortSignal },
): MigrateOptions | undefined {
  const m = config.migrations;
  if (!m) return undefined;
  const databaseUrl = context.env[m.urlEnv]?.trim() || undefined;
  if (databaseUrl) context.redactor?.add([credentialPassword(databaseUrl)]);
  return {
    cwd: context.cwd,
    engine: m.engine,
    ...(m.command ? { command: m.command } : {}),
    urlEnv: m.urlEnv,
    env: context.env,
    dir: m.dir,
    databaseUrl,
    lockTimeoutMs: parseDuration(m.lockTimeout),
    statementTimeoutMs: parseDuration(m.statementTimeout),
    commandTimeoutMs: parseDuration(m.commandTimeout),
    maxFileBytes: parseBytes(m.maxFileSize),
    ...(m.rules ? { ruleSeverity: m.rules } : {}),
    ...(m.postgresVersion ? { postgresVersion: m.postgresVersion } : {}),
    signal: context.signal,
  };
}
