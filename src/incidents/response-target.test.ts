/** What validate promises about respondWithin (config/untracked-response-target) is what escalation does. */
import { describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import type { IncidentRecord } from '../store/index.js';
import { planEscalation } from './escalation.js';
import { snapshotPolicy, startEscalation } from './policy.js';

const config = stackSchema.parse({
  name: 's',
  services: { api: { kind: 'web' } },
  incidents: {
    severities: {
      P1: { name: 'Critical', respondWithin: '15m' },
      P2: { name: 'Degraded' },
      P3: { name: 'Low', respondWithin: 'next-business-day' },
    },
  },
});
const opened = Date.parse('2026-01-05T10:00:00Z');
const incident = { state: 'triggered', openedAt: new Date(opened).toISOString() } as IncidentRecord;
const breachesAfterAWeek = (severity: string) =>
  planEscalation(
    incident,
    startEscalation(snapshotPolicy(config, severity), opened),
    opened + 7 * 86_400_000,
  ).actions.filter((a) => a.kind === 'breach');

describe('response targets', () => {
  it('notifies a missed respondWithin duration', () => {
    expect(breachesAfterAWeek('P1')).toEqual([{ kind: 'breach', target: 'ack', limitMs: 15 * 60_000 }]);
  });

  it('has no target, and so no breach, for a severity without respondWithin', () => {
    expect(breachesAfterAWeek('P2')).toEqual([]);
  });

  it('tracks no breach for next-business-day (why validate warns about it)', () => {
    expect(breachesAfterAWeek('P3')).toEqual([]);
  });
});
