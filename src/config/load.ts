/** Loading is parse -> validate and normalize (zod) -> cross-field rules; every problem is reported at once. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { CONFIG_FILES, findConfigFile } from './files.js';
import { pathOnlyLocator } from './locate.js';
import { createParseCache, type ParseCache } from './parse-cache.js';
import { MAX_CONFIG_BYTES, tooLarge } from './parse-yaml.js';
import type { StackConfig } from './schema.js';
import { loadTsConfig, TS_LOAD_TIMEOUT_MS } from './ts-config.js';

export { CONFIG_FILES, findConfigFile } from './files.js';

export interface LoadConfigOptions {
  cwd: string;
  /** A config file; relative to cwd. Default: the first of CONFIG_FILES found in cwd. */
  file?: string;
  /** How long opsbook.config.ts may take to load (default 10 s): a top-level await may never settle. */
  timeoutMs?: number;
}

export interface LoadConfigResult {
  /** Present when there are no errors. */
  config?: StackConfig;
  diagnostics: Diagnostic[];
  /** Path of the file, relative to cwd when inside it (as shown in diagnostics). */
  file: string;
}

let cache: ParseCache | undefined;
function parseCache(): ParseCache {
  if (cache) return cache;
  let version = 'unknown';
  try {
    version = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version;
  } catch {
    // Not where the build puts it: the text alone keys the cache.
  }
  cache = createParseCache(version, process.env, validatorStamp());
  return cache;
}

/**
 * Which validator a cached config came from: the built schema module, which every build rewrites. From source (tsx,
 * vitest) the schema may change with no build to notice it, so there a config is validated on every load.
 */
function validatorStamp(): string | undefined {
  if (import.meta.url.endsWith('.ts')) return undefined;
  try {
    return String(statSync(new URL('./schema.js', import.meta.url)).mtimeMs);
  } catch {
    return undefined;
  }
}

/**
 * YAML text through the parse cache: a config that loaded cleanly before skips the YAML parser, and one whose checks
 * cannot change with time skips validation too (zod is then never loaded: `validate.js` is imported only here).
 */
async function validateYamlCached(
  path: string,
  text: string,
  file: string,
): Promise<{ config?: StackConfig; diagnostics: Diagnostic[] }> {
  const cached = parseCache().read(path, text);
  if (cached?.config !== undefined) return { config: cached.config as StackConfig, diagnostics: [] };
  const { validateConfigData, validateYaml } = await import('./validate.js');
  const store = (data: unknown, config: StackConfig) =>
    parseCache().write(path, text, data, timeless(data) ? config : undefined);
  if (cached) {
    // No locator is needed when there is nothing to locate; with a diagnostic, the full path finds positions.
    const fast = validateConfigData(cached.data, pathOnlyLocator(file));
    if (!fast.diagnostics.length && fast.config) {
      store(cached.data, fast.config);
      return fast;
    }
  }
  const { data, ...result } = validateYaml(text, file);
  if (result.config && !result.diagnostics.length && data !== undefined) store(data, result.config);
  return result;
}

/**
 * Whether validating `data` gives the same answer tomorrow: on-call schedules are checked for gaps in the weeks
 * ahead of now (rules/schedule-gap.ts), so a config with schedules is validated on every load.
 */
function timeless(data: unknown): boolean {
  const incidents = (data as { incidents?: { schedules?: unknown } } | null)?.incidents;
  return incidents?.schedules === undefined;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const path = options.file ? resolve(options.cwd, options.file) : findConfigFile(options.cwd);
  if (!path)
    throw new UserError(
      `no opsbook config in ${options.cwd}`,
      "run 'opsbook init' to create one, or pass --config FILE",
      'config/not-found',
    );
  const shown =
    relative(options.cwd, path).startsWith('..') || isAbsolute(relative(options.cwd, path))
      ? path
      : relative(options.cwd, path);
  if (!existsSync(path))
    throw new UserError(`config file not found: ${shown}`, 'check the path', 'config/not-found');
  const result = await loadFile(path, shown, options);
  if (options.file) return result;
  // Two configs side by side (an opsbook.yaml that `init --force` wrote beside an opsbook.config.ts): only the first
  // is read, and edits to the other silently did nothing.
  const ignored = CONFIG_FILES.map((f) => join(options.cwd, f)).filter((f) => f !== path && existsSync(f));
  if (!ignored.length) return result;
  return {
    ...result,
    diagnostics: [
      ...result.diagnostics,
      ...ignored.map(
        (f): Diagnostic => ({
          severity: 'warning',
          code: 'config/ignored-file',
          message: `${basename(f)} is not read: ${shown} comes first, so nothing in ${basename(f)} takes effect`,
          hint: `keep one config: merge what ${basename(f)} holds into ${shown} and delete it (or pass --config ${basename(f)})`,
          location: { file: basename(f) },
        }),
      ),
    ],
  };
}

async function loadFile(path: string, shown: string, options: LoadConfigOptions): Promise<LoadConfigResult> {
  if (/\.(m?ts|m?js)$/.test(path)) {
    const loaded = await loadTsConfig(path, shown, options.timeoutMs ?? TS_LOAD_TIMEOUT_MS);
    if ('diagnostic' in loaded) return { file: shown, diagnostics: [loaded.diagnostic] };
    const { validateConfigData } = await import('./validate.js');
    return { file: shown, ...validateConfigData(loaded.data, pathOnlyLocator(shown)) };
  }
  // Checked before reading: a multi-GiB file (or /dev/zero behind a symlink) is never read into memory.
  const info = await stat(path);
  if (!info.isFile())
    throw new UserError(
      `${shown} is not a regular file`,
      'pass the path of an opsbook.yaml',
      'config/not-a-file',
    );
  const { size } = info;
  if (size > MAX_CONFIG_BYTES) return { file: shown, diagnostics: [tooLarge(shown, size)] };
  return { file: shown, ...(await validateYamlCached(path, await readFile(path, 'utf8'), shown)) };
}
