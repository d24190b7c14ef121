import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../store/index.js';
import { planEscalation } from './escalation.js';
import { type PolicySnapshot, startEscalation } from './policy.js';

const policy: PolicySnapshot = {
  severity: 'P1',
  severityName: 'Critical',
  steps: [
    { level: 1, afterMs: 0, notify: ['ana'] },
    { level: 2, afterMs: 5 * 60_000, notify: ['ben'] },
  ],
  repeat: { times: 3, afterMs: 60_000 },
  channels: [],
  page: true,
};
const incident = { state: 'triggered', openedAt: new Date(0).toISOString(), acknowledgedAt: null };
const steps = (now: number) =>
  planEscalation(incident as IncidentRecord, startEscalation(policy, 0), now).actions.map((a) =>
    a.kind === 'step' ? `${a.step.notify.join()} repeat ${a.loop}` : a.kind,
  );

describe('planEscalation', () => {
  it('runs every step due by now, in order, on a pass that catches up', () => {
    expect(steps(5 * 60_000)).toEqual(['ana repeat 0', 'ben repeat 0']);
  });

  it('pages each step once for the latest repeat when several repeats fell due while nothing ran', () => {
    // An hour without a running instance: all three repeats of both steps are past.
    expect(steps(3_600_000)).toEqual(['ana repeat 3', 'ben repeat 3']);
    // Half-way through the second repeat: ana's second repeat is due, ben's is not yet.
    expect(steps(7 * 60_000)).toEqual(['ben repeat 0', 'ana repeat 1']);
  });
});
