// `opsbook backup` end to end: the built CLI against the real PostgreSQL and an S3-compatible server on loopback.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../support/pg.js';
import { type LoopbackS3, startS3 } from '../support/s3.js';

const cli = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'main.js');
const available = await pgAvailable();
if (!available) markPgSkipped(`backup e2e: no PostgreSQL at ${pgUrl()}`);

const withDb = (name: string) => pgUrl().replace(/\/[^/]*$/, `/${name}`);

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl() });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe.skipIf(!available)('opsbook backup (built CLI, real PostgreSQL)', () => {
  const source = uniquePgName('opsbook_e2e_bk');
  const target = uniquePgName('opsbook_e2e_bk_to');
  let dir: string;
  let s3: LoopbackS3;
  let env: Record<string, string>;

  // Async spawn: the loopback S3 server runs in this process and must keep answering.
  const opsbook = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args, '--plain'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const json = async (args: string[]) => {
    const r = await opsbook([...args, '--json']);
    // biome-ignore lint/suspicious/noExplicitAny: the --json envelope's data differs per subcommand
    return { code: r.code, body: JSON.parse(r.stdout) as { ok: boolean; data: any } };
  };

  beforeAll(async () => {
    s3 = await startS3();
    dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-bk-'));
    await admin(`CREATE DATABASE "${source}"`);
    await query(
      withDb(source),
      `CREATE TABLE customers (id int PRIMARY KEY, name text);
       INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 250) g;
       CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers);
       INSERT INTO orders SELECT g, 1 + g % 250 FROM generate_series(1, 900) g;`,
    );
    env = {
      APP_DATABASE_URL: withDb(source),
      TARGET_URL: withDb(target),
      S3_KEY: s3.accessKeyId,
      S3_SECRET: s3.secretAccessKey,
    };
    writeFileSync(
      join(dir, 'opsbook.yaml'),
      `name: shop
services:
  db: { kind: database }
backups:
  - id: local
    database: db
    urlEnv: APP_DATABASE_URL
    retention: { daily: 7 }
    destination: { type: local, path: backups }
  - id: nothing-yet
    database: db
    urlEnv: APP_DATABASE_URL
    destination: { type: local, path: no-backups-here }
  - id: parallel
    database: db
    urlEnv: APP_DATABASE_URL
    format: directory
    jobs: 2
    destination: { type: local, path: backups }
  - id: offsite
    database: db
    urlEnv: APP_DATABASE_URL
    retention: { daily: 7, weekly: 4, monthly: 6 }
    destination:
      type: s3
      bucket: ${s3.bucket}
      region: us-east-1
      endpoint: ${s3.endpoint}
      accessKeyId: { env: S3_KEY }
      secretAccessKey: { env: S3_SECRET }
`,
    );
  });
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS "${source}" WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`);
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up to a local directory and to S3, and verifies each by a restore with matching row counts', async () => {
    for (const entry of ['local', 'offsite']) {
      const run = await json(['backup', 'run', entry]);
      expect(run.code).toBe(0);
      expect(
        run.body.data.result.manifest.tables.map((t: { name: string; rows: number }) => [t.name, t.rows]),
      ).toEqual([
        ['customers', 250],
        ['orders', 900],
      ]);
      const verify = await opsbook(['backup', 'verify', entry]);
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/restored into a scratch database and checked/);
    }
    const list = await opsbook(['backup', 'list', 'offsite']);
    expect(list.stdout).toMatch(/offsite\/\d{8}T\d{6}\.\d{3}Z .* yes \(/);
  });

  it('backs up in the parallel directory format as one tar and verifies it with pg_restore -j', async () => {
    const run = await json(['backup', 'run', 'parallel']);
    expect(run.code).toBe(0);
    expect(run.body.data.result.manifest).toMatchObject({ format: 'directory', jobs: 2 });
    expect(run.body.data.result.manifest.key).toMatch(/\.tar$/);
    const verify = await opsbook(['backup', 'verify', 'parallel']);
    expect(verify.stdout + verify.stderr).toMatch(/restored into a scratch database and checked/);
    expect(verify.code).toBe(0);
  });

  it('fails verify of a truncated backup with the reason, exit 1', async () => {
    const run = await json(['backup', 'run', 'local', '--no-prune']);
    const m = run.body.data.result.manifest;
    truncateSync(join(dir, 'backups', m.key), 100);
    const verify = await opsbook(['backup', 'verify', m.id]);
    expect(verify.code).toBe(1);
    expect(verify.stdout + verify.stderr).toMatch(
      /the archive has 100 bytes, its manifest recorded \d+ \(truncated\)/,
    );
    // The failed drill is recorded: the backup shows as FAILED, not as verified.
    expect((await opsbook(['backup', 'list', 'local'])).stdout).toMatch(
      new RegExp(`${m.id.replace('.', '\\.')} .*FAILED`),
    );
  });

  it('restores into a scratch target that then holds the same data, and refuses production', async () => {
    const [latest] = (await json(['backup', 'list', 'offsite'])).body.data;
    const dry = await opsbook([
      'backup',
      'restore',
      latest.manifest.id,
      '--target-env',
      'TARGET_URL',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('does not exist: it is created');
    const restore = await opsbook([
      'backup',
      'restore',
      latest.manifest.id,
      '--target-env',
      'TARGET_URL',
      '--yes',
    ]);
    expect(restore.stdout + restore.stderr).toMatch(/row counts match/);
    expect(restore.code).toBe(0);
    expect(await query(withDb(target), 'SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 900 }]);

    const prod = await opsbook([
      'backup',
      'restore',
      latest.manifest.id,
      '--target-env',
      'APP_DATABASE_URL',
      '--yes',
    ]);
    expect(prod.code).toBe(2);
    expect(prod.stderr).toMatch(/is the production database/);
  });

  it('refuses a restore target that is not a PostgreSQL URL, without a stack trace or its password', async () => {
    const latest = (await json(['backup', 'run', 'local', '--no-prune'])).body.data.result;
    for (const [target, message] of [
      ['notaurl', '--target is not a PostgreSQL URL'],
      ['postgres://u:s3cret@[db/app', '--target is not a valid URL'],
    ] as const) {
      const r = await opsbook(['backup', 'restore', latest.manifest.id, '--target', target, '--yes']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toContain('s3cret');
    }
  });

  it('fails backup list and prune when the destination holds no backup: nothing found is not fine', async () => {
    const r = await opsbook(['backup', 'list', 'nothing-yet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no backups in the destination');
    const j = await json(['backup', 'list', 'nothing-yet']);
    expect(j.body).toMatchObject({ ok: false, data: [] });
    const prune = await opsbook(['backup', 'prune', 'nothing-yet']);
    expect(prune.code).toBe(1);
    expect(prune.stderr).toContain('no backups in the destination: nothing to prune');
  });

  it('prune --dry-run shows what the retention keeps and why, and deletes nothing', async () => {
    await json(['backup', 'run', 'local', '--no-prune']);
    const before = (await json(['backup', 'list', 'local'])).body.data.length;
    const prune = await json(['backup', 'prune', 'local', '--dry-run']);
    expect(prune.code).toBe(0);
    const decisions = prune.body.data.decisions as { id: string; keep: boolean; reasons: string[] }[];
    // daily: 7 keeps the newest of today and the last verified one; the failed one in between would go.
    expect(decisions[0]!.reasons).toEqual(expect.arrayContaining(['newest backup']));
    expect(decisions.filter((d) => !d.keep).length).toBeGreaterThan(0);
    expect(decisions.some((d) => d.reasons.includes('last verified backup'))).toBe(true);
    expect((await json(['backup', 'list', 'local'])).body.data.length).toBe(before);
  });
});
