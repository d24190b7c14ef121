/** Loading is parse -> validate and normalize (zod) -> cross-field rules; every problem is reported at once. */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { findConfigFile } from './files.js';
import { type Locator, pathOnlyLocator, yamlLocator } from './locate.js';
import { createParseCache, type ParseCache } from './parse-cache.js';
import { MAX_CONFIG_BYTES, parseConfigYaml, tooLarge } from './parse-yaml.js';
import { checkConfigRules } from './rules/index.js';
import { type StackConfig, stackSchema } from './schema.js';
import { loadTsConfig, TS_LOAD_TIMEOUT_MS } from './ts-config.js';
import { issuesToDiagnostics } from './zod-issues.js';

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

/** Validates already-parsed config data; `locate` maps paths to source positions. */
export function validateConfigData(
  data: unknown,
  locate: Locator,
): { config?: StackConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // jitless: zod would otherwise generate and compile a parser per object schema on first use, ~20 ms that a
  // process validating one config never earns back (it parses in 15 ms without).
  const parsed = stackSchema.safeParse(data, { reportInput: true, jitless: true });
  if (!parsed.success)
    diagnostics.push(...issuesToDiagnostics(parsed.error.issues, stackSchema, locate, data));
  for (const { path, key, ...d } of checkConfigRules(data))
    diagnostics.push({ ...d, location: locate(path, { key }) });
  return { config: parsed.success && !hasErrors(diagnostics) ? parsed.data : undefined, diagnostics };
}

/** Parses and validates YAML text. */
export function validateConfigText(
  text: string,
  file: string,
): { config?: StackConfig; diagnostics: Diagnostic[] } {
  const { data: _, ...result } = validateYaml(text, file);
  return result;
}

function validateYaml(
  text: string,
  file: string,
): { config?: StackConfig; diagnostics: Diagnostic[]; data?: unknown } {
  const { data, doc, lines, diagnostics: syntax } = parseConfigYaml(text, file);
  if (hasErrors(syntax) || !doc) return { diagnostics: syntax };
  const result = validateConfigData(data, yamlLocator(doc, lines, file));
  return { ...result, diagnostics: [...syntax, ...result.diagnostics], data };
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
  cache = createParseCache(version);
  return cache;
}

/** YAML text through the parse cache: a config that loaded cleanly before skips the YAML parser. */
function validateYamlCached(path: string, text: string, file: string) {
  const cached = parseCache().read(path, text);
  if (cached !== undefined) {
    // No locator is needed when there is nothing to locate; with a diagnostic, the full path finds positions.
    const fast = validateConfigData(cached, pathOnlyLocator(file));
    if (!fast.diagnostics.length) return fast;
  }
  const { data, ...result } = validateYaml(text, file);
  if (result.config && !result.diagnostics.length && data !== undefined) parseCache().write(path, text, data);
  return result;
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
  if (/\.(m?ts|m?js)$/.test(path)) {
    const loaded = await loadTsConfig(path, shown, options.timeoutMs ?? TS_LOAD_TIMEOUT_MS);
    if ('diagnostic' in loaded) return { file: shown, diagnostics: [loaded.diagnostic] };
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
  return { file: shown, ...validateYamlCached(path, await readFile(path, 'utf8'), shown) };
}
