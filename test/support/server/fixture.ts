// The shop stack with 90 days of history for every monitor: the shared fixture of the route tests.
import type { StackConfig } from '../../../src/config/index.js';
import type { ServerContext } from '../../../src/server/context.js';
import { createLagTracker } from '../../../src/server/lag.js';
import type { MonitorDefinition, NewSample, SampleOutcome } from '../../../src/store/index.js';
import { monitor, openTempStore, type SeededStore, seedHistory, setCurrent, shopConfig } from './seed.js';

export const NOW = Date.parse('2026-03-15T12:00:00.000Z');

export const MONITORS = {
  live: monitor('api', 'liveness'),
  ready: monitor('api', 'readiness'),
  ping: monitor('web', 'ping'),
  db: monitor('db', 'postgres', 'postgres://app@db.example.test:5432/shop (from DATABASE_URL)'),
} satisfies Record<string, MonitorDefinition>;

export interface Fixture extends SeededStore {
  samples: Record<keyof typeof MONITORS, NewSample[]>;
  ctx(config?: StackConfig, now?: number): ServerContext;
  /** Sets each named monitor's newest result at NOW - 10 s; the others stay as they were. */
  current(outcomes: Partial<Record<keyof typeof MONITORS, SampleOutcome>>, message?: string): Promise<void>;
}

export const latencyOf = (i: number) => 100 + i * 10;

export async function createFixture(): Promise<Fixture> {
  const seeded = await openTempStore();
  const { store } = seeded;
  await store.monitoring.syncMonitors('production', Object.values(MONITORS));
  const perDay = 24;
  const base = { now: NOW - 60_000, perDay, latencyMs: latencyOf };
  const samples = {
    // Day 10 back: a quarter of the liveness checks failed.
    live: await seedHistory(store, MONITORS.live, {
      ...base,
      days: 90,
      outcome: (d, i) => (d === 10 && i < 6 ? 'down' : 'up'),
    }),
    ready: await seedHistory(store, MONITORS.ready, { ...base, days: 90, outcome: () => 'up' }),
    // The static site has only 30 days of history; 3 days back half its checks were degraded.
    ping: await seedHistory(store, MONITORS.ping, {
      ...base,
      days: 30,
      outcome: (d, i) => (d === 3 && i % 2 ? 'degraded' : 'up'),
    }),
    db: await seedHistory(store, MONITORS.db, { ...base, days: 90, outcome: () => 'up' }),
  };
  const lag = createLagTracker();
  return {
    ...seeded,
    samples,
    ctx: (config = shopConfig(), now = NOW) => ({
      store,
      config,
      environment: 'production',
      redactor: seeded.redactor,
      now: () => now,
      lag,
    }),
    async current(outcomes, message) {
      for (const [name, outcome] of Object.entries(outcomes))
        await setCurrent(
          store,
          MONITORS[name as keyof typeof MONITORS],
          NOW - 10_000,
          outcome!,
          outcome === 'up' ? undefined : message,
        );
    },
  };
}
