// A store seeded with monitors, 90 days of history and a current result per monitor, for route tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackConfig } from '../../../src/config/index.js';
import { stackSchema } from '../../../src/config/schema.js';
import { createRedactor, type Redactor } from '../../../src/redact/index.js';
import {
  type MonitorDefinition,
  type NewSample,
  openStore,
  type SampleOutcome,
  type Store,
} from '../../../src/store/index.js';

export const DAY = 86_400_000;

export interface SeededStore {
  store: Store;
  cwd: string;
  redactor: Redactor;
  close(): Promise<void>;
}

export async function openTempStore(secrets: string[] = []): Promise<SeededStore> {
  const cwd = await mkdtemp(join(tmpdir(), 'opsbook-server-'));
  const redactor = createRedactor(secrets);
  const store = await openStore({ cwd, env: {}, redactor });
  return {
    store,
    cwd,
    redactor,
    close: async () => {
      await store.close();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

/** api (web) depends on db; web (static); worker; db (database). */
export function shopConfig(extra: Record<string, unknown> = {}): StackConfig {
  return stackSchema.parse({
    name: 'shop',
    monitoring: { interval: '1m' },
    services: {
      api: {
        kind: 'web',
        urls: { production: 'https://api.example.test' },
        dependsOn: ['db'],
        health: [
          { type: 'liveness', path: '/live' },
          { type: 'readiness', path: '/ready' },
        ],
      },
      web: {
        kind: 'static',
        urls: { production: 'https://www.example.test' },
        health: [{ type: 'ping', path: '/' }],
      },
      worker: { kind: 'worker' },
      db: { kind: 'database' },
    },
    ...extra,
  });
}

export const monitor = (
  service: string,
  name: string,
  target = `GET https://${service}.example.test/${name}`,
): MonitorDefinition => ({
  id: `production:${service}:${name}`,
  environment: 'production',
  service,
  name,
  kind: name === 'postgres' ? 'postgres' : 'http',
  target,
  intervalMs: 60_000,
  timeoutMs: 5_000,
  retries: 0,
});

/** `perDay` checks a day for `days` days back from `now`, each outcome chosen by `outcome(daysAgo, i)`. */
export async function seedHistory(
  store: Store,
  m: MonitorDefinition,
  options: {
    now: number;
    days: number;
    perDay: number;
    latencyMs: (i: number) => number;
    outcome: (daysAgo: number, i: number) => SampleOutcome;
  },
): Promise<NewSample[]> {
  const samples: NewSample[] = [];
  for (let daysAgo = options.days - 1; daysAgo >= 0; daysAgo--) {
    const dayStart = Math.floor(options.now / DAY) * DAY - daysAgo * DAY;
    const span = daysAgo === 0 ? options.now - dayStart : DAY;
    for (let i = 0; i < options.perDay; i++) {
      const outcome = options.outcome(daysAgo, i);
      samples.push({
        monitorId: m.id,
        environment: m.environment,
        service: m.service,
        at: dayStart + Math.floor((span * i) / options.perDay),
        outcome,
        latencyMs: options.latencyMs(i),
        ...(outcome === 'down' ? { status: 503 } : {}),
      });
    }
  }
  await store.monitoring.recordSamples(samples);
  return samples;
}

/** Completes one check at `at`: the monitor's newest sample and its last result in the schedule. */
export async function setCurrent(
  store: Store,
  m: MonitorDefinition,
  at: number,
  outcome: SampleOutcome,
  message?: string,
): Promise<void> {
  const claimed = await store.monitoring.claimDue({
    owner: 'seed',
    environment: m.environment,
    horizon: at + 365 * DAY,
    limit: 1_000,
    now: at,
  });
  await store.monitoring.completeChecks(
    'seed',
    claimed.map((c) =>
      c.monitorId === m.id
        ? {
            monitorId: c.monitorId,
            nextDueAt: c.dueAt,
            sample: {
              monitorId: m.id,
              environment: m.environment,
              service: m.service,
              at,
              outcome,
              latencyMs: 42,
              ...(message ? { message } : {}),
            },
          }
        : { monitorId: c.monitorId, nextDueAt: c.dueAt },
    ),
  );
}
