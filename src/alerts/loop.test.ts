import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemorySignals } from '../../test/support/alerts/memory-signals.js';
import { manualClock } from '../../test/support/clock.js';
import { waitFor } from '../../test/support/wait-for.js';
import { stackSchema } from '../config/schema.js';
import { createRedactor } from '../redact/index.js';
import { openStore } from '../store/index.js';
import { startAlertLoop } from './loop.js';

describe('startAlertLoop', () => {
  it('evaluates when poked, delivers what fires, and releases its lock when stopped', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-alert-loop-'));
    const store = await openStore({ cwd, env: {} });
    const printed: string[] = [];
    const controller = new AbortController();
    const signals = createMemorySignals();
    const evaluations: number[] = [];
    let firstPoke: (() => void) | undefined;
    const firstDone = new Promise<void>((resolve) => (firstPoke = resolve));
    let delivered: (() => void) | undefined;
    const sent = new Promise<void>((resolve) => (delivered = resolve));
    try {
      const loop = startAlertLoop({
        store,
        config: stackSchema.parse({
          name: 'shop',
          services: { api: { kind: 'web' } },
          channels: { console: { type: 'console' } },
          alerts: [{ id: 'api-down', service: 'api', when: 'down' }],
        }),
        environment: 'production',
        signals,
        holder: 'loop-test',
        timing: { groupWaitMs: 0, groupIntervalMs: 0 },
        // Long enough that only pokes make it evaluate again within the test.
        intervalMs: 60_000,
        channels: { console: { type: 'console' } },
        ctx: {
          fetch,
          env: {},
          signal: controller.signal,
          redactor: createRedactor(),
          sleep: async () => {},
          print: (line) => printed.push(line),
        },
        onEvaluated: (summary, delivery) => {
          evaluations.push(summary.alerts.length);
          if (evaluations.length === 1) firstPoke?.();
          if (delivery.sent) delivered?.();
        },
      });
      await firstDone;
      expect(printed).toEqual([]);
      signals.record('api', 'deep', { at: Date.now(), outcome: 'down', latencyMs: 0, reason: 'HTTP 503' });
      loop.poke();
      await sent;
      expect(printed).toEqual([expect.stringContaining('[FIRING] api-down on api (production)')]);
      controller.abort();
      await loop.stopped;
      expect(await store.getLock('alerts:production')).toBeUndefined();
    } finally {
      controller.abort();
      await store.close();
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('evaluates again once its interval has passed on its clock, not before, and leaves no timer when stopped', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'opsbook-alert-loop-'));
    const store = await openStore({ cwd, env: {} });
    const controller = new AbortController();
    const clock = manualClock(Date.parse('2026-12-04T12:00:00Z'));
    const evaluatedAt: number[] = [];
    try {
      const loop = startAlertLoop({
        store,
        config: stackSchema.parse({ name: 'shop', services: { api: { kind: 'web' } } }),
        environment: 'production',
        signals: createMemorySignals(),
        holder: 'loop-test',
        intervalMs: 15_000,
        clock,
        channels: {},
        ctx: {
          fetch,
          env: {},
          signal: controller.signal,
          redactor: createRedactor(),
          sleep: async () => {},
          print: () => {},
        },
        onEvaluated: () => evaluatedAt.push(clock.now()),
      });
      // The store is real: its reads may take a moment of wall time; the test's clock does not move meanwhile.
      const rounds = (n: number) => waitFor(`${n} evaluations`, () => evaluatedAt.length >= n);
      await rounds(1);
      await clock.advance(14_999);
      expect(evaluatedAt).toHaveLength(1);
      await clock.advance(1);
      await rounds(2);
      await clock.advance(15_000);
      await rounds(3);
      await clock.advance(15_000);
      await rounds(4);
      expect(evaluatedAt.map((t) => (t - evaluatedAt[0]!) / 1000)).toEqual([0, 15, 30, 45]);
      controller.abort();
      await loop.stopped;
      expect(clock.pending()).toBe(0);
    } finally {
      controller.abort();
      await store.close();
      await rm(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
