import { describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../store/index.js';
import { renderPostmortem } from './postmortem.js';
import type { IncidentReport } from './report.js';

const MIN = 60_000;
const opened = '2030-01-02T12:00:00.000Z';

function report(o: { elapsedMs: number; ackMs?: number; resolved?: boolean }): IncidentReport {
  const incident = {
    id: 'i1',
    number: 1,
    environment: 'production',
    title: 'API down',
    severity: 'P1',
    state: o.resolved ? 'resolved' : 'triggered',
    services: [],
    commander: null,
    openedAt: opened,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: o.resolved ? new Date(Date.parse(opened) + o.elapsedMs).toISOString() : null,
    summary: null,
  } as unknown as IncidentRecord;
  return {
    incident,
    timeline: [],
    deploys: [],
    times: {
      detectMs: null,
      ackMs: o.ackMs ?? null,
      resolveMs: o.resolved ? o.elapsedMs : null,
      ackTargetMs: 15 * MIN,
      resolveTargetMs: 4 * 60 * MIN,
    },
    impact: {
      durationMs: o.elapsedMs,
      components: [],
      checks: { total: 0, down: 0 },
      failedShare: null,
      slos: [],
    },
  };
}
const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start));

describe('renderPostmortem', () => {
  it('calls a target missed only once it has passed without the time being met', () => {
    const young = renderPostmortem(report({ elapsedMs: MIN }));
    expect(line(young, '- Time to acknowledge')).toBe('- Time to acknowledge: n/a (target 15m: not due yet)');
    expect(line(young, '- Time to resolve')).toBe('- Time to resolve: n/a (target 4.0h: not due yet)');

    const quiet = renderPostmortem(report({ elapsedMs: 5 * MIN, resolved: true }));
    expect(line(quiet, '- Time to acknowledge')).toBe(
      '- Time to acknowledge: n/a (target 15m: resolved within it, unacknowledged)',
    );
    expect(line(quiet, '- Time to resolve')).toBe('- Time to resolve: 5m (target 4.0h: met)');

    const late = renderPostmortem(report({ elapsedMs: 20 * MIN }));
    expect(line(late, '- Time to acknowledge')).toBe('- Time to acknowledge: n/a (target 15m: missed)');
    expect(line(renderPostmortem(report({ elapsedMs: 20 * MIN, ackMs: 16 * MIN })), '- Time to ack')).toBe(
      '- Time to acknowledge: 16m (target 15m: missed)',
    );
  });

  it('drafts a postmortem from a timeline with nothing in it', () => {
    const text = renderPostmortem(report({ elapsedMs: MIN }));
    expect(text).toContain('## Timeline (UTC)\n\n- nothing recorded\n\n## Root cause');
  });
});
