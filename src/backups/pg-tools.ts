/**
 * Finds the pg_dump/pg_restore that can handle the server: the same major version or newer. GitLab's 2017
 * backups failed silently on exactly this mismatch, so a wrong version is an error naming the one needed.
 */
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';

const run = promisify(execFile);

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

/** Where distributions put versioned client binaries besides PATH. */
async function candidateDirs(env: NodeJS.ProcessEnv): Promise<string[]> {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const root of ['/usr/lib/postgresql', '/usr/pgsql', '/opt/homebrew/opt', '/usr/local/opt']) {
    const names = await readdir(root).catch(() => [] as string[]);
    for (const n of names) if (/^(postgresql@)?\d+$/.test(n)) dirs.push(join(root, n, 'bin'));
  }
  return [...new Set(dirs)];
}

async function probe(path: string): Promise<PgTool | undefined> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
    const m = /\(PostgreSQL\)\s+(\d+)(\.\d+)?/.exec(stdout);
    return m ? { path, major: Number(m[1]), version: `${m[1]}${m[2] ?? ''}` } : undefined;
  } catch {
    return undefined;
  }
}

/** The oldest installed tool whose major version is at least the server's (the closest match). */
export function pickTool(found: readonly PgTool[], serverMajor: number): PgTool | undefined {
  return [...found].filter((t) => t.major >= serverMajor).sort((a, b) => a.major - b.major)[0];
}

export async function findPgTool(
  name: 'pg_dump' | 'pg_restore',
  serverMajor: number,
  env: NodeJS.ProcessEnv,
): Promise<PgTool> {
  // Probed in parallel (Debian's /usr/bin/pg_dump is a Perl wrapper that takes a while to start), kept in PATH order.
  const probed = await Promise.all((await candidateDirs(env)).map((dir) => probe(join(dir, name))));
  const found: PgTool[] = [];
  for (const tool of probed) if (tool && !found.some((f) => f.version === tool.version)) found.push(tool);
  const tool = pickTool(found, serverMajor);
  if (tool) return tool;
  const seen = found.length
    ? `found only ${found.map((f) => `${f.version} (${f.path})`).join(', ')}`
    : `none found`;
  throw new UserError(
    `${name} ${serverMajor} or newer is needed for this PostgreSQL ${serverMajor} server: ${seen}`,
    `install the PostgreSQL ${serverMajor} client tools (e.g. apt install postgresql-client-${serverMajor}, brew install postgresql@${serverMajor}) or put them on PATH`,
    'backup/pg-tool-version',
  );
}
