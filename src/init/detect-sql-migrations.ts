/** migrations/ or db/migrations/ with .sql files: plain SQL that opsbook's own runner applies. */
import { inDir, isDir, listDir } from './files.js';
import type { DirContext, Finding } from './types.js';

const DIRS = ['migrations', 'db/migrations', 'sql/migrations'];

export async function detectSqlMigrations({ repo, dir }: DirContext): Promise<Finding> {
  for (const candidate of DIRS) {
    const path = inDir(dir, candidate);
    if (isDir(repo, path) && listDir(repo, path).some((f) => f.endsWith('.sql')))
      return { sources: [path], migrations: [{ engine: 'sql', dir: path, root: dir, source: path }] };
  }
  return {};
}
