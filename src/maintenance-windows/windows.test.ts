import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemorySignals } from '../../test/support/alerts/memory-signals.js';
import { createAlertRunner } from '../alerts/runner.js';
import { stackSchema } from '../config/schema.js';
import { openIncident, syncAlerts } from '../incidents/index.js';
import { openStore, type Store } from '../store/index.js';
import { activeWindows, endWindow, recordWindowsInTimeline, startWindow } from './index.js';

// Sunday 2030-01-06 02:50 UTC; the scheduled window is Sundays 03:00 for an hour.
const T0 = Date.parse('2030-01-06T02:50:00.000Z');
const config = (windows: unknown[] = []) =>
  stackSchema.parse({
    name: 'shop',
    services: { api: { kind: 'web' }, web: { kind: 'web' } },
    channels: { team: { type: 'console' } },
    alerts: [{ id: 'down', when: 'down', severity: 'P1' }],
    incidents: { severities: { P1: { name: 'Critical' } } },
    maintenanceWindows: windows,
  });

describe('maintenance windows', () => {
  let cwd: string;
  let store: Store;
  let now: number;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-windows-'));
    now = T0;
    store = await openStore({ cwd, env: {}, now: () => new Date(now) });
  });
  afterEach(async () => {
    await store.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const runnerFor = (c: ReturnType<typeof config>) => {
    const signals = createMemorySignals();
    const runner = createAlertRunner({
      store,
      config: c,
      environment: 'production',
      signals,
      now: () => now,
      timing: { groupWaitMs: 0, groupIntervalMs: 0 },
    });
    const down = () => {
      for (const service of ['api', 'web'])
        signals.record(service, 'deep', { at: now, outcome: 'down', latencyMs: 0 });
    };
    return { runner, down };
  };

  it('silences a scheduled window’s alerts while it is open; still down after it, the alert fires then', async () => {
    const c = config([
      { id: 'sunday-db', services: ['api'], every: '0 3 * * 0', duration: '1h', reason: 'database upgrade' },
    ]);
    const { runner, down } = runnerFor(c);
    const incidents = { config: c, store, now: () => now };

    // Before the window nothing is silenced.
    expect(await activeWindows({ config: c, store, now: () => new Date(now) }, 'production')).toEqual([]);
    // Inside it (03:10) both go down: web notifies, api fires muted by the window and opens no incident.
    now = Date.parse('2030-01-06T03:10:00.000Z');
    down();
    const during = await runner.evaluate();
    expect(during.notifications.map((n) => n.service)).toEqual(['web']);
    expect(during.alerts.find((a) => a.service === 'api')).toMatchObject({
      status: 'firing',
      mutedBy: { silence: 'maintenance:sunday-db' },
    });
    now += 20 * 60e3;
    down();
    expect((await runner.evaluate()).notifications).toEqual([]);
    await syncAlerts(incidents, 'production');
    const open = () => store.incidents.listIncidents({ environment: 'production', open: true });
    expect((await open()).map((i) => i.services)).toEqual([['web']]);

    // The window ends at 04:00 with api still down: it notifies and opens its incident.
    now = Date.parse('2030-01-06T04:00:30.000Z');
    down();
    const after = await runner.evaluate();
    expect(after.notifications.map((n) => n.service)).toEqual(['api']);
    expect(after.alerts.find((a) => a.service === 'api')?.mutedBy).toBeUndefined();
    await syncAlerts(incidents, 'production');
    expect((await open()).map((i) => i.services).sort()).toEqual([['api'], ['web']]);
  });

  it('records a window started and ended by hand in the timeline of the open incidents of its services', async () => {
    const c = config();
    const wctx = { config: c, store, now: () => new Date(now) };
    const { incident } = await openIncident(
      { config: c, store, now: () => now },
      { environment: 'production', title: 'api slow', severity: 'P1', services: ['api'], actor: 'ann' },
    );
    const { incident: other } = await openIncident(
      { config: c, store, now: () => now },
      {
        environment: 'production',
        title: 'web broken',
        severity: 'P1',
        services: ['web'],
        actor: 'ann',
        dedupKey: 'web',
      },
    );
    now += 60e3;
    const w = await startWindow(wctx, {
      services: ['api'],
      environment: 'production',
      duration: '2h',
      reason: 'failover test',
      actor: 'bob',
    });
    expect(await recordWindowsInTimeline(wctx, 'production')).toBe(1);
    // Each pass writes it once.
    expect(await recordWindowsInTimeline(wctx, 'production')).toBe(0);
    now += 30 * 60e3;
    await endWindow(wctx, 'production');
    expect(await recordWindowsInTimeline(wctx, 'production')).toBe(1);
    const entries = (await store.incidents.listTimeline(incident.id)).filter((e) => e.kind === 'maintenance');
    expect(entries.map((e) => [e.at, e.actor, e.message])).toEqual([
      [
        new Date(T0 + 60e3).toISOString(),
        'bob',
        `Maintenance window ${w.id} (failover test) for api started; its alerts are silenced until ${new Date(T0 + 60e3 + 2 * 3600e3).toISOString()}`,
      ],
      [
        new Date(T0 + 31 * 60e3).toISOString(),
        null,
        `Maintenance window ${w.id} (failover test) for api ended; its alerts notify again`,
      ],
    ]);
    expect((await store.incidents.listTimeline(other.id)).filter((e) => e.kind === 'maintenance')).toEqual(
      [],
    );
    expect(await activeWindows(wctx, 'production')).toEqual([]);
  });

  it('refuses unknown services, a missing duration or one past a week, and ending what is not open', async () => {
    const c = config();
    const wctx = { config: c, store, now: () => new Date(now) };
    const start = (services: string[], duration: string) =>
      startWindow(wctx, { services, environment: 'production', duration, actor: null });
    await expect(start(['apii'], '1h')).rejects.toThrow("'apii' is not a service of this stack");
    await expect(start([], '1h')).rejects.toThrow('which components');
    await expect(start(['api'], 'soon')).rejects.toThrow("'soon' is not a duration");
    await expect(start(['api'], '8d')).rejects.toThrow('at most 7d');
    await expect(start(['api'], '0m')).rejects.toThrow('a maintenance window of 0m would end as it starts');
    await expect(endWindow(wctx, 'production')).rejects.toThrow(
      'no maintenance window is open in production',
    );
    await start(['api'], '1h');
    await start(['web'], '1h');
    await expect(endWindow(wctx, 'production')).rejects.toThrow(
      '2 maintenance windows are open in production: which one?',
    );
    // Windows are per environment.
    expect(await activeWindows(wctx, 'staging')).toEqual([]);
  });

  it('keeps an escape sequence pasted into the reason as \\xNN: others see the reason later', async () => {
    const wctx = { config: config(), store, now: () => new Date(now) };
    const pasted = await startWindow(wctx, {
      services: ['api'],
      environment: 'production',
      duration: '1h',
      reason: ' db upgrade \x1b]0;owned\x07 ',
      actor: null,
    });
    expect(pasted.reason).toBe('db upgrade \\x1b]0;owned\\x07');
    expect((await activeWindows(wctx, 'production'))[0]?.reason).toBe('db upgrade \\x1b]0;owned\\x07');
  });
});
