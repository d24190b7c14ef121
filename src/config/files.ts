/**
 * Which file is the config. Kept apart from loading (zod, yaml, the rules) so a command that may find no config,
 * such as `migrate lint` of a file, can look without paying for the loader.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CONFIG_FILES = [
  'opsbook.yaml',
  'opsbook.yml',
  'opsbook.config.ts',
  'opsbook.config.mts',
  'opsbook.config.js',
  'opsbook.config.mjs',
];

export function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
}
