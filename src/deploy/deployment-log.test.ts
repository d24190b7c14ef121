import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../store/index.js';
import { deliveryMetrics, renderLogEntry, toLogEntry } from './deployment-log.js';
import type { DeployState } from './journal.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function run(
  id: string,
  status: string,
  start: number,
  patch: Partial<DeployState> = {},
  times: Partial<DeployState['times']> = {},
): RunRecord {
  const state = {
    plan: { environment: 'production', groups: [['api'], ['worker']] },
    phase: 'finished',
    actor: 'alice',
    commit: `c-${id}`,
    commitRange: [{ sha: `c-${id}`, at: iso(start - 2 * H), subject: 'change' }],
    services: {},
    times: {
      requestedAt: iso(start),
      liveAt: iso(start + 0.1 * H),
      verifiedAt: iso(start + 0.2 * H),
      ...times,
    },
    downtimeMs: 0,
    announcements: [],
    externalMs: 0,
    ...patch,
  } as unknown as DeployState;
  return {
    id,
    kind: 'deploy',
    environment: 'production',
    status,
    actor: 'alice',
    startedAt: iso(start),
    finishedAt: iso(start + 0.25 * H),
    summary: state as never,
  };
}

describe('deployment log', () => {
  it('renders the kamiyo template with rollback and downtime', () => {
    const r = run('r1', 'rolled-back', T0, {
      downtimeMs: 15_000,
      failure: { trigger: 'health-failed', reason: 'api:readiness HTTP 503' },
      rollback: { reason: 'api:readiness HTTP 503', automatic: true, decidedBy: 'policy' },
    });
    const text = renderLogEntry(toLogEntry(r, 'main')!);
    expect(text).toContain('Deployer: alice');
    expect(text).toContain('Services: api + worker');
    expect(text).toContain('Duration: 15m 0s');
    expect(text).toContain('Downtime: 15 seconds');
    expect(text).toContain('Rollback: Yes - automatic: api:readiness HTTP 503');
    expect(text).toContain('Issues: health-failed: api:readiness HTTP 503');
  });
});

describe('deliveryMetrics', () => {
  it('computes frequency, lead time, change failure rate and time to restore from the runs', () => {
    const runs = [
      run('a', 'succeeded', T0),
      run(
        'b',
        'rolled-back',
        T0 + 24 * H,
        { failure: { trigger: 'health-failed', reason: 'x' } },
        { failedAt: iso(T0 + 24.2 * H), restoredAt: iso(T0 + 24.3 * H) },
      ),
      run('c', 'succeeded', T0 + 48 * H),
      run('d', 'failed', T0 + 72 * H, {}, { liveAt: undefined, verifiedAt: undefined }), // build failed: never live
    ];
    const m = deliveryMetrics(runs, T0 + 10 * 24 * H, 30);
    expect(m.deploys).toBe(4);
    expect(m.deployFrequencyPerDay).toBeCloseTo(2 / 30);
    expect(m.leadTimeMedianMs).toBeCloseTo(2.2 * H); // commit 2h before the request, verified 0.2h after
    expect(m.changeFailureRate).toBeCloseTo(1 / 3); // 3 went live, 1 of them failed
    expect(m.timeToRestoreMedianMs).toBeCloseTo(0.1 * H);
  });

  it('ignores runs outside the window and says n/a without data', () => {
    const m = deliveryMetrics([run('old', 'succeeded', T0)], T0 + 90 * 24 * H, 30);
    expect(m).toMatchObject({
      deploys: 0,
      leadTimeMedianMs: null,
      changeFailureRate: null,
      timeToRestoreMedianMs: null,
    });
  });
});
