/**
 * pg_dump of the tables a destructive file touches, taken right before it runs. The password goes to pg_dump through
 * PGPASSWORD, never on its command line where `ps` would show it. The dump is written under a temporary name and
 * renamed only when pg_dump succeeds, so a file under the final name is always a whole backup.
 */
import { spawn } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { scrubConnection, separatePassword } from '../redact/index.js';
import type { DbClient } from './db.js';
import type { DestructiveTarget } from './destructive.js';

export interface BackupResult {
  path: string;
  bytes: number;
  tables: string[];
  schemas: string[];
}

export type BackupOutcome = { ok: true; backup?: BackupResult } | { ok: false; error: string };

export async function backupTargets(options: {
  client: DbClient;
  databaseUrl: string;
  targets: readonly DestructiveTarget[];
  backupsDir: string;
  cwd: string;
  label: string;
  env?: NodeJS.ProcessEnv;
}): Promise<BackupOutcome> {
  const { client } = options;
  const tables: string[] = [];
  const schemas: string[] = [];
  for (const t of options.targets) {
    if (t.action === 'drop schema') {
      const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [t.object]);
      if (rows.length && !schemas.includes(t.object)) schemas.push(t.object);
      continue;
    }
    // A table created earlier in the same run does not exist yet when the backup is planned: nothing to save.
    const { rows } = await client.query<{ name: string | null }>('SELECT to_regclass($1)::text AS name', [
      t.object,
    ]);
    const name = rows[0]?.name;
    if (name && !tables.includes(name)) tables.push(name);
  }
  if (!tables.length && !schemas.length) return { ok: true };

  const dir = resolve(options.cwd, options.backupsDir);
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const path = join(dir, `${stamp}-${options.label.replace(/[^\w.-]+/g, '_')}.dump`);
  const partial = `${path}.partial`;
  const args = [
    '--format=custom',
    `--file=${partial}`,
    ...tables.map((t) => `--table=${t}`),
    ...schemas.map((s) => `--schema=${s}`),
  ];
  const error = await runPgDump(args, options.databaseUrl, options.env ?? process.env);
  if (error) {
    await rm(partial, { force: true });
    return { ok: false, error };
  }
  await rename(partial, path);
  return { ok: true, backup: { path, bytes: (await stat(path)).size, tables, schemas } };
}

function runPgDump(args: string[], url: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { connection, password } = separatePassword(url);
  return new Promise((done) => {
    const child = spawn('pg_dump', [...args, `--dbname=${connection}`], {
      env: { ...env, ...(password ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ENOENT' ? 'pg_dump is not installed or not on PATH' : error.message),
    );
    child.on('close', (code, signal) => {
      if (code === 0) return done(undefined);
      const how = signal ? `pg_dump was killed by ${signal}` : `pg_dump exited with code ${code}`;
      done(scrubConnection(stderr.trim() ? `${how}: ${stderr.trim()}` : how, url));
    });
  });
}
