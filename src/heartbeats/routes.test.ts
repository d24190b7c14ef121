// /ping/<token>, /start and /fail: what each records, the rate limit, and that the token is never stored or echoed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { heartbeatVerdict } from './evaluate.js';
import { createPingRoutes } from './routes.js';
import { readHeartbeat } from './state.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opsbook-ping-'));
  store = await openStore({ cwd: dir, env: {} });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const config = stackSchema.parse(
  parse(`name: shop
services:
  worker: { kind: worker }
heartbeats:
  - { id: nightly, service: worker, token: { env: HB_TOKEN }, period: 1h, grace: 5m }
`),
);
const TOKEN = 'hb-secret-4c1d9e';

describe('ping routes', () => {
  it('records start, ok and fail pings; a fail ping is down at once and the next ok ping is up again', async () => {
    let clock = Date.parse('2026-12-04T10:00:00Z');
    const app = createPingRoutes({
      store,
      config,
      environment: 'production',
      env: { HB_TOKEN: TOKEN },
      now: () => clock,
    });
    expect((await app.request(`/${TOKEN}/start`, { method: 'POST' })).status).toBe(200);
    expect((await readHeartbeat(store, 'production', 'nightly', new Date(clock))).startedAt).toBe(
      '2026-12-04T10:00:00.000Z',
    );
    clock += 60_000;
    expect(await (await app.request(`/${TOKEN}/fail`)).json()).toEqual({
      ok: true,
      heartbeat: 'nightly',
      ping: 'fail',
    });
    const failed = await readHeartbeat(store, 'production', 'nightly', new Date(clock));
    expect(heartbeatVerdict(failed, 3600e3, 300e3, new Date(clock)).outcome).toBe('down');
    clock += 60_000;
    await app.request(`/${TOKEN}`);
    const ok = await readHeartbeat(store, 'production', 'nightly', new Date(clock));
    expect(ok).toMatchObject({ lastKind: 'ok', lastPingAt: '2026-12-04T10:02:00.000Z' });
    expect(heartbeatVerdict(ok, 3600e3, 300e3, new Date(clock)).outcome).toBe('up');
    // Only the state is stored, never the token.
    expect(JSON.stringify(await store.getCache('heartbeat:production:nightly'))).not.toContain(TOKEN);
  });

  it('takes a ping URL written with a trailing slash, as cron lines often have it', async () => {
    const app = createPingRoutes({ store, config, environment: 'production', env: { HB_TOKEN: TOKEN } });
    expect(await (await app.request(`/${TOKEN}/`)).json()).toMatchObject({ ok: true, ping: 'ok' });
    expect(await (await app.request(`/${TOKEN}/fail/`)).json()).toMatchObject({ ok: true, ping: 'fail' });
  });

  it('answers an unknown token with 404 without saying more, and rate-limits a client past 60 a minute', async () => {
    const clock = Date.parse('2026-12-04T10:00:00Z');
    const app = createPingRoutes({
      store,
      config,
      environment: 'production',
      env: { HB_TOKEN: TOKEN },
      now: () => clock,
      limitPerMinute: 5,
    });
    const wrong = await app.request('/not-the-token');
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).not.toContain(TOKEN);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await app.request(`/${TOKEN}`)).status);
    // The 404 above counted too: guessing tokens is what the limit stops.
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
