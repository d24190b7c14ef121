import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.js';
import { createMonitorHistory, rankOf } from './monitor-history.js';

describe('rankOf', () => {
  it('finds how many sorted values are at most the threshold, probing a few ranks at a time', async () => {
    const values = Array.from({ length: 100_000 }, (_, i) => i / 10);
    let queries = 0;
    const valuesAt = async (ranks: number[]) => {
      queries++;
      return ranks.map((r) => values[r]!);
    };
    expect(await rankOf(1234.5, values.length, valuesAt)).toBe(12346);
    expect(queries).toBeLessThanOrEqual(4);
    expect(await rankOf(-1, values.length, valuesAt)).toBe(0);
    expect(await rankOf(1e9, values.length, valuesAt)).toBe(100_000);
    expect(await rankOf(5, 0, valuesAt)).toBe(0);
  });
});

describe('createMonitorHistory over store.monitoring', () => {
  const MIN = 60_000;
  const NOW = Date.parse('2030-01-02T00:00:00.000Z');
  let cwd: string;
  let store: Store;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-slo-history-'));
    store = await openStore({ cwd, env: {}, now: () => new Date(NOW) });
    // A check every minute for 6 hours: every 10th one down, latency 10..359 ms by minute.
    const samples = Array.from({ length: 360 }, (_, i) => ({
      monitorId: 'production:api:deep',
      environment: 'production',
      service: 'api',
      at: NOW - (359 - i) * MIN,
      outcome: i % 10 === 0 ? ('down' as const) : ('up' as const),
      latencyMs: 10 + i,
    }));
    await store.monitoring.recordSamples(samples);
  });
  afterAll(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('counts checks in (from, to], including one made at `to`', async () => {
    const history = createMonitorHistory(store.monitoring, 'production');
    const last = await history.window('api', NOW - 60 * MIN, NOW);
    expect(last).toMatchObject({ total: 60, failed: 6 });
    const all = await history.window('api', NOW - 6 * 60 * MIN, NOW);
    expect(all).toMatchObject({ total: 360, failed: 36 });
    expect(all.latency.count).toBe(324);
  });

  it('reads latency quantiles and the count under a threshold from the sketches, within 1%', async () => {
    const w = await createMonitorHistory(store.monitoring, 'production').window('api', NOW - 360 * MIN, NOW);
    const p50 = (await w.latency.quantile(0.5))!;
    expect(Math.abs(p50 - 190) / 190).toBeLessThan(0.02);
    // Latencies up to 99 ms: checks 0..89, minus the 9 of them that were down.
    const under100 = await w.latency.countAtMost(99.5);
    expect(Math.abs(under100 - 81)).toBeLessThanOrEqual(1);
  });

  it('is empty for a service without checks', async () => {
    const w = await createMonitorHistory(store.monitoring, 'production').window('web', NOW - 60 * MIN, NOW);
    expect(w).toMatchObject({ total: 0, failed: 0 });
    expect(await w.latency.quantile(0.95)).toBeUndefined();
    expect(await w.latency.countAtMost(100)).toBe(0);
  });
});
