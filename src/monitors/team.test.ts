// Team mode on the real PostgreSQL: two engine processes share the monitors, and one survives the other's SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/support/http-server.js';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';

const available = await pgAvailable();
if (!available)
  markPgSkipped('src/monitors/team.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

const MONITORS = 12;
const INTERVAL = 1_000;

interface Instance {
  child: ChildProcess;
  checks: number;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startInstance(schema: string, targetUrl: string, id: string): Instance {
  const script = new URL('../../test/support/monitors/team-child.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, pgUrl(), schema, targetUrl, id, String(MONITORS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const instance: Instance = {
    child,
    checks: 0,
    ready: new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${id} exited early (${code})`)));
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          if (line === 'ready') resolve();
          else instance.checks = (JSON.parse(line) as { checks: number }).checks;
        }
      });
    }),
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  return instance;
}

describe.skipIf(!available)('team mode on PostgreSQL', () => {
  const schema = uniquePgName('opsbook_team_test');
  const hits = new Map<string, number[]>();
  let target: TestServer;
  const instances: Instance[] = [];

  beforeAll(async () => {
    target = await startServer((req, res) => {
      const list = hits.get(req.url ?? '') ?? [];
      list.push(Date.now());
      hits.set(req.url ?? '', list);
      res.end('ok');
    });
  });
  afterAll(async () => {
    for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    await target.close();
    const client = new pg.Client({ connectionString: pgUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  const countIn = (path: string, from: number, to: number) =>
    (hits.get(path) ?? []).filter((t) => t >= from && t < to).length;
  const paths = Array.from({ length: MONITORS }, (_, i) => `/m${i}`);

  it('checks each monitor once per interval across two processes, and survives one being killed', async () => {
    const a = startInstance(schema, target.url, 'instance-a');
    const b = startInstance(schema, target.url, 'instance-b');
    instances.push(a, b);
    await Promise.all([a.ready, b.ready]);
    // Every monitor's first slot falls within one interval of the sync.
    await sleep(INTERVAL * 1.5);

    const windowStart = Date.now();
    await sleep(INTERVAL * 5);
    const windowEnd = Date.now();
    for (const path of paths) {
      // Five intervals: five checks (one more or less at the window's edges), never two per interval.
      const n = countIn(path, windowStart, windowEnd);
      expect(n, path).toBeGreaterThanOrEqual(4);
      expect(n, path).toBeLessThanOrEqual(6);
    }
    // Both did a share of the work.
    expect(a.checks).toBeGreaterThan(0);
    expect(b.checks).toBeGreaterThan(0);

    a.child.kill('SIGKILL');
    await a.exited;
    const killedAt = Date.now();
    await sleep(INTERVAL * 5);
    const end = Date.now();
    for (const path of paths) {
      const after = (hits.get(path) ?? []).filter((t) => t >= killedAt);
      // Picked up within two intervals of the kill (its lease expires), then checked every interval.
      expect(after[0]! - killedAt, path).toBeLessThan(INTERVAL * 2);
      const n = countIn(path, killedAt + INTERVAL * 2, end);
      expect(n, path).toBeGreaterThanOrEqual(2);
      expect(n, path).toBeLessThanOrEqual(4);
    }

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 60_000);
});
