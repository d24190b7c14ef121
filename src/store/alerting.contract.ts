// The behaviour suite of `store.alerting`; alerting-sqlite.test.ts and alerting-postgres.test.ts register it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor, type Redactor } from '../redact/index.js';
import type { NewOutboxNotification, Store, StoreBackend } from './index.js';

export interface AlertingContractTarget {
  /** Opens one more store (its own connection) on this target's database. */
  open(options: { redactor?: Redactor; now: () => Date }): Promise<Store>;
  dispose(): Promise<void>;
}

function createClock(start = '2030-01-01T00:00:00.000Z') {
  let ms = Date.parse(start);
  return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
}

const note = (key: string, channel = 'team'): NewOutboxNotification => ({
  dedupKey: `${key}/${channel}`,
  environment: 'production',
  channel,
  payload: { title: key },
});

export function describeAlertingContract(
  backend: StoreBackend,
  createTarget: () => Promise<AlertingContractTarget>,
  options: { skip?: string } = {},
): void {
  describe.skipIf(Boolean(options.skip))(`alerting store contract: ${backend}`, () => {
    let target: AlertingContractTarget;
    let opened: Store[] = [];
    let clock: ReturnType<typeof createClock>;
    const open = async (redactor?: Redactor) => {
      const store = await target.open({ now: clock.now, ...(redactor ? { redactor } : {}) });
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      target = await createTarget();
      opened = [];
      clock = createClock();
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await target.dispose();
    });

    it('saves alert states and enqueues their notifications together, and deletes states', async () => {
      const { alerting } = await open();
      const result = await alerting.commitEvaluation({
        environment: 'production',
        states: [
          {
            environment: 'production',
            ruleId: 'api-down',
            service: 'api',
            status: 'firing',
            state: { seq: 1 },
          },
          {
            environment: 'production',
            ruleId: 'db-down',
            service: 'db',
            status: 'pending',
            state: { seq: 0 },
          },
        ],
        notifications: [note('production/api-down/api/firing/1')],
      });
      expect(result).toEqual({ enqueued: 1 });
      await alerting.commitEvaluation({
        environment: 'production',
        states: [
          {
            environment: 'production',
            ruleId: 'api-down',
            service: 'api',
            status: 'inactive',
            state: { seq: 2 },
          },
        ],
        deleted: [{ ruleId: 'db-down', service: 'db' }],
        notifications: [],
      });
      const states = await alerting.listAlertStates('production');
      expect(states.map((s) => [s.ruleId, s.status, s.state])).toEqual([
        ['api-down', 'inactive', { seq: 2 }],
      ]);
      expect(states[0]!.updatedAt).toBe('2030-01-01T00:00:00.000Z');
      expect(await alerting.listAlertStates('staging')).toEqual([]);
    });

    it('enqueues each dedup key once, however often it is replayed', async () => {
      const { alerting } = await open();
      expect(await alerting.enqueueNotifications([note('a'), note('b')])).toBe(2);
      expect(await alerting.enqueueNotifications([note('a'), note('c')])).toBe(1);
      const again = await alerting.commitEvaluation({
        environment: 'production',
        states: [],
        notifications: [note('c')],
      });
      expect(again.enqueued).toBe(0);
      expect(await alerting.listNotifications()).toHaveLength(3);
    });

    it('leases due rows to one sender at a time, oldest first, and hands a crashed lease on after it expires', async () => {
      const first = await open();
      const second = await open();
      await first.alerting.enqueueNotifications([note('a')]);
      clock.advance(1000);
      await first.alerting.enqueueNotifications([
        note('b'),
        { ...note('later'), dueAt: '2030-01-01T01:00:00.000Z' },
      ]);
      const [x, y] = await Promise.all([
        first.alerting.leaseNotifications({ holder: 'one', leaseMs: 60_000 }),
        second.alerting.leaseNotifications({ holder: 'two', leaseMs: 60_000 }),
      ]);
      const leased = [...x, ...y].map((r) => r.dedupKey).sort();
      expect(leased).toEqual(['a/team', 'b/team']);
      const all = x.length ? x : y;
      expect(all[0]!.dedupKey).toBe('a/team');
      expect(all[0]!.attempts).toBe(1);
      expect(await second.alerting.leaseNotifications({ holder: 'two', leaseMs: 60_000 })).toEqual([]);
      clock.advance(60_000);
      const retaken = await second.alerting.leaseNotifications({ holder: 'two', leaseMs: 60_000 });
      expect(retaken.map((r) => [r.dedupKey, r.attempts, r.leaseHolder])).toEqual([
        ['a/team', 2, 'two'],
        ['b/team', 2, 'two'],
      ]);
      // The first sender lost its lease: it cannot mark the row any more.
      expect(await first.alerting.markSent(retaken[0]!.id, 'one')).toBe(false);
      expect(await second.alerting.markSent(retaken[0]!.id, 'two')).toBe(true);
    });

    it('concurrent senders on many rows never lease the same row twice', async () => {
      const stores = await Promise.all([open(), open(), open()]);
      await stores[0]!.alerting.enqueueNotifications(Array.from({ length: 30 }, (_, i) => note(`n${i}`)));
      const got = await Promise.all(
        stores.flatMap((s, i) =>
          [0, 1].map(() => s.alerting.leaseNotifications({ holder: `h${i}`, leaseMs: 60_000, limit: 7 })),
        ),
      );
      const keys = got.flat().map((r) => r.dedupKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(30);
    });

    it('marks rows sent, schedules retries and fails them for good', async () => {
      const { alerting } = await open();
      await alerting.enqueueNotifications([note('ok'), note('retry'), note('bad')]);
      const rows = await alerting.leaseNotifications({ holder: 'me', leaseMs: 60_000 });
      const by = (k: string) => rows.find((r) => r.dedupKey === `${k}/team`)!;
      expect(await alerting.markSent(by('ok').id, 'me')).toBe(true);
      expect(await alerting.markSent(by('ok').id, 'me')).toBe(false);
      await alerting.markFailed(by('retry').id, 'me', {
        error: 'HTTP 503',
        retryAt: '2030-01-01T00:05:00.000Z',
      });
      await alerting.markFailed(by('bad').id, 'me', { error: 'HTTP 404' });
      expect(await alerting.leaseNotifications({ holder: 'me', leaseMs: 60_000 })).toEqual([]);
      clock.advance(5 * 60_000);
      const retried = await alerting.leaseNotifications({ holder: 'me', leaseMs: 60_000 });
      expect(retried.map((r) => [r.dedupKey, r.attempts, r.lastError])).toEqual([
        ['retry/team', 2, 'HTTP 503'],
      ]);
      const list = await alerting.listNotifications();
      expect(Object.fromEntries(list.map((r) => [r.dedupKey, r.status]))).toEqual({
        'ok/team': 'sent',
        'retry/team': 'pending',
        'bad/team': 'failed',
      });
      expect(list.find((r) => r.dedupKey === 'ok/team')?.sentAt).toBe('2030-01-01T00:00:00.000Z');
      expect(await alerting.listNotifications({ status: 'failed' })).toHaveLength(1);
    });

    it('adds, lists and expires silences', async () => {
      const { alerting } = await open();
      const silence = await alerting.addSilence({
        environment: 'production',
        matchers: [{ label: 'service', op: '=', value: 'api' }],
        endsAt: '2030-01-01T02:00:00.000Z',
        createdBy: 'alice',
        comment: 'deploying the fix',
      });
      await alerting.addSilence({
        matchers: [{ label: 'alertname', op: '=~', value: 'db-.*' }],
        endsAt: '2030-01-01T00:30:00.000Z',
        createdBy: 'bob',
        comment: 'all environments',
      });
      await alerting.addSilence({
        environment: 'staging',
        matchers: [{ label: 'service', op: '=', value: 'web' }],
        endsAt: '2030-01-01T02:00:00.000Z',
        createdBy: 'bob',
        comment: 'staging only',
      });
      expect(silence).toMatchObject({ startsAt: '2030-01-01T00:00:00.000Z', createdBy: 'alice' });
      expect(await alerting.getSilence(silence.id)).toEqual(silence);
      const production = await alerting.listSilences({ environment: 'production' });
      expect(production.map((s) => s.comment).sort()).toEqual(['all environments', 'deploying the fix']);
      clock.advance(45 * 60_000);
      expect((await alerting.listSilences({ environment: 'production' })).map((s) => s.comment)).toEqual([
        'deploying the fix',
      ]);
      const expired = await alerting.expireSilence(silence.id);
      expect(expired?.endsAt).toBe('2030-01-01T00:45:00.000Z');
      expect(await alerting.listSilences({ environment: 'production' })).toEqual([]);
      expect(await alerting.listSilences({ includeExpired: true })).toHaveLength(3);
      expect(await alerting.expireSilence('NOPE')).toBeUndefined();
    });

    it('redacts registered secrets from payloads and silence comments', async () => {
      const redactor = createRedactor();
      redactor.add(['hunter2-secret-value']);
      const { alerting } = await open(redactor);
      await alerting.enqueueNotifications([
        { ...note('x'), payload: { text: 'token hunter2-secret-value' } },
      ]);
      const s = await alerting.addSilence({
        matchers: [{ label: 'service', op: '=', value: 'api' }],
        endsAt: '2030-01-02T00:00:00.000Z',
        createdBy: 'alice',
        comment: 'pasted hunter2-secret-value by mistake',
      });
      const [row] = await alerting.listNotifications();
      expect(JSON.stringify(row?.payload)).not.toContain('hunter2');
      expect(s.comment).not.toContain('hunter2');
    });
  });
}
