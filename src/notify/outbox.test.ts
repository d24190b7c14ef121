import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpReceiver, startHttpReceiver } from '../../test/support/notify/receivers.js';
import type { Channel } from '../config/index.js';
import { createRedactor } from '../redact/index.js';
import { openStore, type Store } from '../store/index.js';
import { deliverOutbox } from './outbox.js';
import type { ChannelContext, Notification } from './types.js';

let cwd: string;
let store: Store;
let hook: HttpReceiver;
let clock: number;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'opsbook-outbox-'));
  clock = Date.parse('2030-01-01T00:00:00.000Z');
  store = await openStore({ cwd, env: {}, now: () => new Date(clock) });
  hook = await startHttpReceiver();
});
afterEach(async () => {
  await hook.close();
  await store.close();
  await rm(cwd, { recursive: true, force: true });
});

const ctx: ChannelContext = {
  fetch,
  env: {},
  signal: new AbortController().signal,
  redactor: createRedactor(),
  sleep: async () => {},
  print: () => {},
};

const payload: Notification = {
  event: 'alert.firing',
  title: '[FIRING] api-down on api',
  text: 'api down',
  severity: 'critical',
  at: '2030-01-01T00:00:00.000Z',
};

const channels = (): Record<string, Channel> => ({ hook: { type: 'webhook', url: `${hook.url}/in` } });
const deliver = (over: Partial<Parameters<typeof deliverOutbox>[0]> = {}) =>
  deliverOutbox({
    outbox: store.alerting,
    channels: channels(),
    ctx,
    holder: 'test',
    now: () => clock,
    ...over,
  });

const enqueue = (key: string, channel = 'hook') =>
  store.alerting.enqueueNotifications([
    { dedupKey: key, environment: 'production', channel, payload: payload as never },
  ]);

describe('deliverOutbox', () => {
  it('sends each row once and marks it sent, with the dedup key as delivery id', async () => {
    await enqueue('k1');
    await enqueue('k1');
    expect(await deliver()).toEqual({ sent: 1, retrying: 0, failed: 0, lost: 0, dropped: 0 });
    expect(await deliver()).toEqual({ sent: 0, retrying: 0, failed: 0, lost: 0, dropped: 0 });
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.headers['x-opsbook-delivery']).toBe('k1');
    expect((await store.alerting.listNotifications())[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('tells the caller of each failed send, its channel, key, error and whether it is retried', async () => {
    await enqueue('k1');
    hook.statuses.push(503);
    const failures: unknown[] = [];
    await deliver({ onFailure: (f) => failures.push(f) });
    expect(failures).toEqual([
      {
        channel: 'hook',
        dedupKey: 'k1',
        error: expect.stringContaining('503'),
        retryAt: '2030-01-01T00:00:30.000Z',
      },
    ]);
    await enqueue('k2', 'gone');
    await deliver({ onFailure: (f) => failures.push(f) });
    expect(failures[1]).toEqual({
      channel: 'gone',
      dedupKey: 'k2',
      error: "channel 'gone' is no longer configured",
    });
  });

  it('retries a server error after the backoff and not before', async () => {
    await enqueue('k1');
    hook.statuses.push(503);
    expect(await deliver()).toMatchObject({ retrying: 1 });
    clock += 29_000;
    expect(await deliver()).toMatchObject({ sent: 0 });
    clock += 1_000;
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(hook.received).toHaveLength(2);
    const [row] = await store.alerting.listNotifications();
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('gives up after maxAttempts, and at once on a client error or a removed channel', async () => {
    await enqueue('flaky');
    hook.statuses.push(500, 500);
    await deliver({ maxAttempts: 2, backoffMs: () => 0 });
    expect(await deliver({ maxAttempts: 2, backoffMs: () => 0 })).toMatchObject({ failed: 1 });
    await enqueue('rejected');
    hook.statuses.push(410);
    expect(await deliver()).toMatchObject({ failed: 1 });
    await enqueue('orphan', 'gone');
    expect(await deliver()).toMatchObject({ failed: 1 });
    const failed = await store.alerting.listNotifications({ status: 'failed' });
    expect(failed.map((r) => r.dedupKey).sort()).toEqual(['flaky', 'orphan', 'rejected']);
    expect(failed.find((r) => r.dedupKey === 'orphan')?.lastError).toContain('no longer configured');
  });

  it('redelivers a row whose sender crashed before marking it, once its lease runs out', async () => {
    await enqueue('k1');
    // A sender leases the row and dies without marking it.
    await store.alerting.leaseNotifications({ holder: 'crashed', leaseMs: 60_000 });
    expect(await deliver()).toMatchObject({ sent: 0 });
    clock += 60_000;
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(hook.received).toHaveLength(1);
  });
});
