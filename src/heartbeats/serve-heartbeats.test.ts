// Heartbeats and the backup dead-man's switch inside `opsbook serve`, through the normal alert rules and channels.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { waitFor } from '../../test/support/wait-for.js';
import { serve } from '../app/serve.js';
import { stackSchema } from '../config/schema.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-heartbeat-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const config = () =>
  stackSchema.parse(
    parse(`name: shop
monitoring: { interval: 300ms }
services:
  worker: { kind: worker }
  db: { kind: database }
channels:
  ops: { type: console }
alerts:
  - { id: worker-down, service: worker, when: down, channels: [ops], repeatInterval: 1d }
  - { id: db-down, service: db, when: down, channels: [ops], repeatInterval: 1d }
heartbeats:
  - { id: nightly-report, service: worker, token: { env: HB_TOKEN }, period: 1m, grace: 1m }
backups:
  - id: nightly
    database: db
    urlEnv: APP_DATABASE_URL
    schedule: '0 2 * * *'
    window: 1h
    destination: { type: local, path: backups }
`),
  );

describe('heartbeats and the dead-man switch in serve', () => {
  it('fires once for a missed ping and once for a failed scheduled backup, and resolves the heartbeat on a ping', async () => {
    // A clock the test moves: 01:59, before the 02:00 backup.
    let clock = Date.parse('2026-12-04T01:59:00Z');
    const lines: string[] = [];
    // Alert evaluations done so far: "several rounds later" is counted, not timed.
    let alertRounds = 0;
    const moreAlertRounds = (n: number) => {
      const target = alertRounds + n;
      return waitFor(`${n} more alert evaluations`, () => alertRounds >= target);
    };
    const handle = await serve({
      cwd,
      config: config(),
      // Port 9 refuses at once: the scheduled backup fails.
      env: {
        HB_TOKEN: 'hb-token-7f3a9c',
        APP_DATABASE_URL: 'postgres://app@127.0.0.1:9/app',
        PATH: process.env.PATH,
      },
      port: 0,
      print: (line) => lines.push(line),
      log: (level, m) => lines.push(`LOG ${level} ${m}`),
      timing: {
        engine: { pollMs: 50 },
        alertIntervalMs: 100,
        alertGroup: { groupWaitMs: 0, groupIntervalMs: 200 },
        jobs: { tickMs: 100, now: () => clock, since: clock },
        onRound: (loop) => {
          if (loop === 'alerts') alertRounds++;
        },
      },
    });
    try {
      expect((await fetch(`${handle.url}/ping/wrong-token`)).status).toBe(404);
      clock = Date.parse('2026-12-04T02:01:00Z');
      // The 02:00 backup runs (and fails); nothing is late yet.
      const ran = () =>
        lines.filter((l) => l.includes('scheduled backup:nightly (2026-12-04T02:00:00.000Z)'));
      await waitFor('the 02:00 backup to run', () => ran().length > 0);
      // Several engine and alert rounds at 02:01 (ten evaluations, the engine checking every 300 ms meanwhile):
      // none of them may call anything late.
      await moreAlertRounds(10);
      const alerts = () => lines.filter((l) => !l.startsWith('LOG'));
      expect(alerts()).toEqual([]);
      expect(ran()).toHaveLength(1);
      // 03:05: the heartbeat has been silent for over 2 min, and the 02:00 backup did not succeed by 03:00.
      clock = Date.parse('2026-12-04T03:05:00Z');
      await waitFor(
        'both alerts',
        () => lines.some((l) => l.includes('worker-down')) && lines.some((l) => l.includes('db-down')),
      );
      // More rounds: each alert is sent once, not again at every evaluation.
      await moreAlertRounds(15);
      const firing = (id: string) => alerts().filter((l) => l.includes(id) && !/resolved/i.test(l));
      expect(firing('worker-down')).toHaveLength(1);
      expect(firing('db-down')).toHaveLength(1);
      expect(firing('db-down')[0]).toMatch(
        /backup nightly scheduled 2026-12-04T02:00:00.000Z did not succeed within 1.0 h/,
      );

      const ping = await fetch(`${handle.url}/ping/hb-token-7f3a9c`, { method: 'POST' });
      expect(await ping.json()).toEqual({ ok: true, heartbeat: 'nightly-report', ping: 'ok' });
      await waitFor('the heartbeat alert to resolve', () =>
        lines.some((l) => l.includes('worker-down') && /resolved/i.test(l)),
      );
      expect(lines.join('\n')).not.toContain('hb-token-7f3a9c');
      // One run per occurrence, however many ticks saw it due.
      expect(lines.filter((l) => l.includes('scheduled backup:nightly'))).toHaveLength(1);
    } finally {
      await handle.close();
    }
  }, 180_000);
});
