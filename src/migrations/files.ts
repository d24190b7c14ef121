/** The migration directory: ordered SQL files, their versions and checksums. */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { readMigrationText, withoutBom } from './file-text.js';

export interface MigrationFile {
  /** The leading digits of the file name: `001`, `20240501120000`. */
  version: string;
  /** The rest of the name: `create_users`. */
  name: string;
  path: string;
  /** Relative to cwd, for messages. */
  display: string;
  text: string;
  checksum: string;
}

const NAME = /^(\d+)(?:[_-](.+))?\.sql$/i;

/** sha256 of the content with a BOM and CRLF line endings normalised, so a git checkout on Windows is no "edit". */
export function checksumOf(text: string): string {
  const normalised = withoutBom(text).replace(/\r\n?/g, '\n');
  return createHash('sha256').update(normalised).digest('hex');
}

/** Numeric order, so `9_x.sql` comes before `10_x.sql` without zero padding. */
export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export async function readMigrationDir(
  cwd: string,
  dir: string,
  maxFileBytes?: number,
): Promise<{
  dir: string;
  files: MigrationFile[];
  /** Versions of files that are there but refused (encoding, size, unreadable): not deleted, only not usable. */
  refused: string[];
  diagnostics: Diagnostic[];
}> {
  const abs = resolve(cwd, dir);
  const isDir = await stat(abs).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new UserError(
      `migrations directory not found: ${relative(cwd, abs) || abs}`,
      'pass --dir with the folder of SQL files',
      'migration/no-directory',
    );
  }
  const diagnostics: Diagnostic[] = [];
  const files: MigrationFile[] = [];
  const refused: string[] = [];
  for (const entry of (await readdir(abs)).sort()) {
    if (!entry.toLowerCase().endsWith('.sql')) continue;
    const path = join(abs, entry);
    const display = relative(cwd, path) || path;
    const m = NAME.exec(entry);
    if (!m) {
      diagnostics.push({
        severity: 'warning',
        code: 'migration/unrecognized-file',
        message: `${entry} has no version prefix and is ignored`,
        hint: 'name migrations NNN_description.sql or YYYYMMDDHHMMSS_description.sql',
        location: { file: display },
      });
      continue;
    }
    const read = await readMigrationText(path, display, maxFileBytes);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      refused.push(m[1] ?? '');
      continue;
    }
    // The checksum ignores a BOM already; the server must not see it either.
    const text = withoutBom(read.text);
    files.push({ version: m[1] ?? '', name: m[2] ?? '', path, display, text, checksum: checksumOf(text) });
  }
  files.sort((a, b) => compareVersions(a.version, b.version) || a.name.localeCompare(b.name));
  for (let i = 1; i < files.length; i++) {
    const [prev, cur] = [files[i - 1], files[i]];
    if (prev && cur && compareVersions(prev.version, cur.version) === 0) {
      diagnostics.push(duplicateVersion(cur, prev));
    }
  }
  return { dir: abs, files, refused, diagnostics };
}

/** Two migration files under one version: the history records it once, so one of them would never run. */
export function duplicateVersion(
  file: { display: string; version: string },
  first: { display: string },
): Diagnostic {
  return {
    severity: 'error',
    code: 'migration/duplicate-version',
    message: `${file.display} has the same version ${file.version} as ${first.display}`,
    hint: 'give each migration its own version number',
    location: { file: file.display },
  };
}
