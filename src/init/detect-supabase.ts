/** supabase/migrations/: plain SQL files in Supabase's order, against Supabase's PostgreSQL. */
import { inDir, isDir } from './files.js';
import type { DirContext, Finding } from './types.js';

export async function detectSupabase({ repo, dir }: DirContext): Promise<Finding> {
  const migrationsDir = inDir(dir, 'supabase/migrations');
  if (!isDir(repo, migrationsDir)) return {};
  return {
    sources: [migrationsDir],
    migrations: [
      { engine: 'supabase', dir: migrationsDir, database: 'postgres', root: dir, source: migrationsDir },
    ],
  };
}
