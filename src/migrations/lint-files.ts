/** `migrate lint`: lint files or folders with no database, each file as opsbook would run it. */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { readMigrationText } from './file-text.js';
import { compareVersions } from './files.js';
import { lintSources } from './lint/index.js';
import { noFilesDiagnostic } from './no-files.js';
import { DEFAULTS, type MigrateOptions, runnerTimeouts } from './options.js';
import { parsePgVersion } from './pg-version.js';

export interface LintFilesResult {
  files: { file: string; statements: number; transactional: boolean; reason?: string }[];
  diagnostics: Diagnostic[];
}

export async function lintMigrationFiles(
  options: MigrateOptions & { paths?: string[] },
): Promise<LintFilesResult> {
  const paths = options.paths?.length ? options.paths : [options.dir ?? DEFAULTS.dir];
  const files: string[] = [];
  for (const p of paths) files.push(...(await expand(resolve(options.cwd, p), options.cwd)));
  const read = await Promise.all(
    files.map((path) => {
      const file = relative(options.cwd, path) || path;
      return readMigrationText(path, file, options.maxFileBytes).then((r) => ({ file, r }));
    }),
  );
  const refused: Diagnostic[] = [];
  const sources = read.flatMap(({ file, r }) => {
    if (r.ok) return [{ file, text: r.text }];
    refused.push(r.diagnostic);
    return [];
  });
  // Without a database there is no run: each file is linted on its own, so a table from an older file is not "new".
  const result = await lintSources(sources, {
    pg: parsePgVersion(options.postgresVersion),
    runnerTimeouts: runnerTimeouts(options),
    ruleSeverity: options.ruleSeverity,
  });
  return {
    files: result.files.map((f) => ({
      file: f.file,
      statements: f.mode.statements.length,
      transactional: f.mode.transactional,
      reason: f.mode.reason,
    })),
    diagnostics: [...noFilesDiagnostic(files.length, paths.join(', ')), ...refused, ...result.diagnostics],
  };
}

async function expand(path: string, cwd: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new UserError(
      `no such file or folder: ${relative(cwd, path) || path}`,
      'pass .sql files or folders of them',
    );
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.sql'));
  const version = (n: string) => /^\d+/.exec(n)?.[0];
  names.sort((a, b) => {
    const [va, vb] = [version(a), version(b)];
    return va && vb ? compareVersions(va, vb) || a.localeCompare(b) : a.localeCompare(b);
  });
  return names.map((n) => join(path, n));
}
