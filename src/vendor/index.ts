/**
 * The packages the build copies into dist/vendor/ as one CommonJS file each (scripts/bundle.mjs), loaded with V8's
 * code cache. Every command that reads a config it has not validated before (every CI run: a fresh clone has no
 * parse cache) runs zod, the schema's zod objects and yaml, and much of that time is V8 compiling functions on their
 * first call. The build validates configs once and saves what V8 compiled beside each file (scripts/code-cache.mjs),
 * so later runs load compiled code instead.
 *
 * V8 takes a cache only under the version, flags and source it was made with. opsbook sets V8 flags at run time for a
 * lint (setV8Flags), so each set of flags has its own cache file. A Node other than the one that built dist/, or a
 * changed file, is refused by V8 and compiles as without a cache. Node 20 has no compile cache for modules
 * (`module.enableCompileCache` is Node 22), which is why these are CommonJS run through `vm.Script`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** dist/vendor/<name>.cjs; the parser's glue is copied there by scripts/parser-hints.mjs. */
export type VendoredName = 'yaml' | 'zod' | 'libpg-query/libpg-query';

const scripts = new Map<string, { script: Script; cache: string }>();
let flags: string[] = [];

/** Sets V8 flags for the rest of the process, remembered so that vendored files load the cache made under them. */
export function setV8Flags(...set: string[]): void {
  const added = set.filter((flag) => !flags.includes(flag));
  if (added.length === 0) return;
  setFlagsFromString(added.join(' '));
  flags = [...flags, ...added];
}

/** The V8 flags opsbook has set in this process (on this thread's module instance), in order. */
export function v8FlagsSet(): readonly string[] {
  return flags;
}

/** `zod.cjs.v8cache` under V8's default flags; `zod.cjs.liftoff-only.v8cache` and so on under others. */
function cacheFile(file: string): string {
  const key = flags.map((flag) => flag.replace(/^--/, '').replace(/[^\w-]/g, '-')).join('.');
  return `${file}${key ? `.${key}` : ''}.v8cache`;
}

/** The package's exports, from dist/vendor/<name>.cjs. Only for the built CLI: from source, import the package. */
export function requireVendored<T>(name: VendoredName): T {
  const file = fileURLToPath(new URL(`./${name}.cjs`, import.meta.url));
  const cache = cacheFile(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cache);
  } catch {
    // None for these flags (or a build that wrote none): compiled from source.
  }
  // The wrapper Node puts around a CommonJS file.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  scripts.set(file, { script, cache });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  return module.exports;
}

/** Whether V8 took the cache of each vendored file loaded so far: the build and a test check it. */
export function vendoredCacheUse(): Record<string, 'used' | 'rejected' | 'none'> {
  return Object.fromEntries(
    [...scripts].map(([file, { script }]) => [
      file,
      script.cachedDataRejected === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used',
    ]),
  );
}

/**
 * Saves the code V8 has compiled so far for each vendored file loaded in this process, beside the file, for the
 * flags it was loaded under. Only the build calls it (scripts/code-cache.mjs), after the command has run.
 */
export function writeVendoredCaches(): void {
  for (const { script, cache } of scripts.values()) writeFileSync(cache, script.createCachedData());
}
