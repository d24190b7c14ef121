/**
 * What every use-case takes: plain options with defaults a script can leave out. The CLI passes its parsed flags,
 * its output's redactor and its SIGINT signal; a script passes only `cwd` and what it wants to change.
 */
import type { StackConfig } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { createRedactor, type Redactor } from '../redact/index.js';
import { openStore, type Store } from '../store/index.js';

export interface UseCaseOptions {
  /** The project folder: where the config, `.opsbook/` and git are. */
  cwd: string;
  /** Environment variables (secrets, DATABASE_URL, OPSBOOK_*). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** Aborts the run (the CLI's SIGINT). */
  signal?: AbortSignal;
  /** Masks secret values in everything recorded and returned. Default: a fresh redactor. */
  redactor?: Redactor;
}

export interface ConfigOptions extends UseCaseOptions {
  /** The loaded config; default: loaded from `configFile` or the config file found in `cwd`. */
  config?: StackConfig;
  /** Config file, relative to `cwd` (default: opsbook.yaml or opsbook.config.ts). */
  configFile?: string;
}

/** The options with their defaults filled in. */
export interface Resolved {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
}

export function resolveOptions(options: UseCaseOptions): Resolved {
  return {
    cwd: options.cwd,
    env: (options.env ?? process.env) as NodeJS.ProcessEnv,
    signal: options.signal ?? new AbortController().signal,
    redactor: options.redactor ?? createRedactor(),
  };
}

/**
 * The given config, or the project's loaded and validated; an invalid one throws `ConfigError` with every
 * diagnostic. A loaded config's secret values are masked from here on (a given one was masked by whoever loaded it).
 */
export async function configOf(options: ConfigOptions, resolved: Resolved): Promise<StackConfig> {
  return (await configAndFile(options, resolved)).config;
}

/** The config and the file it came from (as given when the config was given). */
export async function configAndFile(
  options: ConfigOptions,
  resolved: Resolved,
): Promise<{ config: StackConfig; file: string | undefined }> {
  if (options.config) return { config: options.config, file: options.configFile };
  // Loaded on use: zod, yaml and the rules are most of a light command's start-up.
  const { dirname, resolve } = await import('node:path');
  // The two modules, not the config barrel: a dynamic import keeps every export of what it names, and the barrel
  // re-exports the schema, which would load zod even when the config comes from the cache.
  const [{ loadConfig }, { registerContractSecrets }] = await Promise.all([
    import('../config/load.js'),
    import('../config/contract-secrets.js'),
  ]);
  const result = await loadConfig({ cwd: resolved.cwd, file: options.configFile });
  if (!result.config) throw new ConfigError(result.file, result.diagnostics);
  registerContractSecrets(result.config, resolved.env, resolved.redactor, {
    dir: dirname(resolve(resolved.cwd, result.file)),
  });
  return { config: result.config, file: result.file };
}

/** Runs `work` with the given store, or with the project's, opened for it and closed after. */
export async function withStore<T>(
  given: Store | undefined,
  base: Resolved,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  if (given) return work(given);
  const store = await openStore({ cwd: base.cwd, env: base.env, redactor: base.redactor });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
