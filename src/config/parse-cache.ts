/**
 * A cache of parsed config data, keyed by the file's exact text: `validate`, `status --offline` and every other
 * command re-read an unchanged opsbook.yaml, and a cold YAML parse is the largest single cost of their start-up
 * (the parser runs once per process, so V8 never gets to optimise it). Beside the data it may hold the validated
 * config, which spares loading and running zod as well (the caller decides when validation cannot change with time).
 * Only a config that loaded without any diagnostic is cached: diagnostics need source positions, which only the YAML
 * document has, so anything else takes the full path and the result is the same either way. The entry holds nothing
 * the file does not (the config refers to secrets; it never contains their values). It lives in the user's cache
 * directory, never in the repository; any failure to read or write it just means the full path.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** Bumped when the data a config parses to could change shape (the yaml version, toJS options). */
const FORMAT = 'config-data-2';

function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OPSBOOK_NO_CACHE) return undefined;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : undefined);
  return base ? join(base, 'opsbook', 'config') : undefined;
}

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex');

export interface CachedConfig {
  /** The parsed YAML. */
  data: unknown;
  /** The validated config, when the writer said validation would give it again. */
  config?: unknown;
}

export interface ParseCache {
  read(path: string, text: string): CachedConfig | undefined;
  write(path: string, text: string, data: unknown, config?: unknown): void;
}

/** `validator` identifies the code that validated a config: without it only the parsed data is cached. */
export function createParseCache(
  version: string,
  env: NodeJS.ProcessEnv = process.env,
  validator?: string,
): ParseCache {
  const dir = cacheDir(env);
  const file = (path: string) => (dir ? join(dir, `${digest(path).slice(0, 24)}.json`) : undefined);
  return {
    read(path, text) {
      const at = file(path);
      if (!at) return undefined;
      try {
        const entry = JSON.parse(readFileSync(at, 'utf8')) as {
          key?: string;
          validatedBy?: string;
        } & CachedConfig;
        if (entry.key !== digest(FORMAT, version, text) || entry.data === undefined) return undefined;
        const valid = validator !== undefined && entry.validatedBy === digest(validator, text);
        return { data: entry.data, config: valid ? entry.config : undefined };
      } catch {
        return undefined;
      }
    },
    write(path, text, data, config) {
      const at = file(path);
      if (!at || !dir) return;
      try {
        const validated = validator !== undefined && config !== undefined;
        const json = JSON.stringify({
          key: digest(FORMAT, version, text),
          data,
          ...(validated ? { config, validatedBy: digest(validator, text) } : {}),
        });
        // YAML can hold what JSON cannot (.inf, .nan): such a config is simply not cached.
        const back = JSON.parse(json) as CachedConfig;
        if (!isDeepStrictEqual(back.data, data) || (validated && !isDeepStrictEqual(back.config, config)))
          return;
        mkdirSync(dir, { recursive: true });
        const tmp = `${at}.${process.pid}.tmp`;
        writeFileSync(tmp, json);
        renameSync(tmp, at); // atomic: a concurrent reader sees the old entry or the new, never half
      } catch {
        // A read-only home or a full disk: the next run parses again.
      }
    },
  };
}
