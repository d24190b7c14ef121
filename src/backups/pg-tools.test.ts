// Which pg_dump/pg_restore is used for a server, and the error that names the version needed (GitLab 2017).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgTool, pickTool } from './pg-tools.js';

let root: string;
/** A directory holding a fake `pg_dump` that reports `version` the way the real one does. */
async function fakeTool(version: string): Promise<string> {
  const dir = join(root, version);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'pg_dump');
  await writeFile(path, `#!/bin/sh\necho "pg_dump (PostgreSQL) ${version}"\n`);
  await chmod(path, 0o755);
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'opsbook-pgtools-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('finding the pg_dump for a server version', () => {
  it('picks the oldest tool at least as new as the server', () => {
    const t = (major: number) => ({ path: `/bin/${major}`, major, version: `${major}.1` });
    expect(pickTool([t(17), t(14), t(16)], 15)?.major).toBe(16);
    expect(pickTool([t(14)], 15)).toBeUndefined();
  });

  it('finds a matching tool on PATH among older ones', async () => {
    const path = [await fakeTool('13.9'), await fakeTool('98.2')].join(delimiter);
    const tool = await findPgTool('pg_dump', 98, { PATH: path });
    expect(tool).toMatchObject({ major: 98, version: '98.2', path: join(root, '98.2', 'pg_dump') });
  });

  it('names the version needed and the ones found when none is new enough', async () => {
    const path = [await fakeTool('13.9')].join(delimiter);
    const error = await findPgTool('pg_dump', 99, { PATH: path }).then(
      () => undefined,
      (e: Error & { hint?: string }) => e,
    );
    expect(error?.message).toMatch(
      /^pg_dump 99 or newer is needed for this PostgreSQL 99 server: found only /,
    );
    expect(error?.message).toContain(`13.9 (${join(root, '13.9', 'pg_dump')})`);
    expect(error?.hint).toContain('postgresql-client-99');
  });
});
