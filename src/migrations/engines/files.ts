/** Reading engine migration files: one folder listing, the size and encoding checks, and upward root search. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/index.js';
import { UserError } from '../../errors.js';
import { readMigrationText } from '../file-text.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The entries of the migrations folder, sorted; a missing folder is a clear error, not zero files. */
export async function listDir(cwd: string, dir: string, layout: string): Promise<string[]> {
  const abs = resolve(cwd, dir);
  if (
    !(await stat(abs).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new UserError(
      `migrations directory not found: ${relative(cwd, abs) || abs}`,
      `set migrations.dir (or --dir) to the folder with ${layout}`,
      'migration/no-directory',
    );
  }
  return (await readdir(abs)).sort();
}

/** Reads a file with the same refusals as plain SQL migrations; a refused file becomes a diagnostic. */
export async function readChecked(
  path: string,
  cwd: string,
  diagnostics: Diagnostic[],
  maxFileBytes?: number,
): Promise<{ text: string; display: string } | undefined> {
  const display = relative(cwd, path) || path;
  const read = await readMigrationText(path, display, maxFileBytes);
  if (read.ok) return { text: read.text, display };
  diagnostics.push(read.diagnostic);
  return undefined;
}

/** The nearest folder from `start` up to `cwd` that contains `marker`; `fallback` when none does. */
export function findUp(start: string, cwd: string, marker: string, fallback = cwd): string {
  const stop = resolve(cwd);
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, marker))) return dir;
    if (dir === stop || dirname(dir) === dir) return fallback;
  }
}

/** `20240101120000_create_users.rb` -> version and name. */
export function splitVersioned(file: string, ext: RegExp): { version: string; name: string } | undefined {
  const m = new RegExp(`^(\\d+)[_-]?(.*?)${ext.source}$`, 'i').exec(file);
  return m ? { version: m[1] ?? '', name: m[2] ?? '' } : undefined;
}
