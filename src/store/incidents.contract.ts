// The behaviour suite of `store.incidents`; incidents-sqlite.test.ts and incidents-postgres.test.ts register it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRedactor } from '../redact/index.js';
import type { Store, StoreBackend } from './index.js';

export interface IncidentsContractTarget {
  open(options: { redactor?: ReturnType<typeof createRedactor>; now: () => Date }): Promise<Store>;
  dispose(): Promise<void>;
}

export function describeIncidentsContract(
  backend: StoreBackend,
  createTarget: () => Promise<IncidentsContractTarget>,
  options: { skip?: string } = {},
): void {
  describe.skipIf(Boolean(options.skip))(`incidents store contract: ${backend}`, () => {
    let target: IncidentsContractTarget;
    let opened: Store[] = [];
    const ms = Date.parse('2030-01-01T00:00:00.000Z');
    const now = () => new Date(ms);
    const open = async (redactor = createRedactor()) => {
      const store = await target.open({ now, redactor });
      opened.push(store);
      return store;
    };
    beforeEach(async () => {
      target = await createTarget();
      opened = [];
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      await target.dispose();
    });

    it('numbers incidents, and joins an alert to the open incident with the same dedup key', async () => {
      const { incidents } = await open();
      const a = await incidents.openIncident({
        environment: 'production',
        title: 'API down',
        severity: 'P1',
        services: ['api'],
        dedupKey: 'api',
        nextAt: '2030-01-01T00:00:00.000Z',
        timeline: [{ kind: 'alert', message: 'api-down firing', key: 'alert/1' }],
      });
      expect(a).toMatchObject({
        created: true,
        incident: { number: 1, state: 'triggered', services: ['api'] },
      });
      const again = await incidents.openIncident({
        environment: 'production',
        title: 'x',
        severity: 'P1',
        dedupKey: 'api',
      });
      expect(again).toMatchObject({ created: false, incident: { id: a.incident.id } });
      const other = await incidents.openIncident({ environment: 'production', title: 'DB', severity: 'P2' });
      expect(other.incident.number).toBe(2);
      expect((await incidents.getIncident('2'))?.id).toBe(other.incident.id);
      expect((await incidents.getIncident('#1'))?.id).toBe(a.incident.id);
      expect((await incidents.listTimeline(a.incident.id)).map((e) => e.message)).toEqual([
        'api-down firing',
      ]);

      await incidents.updateIncident(a.incident.id, { state: 'resolved', resolvedAt: now().toISOString() });
      const reopened = await incidents.openIncident({
        environment: 'production',
        title: 'API down again',
        severity: 'P1',
        dedupKey: 'api',
      });
      expect(reopened.created).toBe(true);
      expect(reopened.incident.number).toBe(3);
    });

    it('updates only while the conditions hold, and writes its timeline entries only with the update', async () => {
      const { incidents } = await open();
      const { incident } = await incidents.openIncident({
        environment: 'production',
        title: 'API down',
        severity: 'P1',
      });
      const acked = await incidents.updateIncident(
        incident.id,
        { state: 'acknowledged', acknowledgedAt: now().toISOString(), acknowledgedBy: 'ana', nextAt: null },
        { ifState: ['triggered'], timeline: [{ kind: 'ack', message: 'acknowledged by ana', actor: 'ana' }] },
      );
      expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'ana', nextAt: null, version: 2 });
      const twice = await incidents.updateIncident(
        incident.id,
        { state: 'acknowledged' },
        { ifState: ['triggered'], timeline: [{ kind: 'ack', message: 'again' }] },
      );
      expect(twice).toBeUndefined();
      const stale = await incidents.updateIncident(
        incident.id,
        { nextAt: now().toISOString() },
        { ifVersion: 1 },
      );
      expect(stale).toBeUndefined();
      expect((await incidents.listTimeline(incident.id)).map((e) => e.kind)).toEqual(['ack']);
    });

    it('enqueues notifications with an update, once, and not when the update does not apply', async () => {
      const { incidents, alerting } = await open();
      const { incident } = await incidents.openIncident({
        environment: 'production',
        title: 'T',
        severity: 'P1',
      });
      const note = {
        dedupKey: `incident/${incident.id}/step/0`,
        environment: 'production',
        channel: 'email',
        payload: { title: 'T' },
      };
      await incidents.updateIncident(incident.id, { nextAt: null }, { ifVersion: 1, notifications: [note] });
      await incidents.updateIncident(
        incident.id,
        { nextAt: null },
        { ifVersion: 1, notifications: [{ ...note, dedupKey: 'other' }] },
      );
      await incidents.updateIncident(incident.id, { nextAt: null }, { notifications: [note] });
      expect((await alerting.listNotifications()).map((n) => n.dedupKey)).toEqual([note.dedupKey]);
    });

    it('writes a keyed timeline entry once, from any number of stores', async () => {
      const [a, b] = [await open(), await open()];
      const { incident } = await a.incidents.openIncident({
        environment: 'production',
        title: 'T',
        severity: 'P1',
      });
      const entry = { kind: 'notify', message: 'step 1: ana by email', key: 'step/0/0/ana' };
      const written = await Promise.all([
        a.incidents.addTimeline(incident.id, [entry]),
        b.incidents.addTimeline(incident.id, [entry]),
      ]);
      expect(written.reduce((x, y) => x + y)).toBe(1);
      expect(await b.incidents.findTimelineKey('step/0/0/ana')).toBe(incident.id);
      expect(await b.incidents.findTimelineKey('nope')).toBeUndefined();
      expect(await a.incidents.addTimeline(incident.id, [{ kind: 'note', message: 'n', public: true }])).toBe(
        1,
      );
      const timeline = await b.incidents.listTimeline(incident.id);
      expect(timeline.map((e) => [e.kind, e.public])).toEqual([
        ['notify', false],
        ['note', true],
      ]);
    });

    it('lists due, open and recent incidents', async () => {
      const { incidents } = await open();
      const due = await incidents.openIncident({
        environment: 'production',
        title: 'a',
        severity: 'P1',
        nextAt: '2030-01-01T00:00:00Z',
      });
      await incidents.openIncident({
        environment: 'production',
        title: 'b',
        severity: 'P1',
        nextAt: '2030-01-01T01:00:00Z',
      });
      await incidents.openIncident({
        environment: 'staging',
        title: 'c',
        severity: 'P1',
        nextAt: '2030-01-01T00:00:00Z',
      });
      expect((await incidents.listDueIncidents('production', now().toISOString())).map((i) => i.id)).toEqual([
        due.incident.id,
      ]);
      await incidents.updateIncident(due.incident.id, {
        state: 'resolved',
        resolvedAt: '2030-01-01T00:00:00Z',
      });
      expect(await incidents.listDueIncidents('production', now().toISOString())).toEqual([]);
      expect(
        (await incidents.listIncidents({ environment: 'production', open: true })).map((i) => i.title),
      ).toEqual(['b']);
      expect(
        (await incidents.listIncidents({ since: '2030-01-02T00:00:00Z' })).map((i) => i.title).sort(),
      ).toEqual(['b', 'c']);
    });

    it('never stores a registered secret in titles, notes or data', async () => {
      const redactor = createRedactor();
      redactor.add(['hunter2-secret-value']);
      const { incidents } = await open(redactor);
      const { incident } = await incidents.openIncident({
        environment: 'production',
        title: 'leak hunter2-secret-value',
        severity: 'P1',
      });
      await incidents.addTimeline(incident.id, [
        { kind: 'note', message: 'pw hunter2-secret-value', data: { v: 'hunter2-secret-value' } },
      ]);
      const all = JSON.stringify([
        await incidents.getIncident(incident.id),
        await incidents.listTimeline(incident.id),
      ]);
      expect(all).not.toContain('hunter2-secret-value');
    });
  });
}
