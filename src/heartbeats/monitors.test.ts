// The passive heartbeat monitor: what it says when no ping can reach it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { stackSchema } from '../config/schema.js';
import { openStore, type Store } from '../store/index.js';
import { passiveMonitors } from './monitors.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opsbook-hb-monitor-'));
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

describe('heartbeat monitor', () => {
  const check = (env: Record<string, string | undefined>) => {
    const [monitor] = passiveMonitors({ config, environment: 'production', store, now: () => 0 });
    return monitor!.check({ env, signal: new AbortController().signal });
  };

  it('is down at once, naming the variable, when its token is not set: no ping could ever reach it', async () => {
    const r = await check({});
    expect(r.outcome).toBe('down');
    expect(r.failures[0]).toMatch(/HB_TOKEN is not set where opsbook serve runs/);
  });

  it('waits for the first ping when its token is set', async () => {
    const r = await check({ HB_TOKEN: 'hb-secret-4c1d9e' });
    expect(r.outcome).toBe('up');
  });
});
