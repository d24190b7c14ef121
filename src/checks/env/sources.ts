/** Where the values come from: the process environment, a dotenv file, or each service's own platform. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import { parseDotenv } from './dotenv.js';

export type EnvSourceSpec = { kind: 'process' } | { kind: 'file'; path: string } | { kind: 'provider' };

/** A value and where it was set; `file` and `line` only when it came from a file. */
export interface EnvValue {
  value: string;
  file?: string;
  line?: number;
  /** Set on the platform, but its API never returns the value (write-only): why, for the diagnostic. */
  unreadable?: string;
}

/** One service's values as its platform holds them. */
export interface ServiceValues {
  /** The provider type, e.g. `render`. */
  platform: string;
  values: Map<string, EnvValue>;
}

export interface LoadedSource {
  /** `process`, `file` with the path as shown (relative to cwd when inside it), or `provider`. */
  source: { kind: 'process' } | { kind: 'file'; file: string } | { kind: 'provider' };
  /** The absolute path of a file source, to tell it apart from other environments' files. */
  absolutePath?: string;
  /** The values of a process or file source, the same for every service (empty for a provider source). */
  values: Map<string, EnvValue>;
  /** A provider source: each service's own values; a service absent here was not read. */
  byService?: Map<string, ServiceValues>;
  diagnostics: Diagnostic[];
}

/** The values a service sees: the shared ones, or its platform's; undefined when its platform was not read. */
export function valuesFor(source: LoadedSource, service: string): Map<string, EnvValue> | undefined {
  return source.byService ? source.byService.get(service)?.values : source.values;
}

/** Parses `--from`: `process`, `file:PATH` (a bare path also works) or `provider`. */
export function parseSourceSpec(text: string, flag = '--from'): EnvSourceSpec {
  if (text === 'process') return { kind: 'process' };
  if (text === 'provider') return { kind: 'provider' };
  const path = text.startsWith('file:') ? text.slice('file:'.length) : text;
  if (!path) throw new UserError(`${flag} file: needs a path`, `e.g. ${flag} file:.env.production`);
  return { kind: 'file', path };
}

/** How a path is shown: relative to cwd when inside it, else absolute (as config diagnostics show files). */
export function showPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** The environment's `envFile` (relative to the config file), if it declares one. */
export function envFilePath(
  config: StackConfig,
  environment: string,
  cwd: string,
  configFile: string,
): string | undefined {
  const envFile = config.environments[environment]?.envFile;
  return envFile ? resolve(dirname(resolve(cwd, configFile)), envFile) : undefined;
}

export async function readEnvFile(absolutePath: string, shown: string) {
  const text = await readFile(absolutePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    // `--from file:config` or an envFile naming a folder: the user's path, not a bug.
    if (error.code !== 'EISDIR') throw error;
    throw new UserError(
      `${shown} is a folder, not an env file`,
      'name the dotenv file itself, e.g. file:.env.production',
      'env/not-a-file',
    );
  });
  const parsed = parseDotenv(text, shown);
  const values = new Map<string, EnvValue>();
  for (const e of parsed.entries) values.set(e.key, { value: e.value, file: shown, line: e.line });
  return { values, diagnostics: parsed.diagnostics };
}

export async function loadSource(
  spec: Exclude<EnvSourceSpec, { kind: 'provider' }>,
  options: { cwd: string; env: NodeJS.ProcessEnv; origin?: string },
): Promise<LoadedSource> {
  if (spec.kind === 'process') {
    const values = new Map<string, EnvValue>();
    for (const [key, value] of Object.entries(options.env))
      if (value !== undefined) values.set(key, { value });
    return { source: { kind: 'process' }, values, diagnostics: [] };
  }
  const absolutePath = resolve(options.cwd, spec.path);
  const shown = showPath(options.cwd, absolutePath);
  if (!existsSync(absolutePath))
    throw new UserError(
      `env file not found: ${shown}${options.origin ? ` (${options.origin})` : ''}`,
      'create it, fix the path, or pass --from process to check the current environment',
      'env/file-not-found',
    );
  const { values, diagnostics } = await readEnvFile(absolutePath, shown);
  return { source: { kind: 'file', file: shown }, absolutePath, values, diagnostics };
}

/** `--from` when given, else the environment's envFile, else the process environment. */
export function defaultSourceSpec(
  from: string | undefined,
  envFile: string | undefined,
): { spec: EnvSourceSpec; origin?: string } {
  if (from) return { spec: parseSourceSpec(from) };
  return envFile
    ? { spec: { kind: 'file', path: envFile }, origin: 'the envFile of the environment' }
    : { spec: { kind: 'process' } };
}
