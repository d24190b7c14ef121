// Team mode on the real PostgreSQL: two `serve` processes share the escalations; the one escalating is
// SIGKILLed between steps, the other carries on, and every step reaches its receiver exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startServer, type TestServer } from '../../test/support/http-server.js';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../../test/support/pg.js';
import { waitForValue } from '../../test/support/wait-for.js';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { openIncident } from './actions.js';

const available = await pgAvailable();
if (!available)
  markPgSkipped('src/incidents/team.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

const yaml = (hook: string) => `name: team
services:
  api: { kind: web }
channels:
  hook: { type: webhook, url: "${hook}" }
incidents:
  severities:
    P1: { name: Critical, respondWithin: 1h }
  contacts:
    ana: { name: Ana, channel: hook }
    ben: { name: Ben, channel: hook }
    cat: { name: Cat, channel: hook }
  escalation:
    - { level: 1, after: 0s, notify: [ana] }
    - { level: 2, after: 5s, notify: [ben] }
    - { level: 3, after: 15s, notify: [cat] }
`;

interface Instance {
  child: ChildProcess;
  id: Promise<string>;
  /** Passes of its incident loop so far. */
  passes: () => number;
}

function startInstance(url: string, config: string): Instance {
  const script = new URL('../../test/support/incidents/serve-child.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const id = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited early (${code})`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
  });
  return { child, id, passes: () => out.match(/^incident pass$/gm)?.length ?? 0 };
}

describe.skipIf(!available)('incident escalation in team mode on PostgreSQL', () => {
  const database = uniquePgName('opsbook_incident_team');
  const admin = () => new pg.Client({ connectionString: pgUrl() });
  const url = () => {
    const u = new URL(pgUrl());
    u.pathname = `/${database}`;
    return u.toString();
  };
  const received: { delivery: string; to: string; at: number }[] = [];
  let hook: TestServer;
  let store: Store;
  const instances: Instance[] = [];

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE "${database}"`);
    await client.end();
    hook = await startServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push({
          delivery: String(req.headers['x-opsbook-delivery']),
          to: String(JSON.parse(body).title),
          at: Date.now(),
        });
        res.end('ok');
      });
    });
    store = await openStore({ cwd: process.cwd(), env: { OPSBOOK_DATABASE_URL: url() } });
  }, 30_000);
  afterAll(async () => {
    const running = instances.filter((i) => i.child.exitCode === null && i.child.signalCode === null);
    await Promise.all(
      running.map((i) => {
        const exited = new Promise((r) => i.child.once('exit', r));
        i.child.kill('SIGKILL');
        return exited;
      }),
    );
    await store?.close();
    await hook?.close();
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.end();
  });

  it('sends each step exactly once when the escalating instance is killed mid-escalation', async () => {
    const config = yaml(`${hook.url}/hook`);
    instances.push(startInstance(url(), config), startInstance(url(), config));
    const ids = await Promise.all(instances.map((i) => i.id));
    const { incident } = await openIncident(
      { store, config: stackSchema.parse(parse(config)) },
      { environment: 'production', title: 'API down', severity: 'P1', actor: 'test' },
    );
    await waitForValue('step 1', async () => (received.length >= 1 ? true : undefined));
    // Kill once every send so far is marked sent (a crash between a send and its mark is the outbox's one
    // known repeat, not what this test is about), however long a loaded machine takes to get there.
    await waitForValue('the sends so far to be marked sent', async () => {
      const rows = await store.alerting.listNotifications({ environment: 'production' });
      return rows.length >= 1 && rows.every((r) => r.status === 'sent') ? true : undefined;
    });
    // Step 3 is 15 s away: the kill lands mid-escalation unless this machine stalled for that long.
    expect(received.length).toBeLessThan(3);
    const holder = (await store.getLock('incidents:production'))?.holder;
    const victim = ids.indexOf(holder ?? '');
    expect(victim).toBeGreaterThanOrEqual(0);
    instances[victim]!.child.kill('SIGKILL');

    await waitForValue('step 3', async () => (received.length >= 3 ? true : undefined), {
      timeoutMs: 60_000,
    });
    // Several passes of the survivor later, nobody was notified twice.
    const survivorPasses = instances[1 - victim]!.passes();
    await waitForValue('five more passes of the survivor', async () =>
      instances[1 - victim]!.passes() >= survivorPasses + 5 ? true : undefined,
    );
    expect(received.map((r) => r.delivery).sort()).toEqual(
      ['ana', 'ben', 'cat'].map((c, i) => `incident/${incident.id}/c0/l0/s${i}/${c}/hook`).sort(),
    );
    const survivor = (await store.getLock('incidents:production'))?.holder;
    expect(survivor).toBe(ids[1 - victim]);
    const notified = (await store.incidents.listTimeline(incident.id)).filter((e) => e.kind === 'notify');
    expect(notified.map((e) => e.message)).toEqual([
      expect.stringContaining('notified Ana'),
      expect.stringContaining('notified Ben'),
      expect.stringContaining('notified Cat'),
    ]);
  }, 120_000);
});
