// `opsbook maintenance` end to end on the built CLI: `due` on the five runbook examples lists their weekly, monthly and
// quarterly tasks; on the demo stack the built-in postgres-health (real PostgreSQL) and dependencies (npm against a
// loopback registry) checks produce evidence that is stored and changes what is due.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';
import { createScratchDb, type ScratchDb } from '../support/migrations/scratch-db.js';
import { type NpmRegistry, startNpmRegistry } from '../support/npm-registry.js';
import { markPgSkipped, pgAvailable, pgUrl } from '../support/pg.js';
import { runCli } from '../support/run-cli.js';

// Each test spawns the CLI several times (and npm, pg): on a loaded machine that takes far longer than the default.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' };
  delete env.DATABASE_URL;
  delete env.OPSBOOK_DATABASE_URL;
  return env;
};

async function opsbook(args: string[], cwd: string, env: NodeJS.ProcessEnv = baseEnv()) {
  const r = await runCli([...args, '--json'], cwd, env);
  return { code: r.code, output: r.stdout + r.stderr, body: JSON.parse(r.stdout || 'null') };
}

/** Each runbook's recurring tasks as [id, every]: what its maintenance section lists. */
const EXPECTED: Record<string, [string, string][]> = {
  ara: [
    ['weekly', 'weekly'],
    ['weekly-dependencies', 'weekly'],
    ['weekly-backup-verification', 'weekly'],
    ['monthly-database', 'monthly'],
    ['monthly', 'monthly'],
    ['quarterly', 'quarterly'],
    ['quarterly-disaster-recovery', 'quarterly'],
  ],
  aria: [
    ['weekly-logs', 'weekly'],
    ['weekly-dependencies', 'weekly'],
    ['monthly-secrets', 'monthly'],
    ['quarterly-migrations', 'quarterly'],
  ],
  ayni: [
    ['weekly', 'weekly'],
    ['weekly-database', 'weekly'],
    ['weekly-dependencies', 'weekly'],
  ],
  kamiyo: [
    ['runbook-review', 'monthly'],
    ['monthly-security-audit', 'monthly'],
    ['weekly-dependencies', 'weekly'],
  ],
  'prompt-studio': [
    ['weekly', 'weekly'],
    ['monthly-dependencies', 'monthly'],
    ['monthly-database', 'monthly'],
    ['monthly', 'monthly'],
    ['quarterly', 'quarterly'],
  ],
};

describe('opsbook maintenance due on the five runbook examples (built CLI)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it.each(Object.keys(EXPECTED))('%s: lists its weekly, monthly and quarterly tasks as due', async (name) => {
    // A copy: the command opens a store next to the config, which must not land in the repository.
    const dir = mkdtempSync(join(tmpdir(), `opsbook-e2e-maint-${name}-`));
    dirs.push(dir);
    cpSync(join(repoRoot, 'examples', name, 'opsbook.yaml'), join(dir, 'opsbook.yaml'));
    const due = await opsbook(['maintenance', 'due'], dir);
    expect(due.code, due.output).toBe(0);
    const rows = due.body.data as {
      id: string;
      every: string;
      state: string;
      dueSince: string;
      kind: string;
    }[];
    expect(rows.map((r) => [r.id, r.every])).toEqual(EXPECTED[name]);
    // Never done: each is due since its current period began, none is "ok".
    for (const r of rows) {
      expect(r.state).toBe('due');
      expect(Date.parse(r.dueSince)).toBeLessThanOrEqual(Date.now());
    }
    const plain = await runCli(['maintenance', 'due'], dir, baseEnv());
    for (const [id] of EXPECTED[name]!) expect(plain.stdout).toContain(id);
    // `status` shows the same due tasks (offline: no probes of the real hosts).
    const status = await opsbook(['status', '--offline'], dir);
    expect(status.body.data.maintenance.due.map((t: { id: string }) => t.id)).toEqual(
      EXPECTED[name]!.map(([id]) => id),
    );
  });
});

const available = await pgAvailable();
if (!available) markPgSkipped(`maintenance e2e: no PostgreSQL at ${pgUrl()}`);

describe.skipIf(!available)(
  'built-in checks on the demo stack (built CLI, real PostgreSQL, loopback registry)',
  () => {
    let dir = '';
    let db: ScratchDb;
    let registry: NpmRegistry;
    let env: NodeJS.ProcessEnv;
    beforeAll(async () => {
      ({ dir } = await createDemoStack());
      db = await createScratchDb('opsbook_e2e_maint');
      registry = await startNpmRegistry({
        'node-sqlite3-wasm': {
          versions: ['0.8.60', '0.8.61', '1.0.0'],
          advisories: [
            { id: 7, title: 'Use after free in finalize', severity: 'critical', range: '<0.8.61' },
          ],
        },
      });
      env = {
        ...baseEnv(),
        DATABASE_URL: db.url,
        npm_config_registry: registry.url,
        npm_config_cache: join(dir, '.npm-cache'),
        npm_config_fetch_retries: '0',
      };
      const up = await opsbook(['migrate', 'up', '--yes'], dir, env);
      expect(up.code, up.output).toBe(0);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query("INSERT INTO notes (body) SELECT 'note ' || g FROM generate_series(1, 300) g");
      await client.query('ANALYZE notes');
      await client.end();
    }, 120_000);
    afterAll(async () => {
      await registry?.close();
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('postgres-health reads the database and its evidence takes the task off the due list', async () => {
      const run = await opsbook(['maintenance', 'run', 'weekly-database'], dir, env);
      expect(run.code, run.output).toBe(0);
      const c = run.body.data;
      expect(c).toMatchObject({ task: 'weekly-database', via: 'check', ok: true, by: 'e2e' });
      expect(c.evidence.summary).toMatch(new RegExp(`^${db.name}: [\\d.]+ MB, \\d+ tables, 0 warning`));
      expect(c.evidence.data.database).toBe(db.name);
      expect(c.evidence.data.tables.map((t: { table: string }) => t.table)).toEqual(
        expect.arrayContaining(['public.notes', 'public.worker_heartbeats']),
      );
      expect(c.evidence.data.connections.max).toBeGreaterThan(0);
      const due = await opsbook(['maintenance', 'due'], dir, env);
      expect(due.body.data.map((t: { id: string }) => t.id)).not.toContain('weekly-database');
      const list = await opsbook(['maintenance', 'list'], dir, env);
      const row = list.body.data.find((t: { id: string }) => t.id === 'weekly-database');
      expect(row).toMatchObject({ state: 'ok', lastDone: { via: 'check', ok: true } });
    });

    it('dependencies audits the demo with npm against the loopback registry; a critical advisory keeps it due', async () => {
      const run = await opsbook(['maintenance', 'run', 'weekly-dependencies'], dir, env);
      expect(run.code, run.output).toBe(1);
      const c = run.body.data;
      expect(c).toMatchObject({ task: 'weekly-dependencies', via: 'check', ok: false });
      expect(c.evidence.findings.map((f: { message: string }) => f.message)).toEqual([
        '.: 1 known vulnerability (1 critical): node-sqlite3-wasm: Use after free in finalize (critical). Fix: npm audit fix',
        '.: 1 outdated: node-sqlite3-wasm 0.8.60 → 1.0.0',
      ]);
      expect(registry.auditQueries).toContainEqual({ 'node-sqlite3-wasm': ['0.8.60'] });
      const due = await opsbook(['maintenance', 'due'], dir, env);
      expect(due.body.data.find((t: { id: string }) => t.id === 'weekly-dependencies')).toMatchObject({
        state: 'due',
        lastDone: { ok: false },
      });
    });

    it('done records who did a checklist, when, and the note', async () => {
      const done = await opsbook(
        ['maintenance', 'done', 'monthly-review', '--note', 'no errors this month'],
        dir,
        env,
      );
      expect(done.code, done.output).toBe(0);
      expect(done.body.data).toMatchObject({
        task: 'monthly-review',
        via: 'done',
        by: 'e2e',
        note: 'no errors this month',
      });
      const due = await opsbook(['maintenance', 'due'], dir, env);
      expect(due.body.data.map((t: { id: string }) => t.id)).toEqual(['weekly-dependencies']);
    });
  },
);

describe('opsbook maintenance window (built CLI)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-window-'));
    cpSync(join(repoRoot, 'examples', 'demo', 'opsbook.yaml'), join(dir, 'opsbook.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a window for named services, lists it, ends it, and refuses an unknown service', async () => {
    const bad = await opsbook(['maintenance', 'window', 'start', 'apii', '--duration', '30m'], dir);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("'apii' is not a service of this stack");
    const start = await opsbook(
      ['maintenance', 'window', 'start', 'api', '--duration', '30m', '--reason', 'database upgrade'],
      dir,
    );
    expect(start.code, start.output).toBe(0);
    expect(start.body.data).toMatchObject({ services: ['api'], environment: 'production', by: 'e2e' });
    expect(Date.parse(start.body.data.endsAt) - Date.parse(start.body.data.startsAt)).toBe(30 * 60e3);
    const list = await opsbook(['maintenance', 'window', 'list'], dir);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([start.body.data.id]);
    const end = await opsbook(['maintenance', 'window', 'end'], dir);
    expect(end.code, end.output).toBe(0);
    expect((await opsbook(['maintenance', 'window', 'list'], dir)).body.data).toEqual([]);
  });
});
