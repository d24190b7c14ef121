import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../store/index.js';
import { deliveryMetrics } from './delivery-metrics.js';
import { renderLogEntry, toLogEntry } from './deployment-log.js';
import type { DeployState } from './journal.js';
import { manualRollbacks } from './undone-by.js';

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

/** An `opsbook rollback` run that moved `service` away from the deploy `from`. */
function manualRollback(id: string, start: number, from: string | null, status = 'rolled-back'): RunRecord {
  return {
    id,
    kind: 'rollback',
    environment: 'production',
    status,
    actor: 'bob',
    startedAt: iso(start),
    finishedAt: iso(start + 0.05 * H),
    summary: {
      reason: 'checkout broken',
      plan: [{ service: 'api', from, to: 'dep-old' }],
      services: [{ service: 'api', from, to: 'dep-old', result: { id: 'dep-old', state: 'live' } }],
      autoDeployOff: [],
      verification: { outcome: 'successful', reason: 'ok' },
    },
  };
}

const liveApi = (id: string) =>
  ({ api: { state: 'live', deploy: { id, state: 'live' } } }) as unknown as DeployState['services'];

describe('deployment log: rollbacks', () => {
  it('says who rolled back a deploy with opsbook rollback, and why', () => {
    const deploy = run('d1', 'succeeded', T0, { services: liveApi('dep-1') });
    const undone = manualRollbacks([deploy], [manualRollback('rb1', T0 + 2 * H, 'dep-1')]);
    const text = renderLogEntry(toLogEntry(deploy, 'main', undone.get('d1'))!);
    expect(text).toContain(
      "Rollback: Yes - by bob with 'opsbook rollback' (run rb1, 2026-11-01 02:00 UTC): checkout broken",
    );
  });

  it('finds the deploy a manual rollback undid by the release it moved away from', () => {
    const first = run('d1', 'succeeded', T0, { services: liveApi('dep-1') });
    const second = run('d2', 'succeeded', T0 + H, { services: liveApi('dep-2') });
    const undone = manualRollbacks([first, second], [manualRollback('rb1', T0 + 2 * H, 'dep-1')]);
    expect([...undone.keys()]).toEqual(['d1']);
  });

  it('never says "Rollback: No" for a run that ended rolled back, even without a record of why', () => {
    // A paused deploy that `opsbook rollback` took over: its status is rolled back, its state has no rollback.
    const paused = run('p1', 'rolled-back', T0);
    expect(renderLogEntry(toLogEntry(paused, 'main')!)).toContain(
      'Rollback: Yes - rolled back (no reason recorded)',
    );
  });
});

describe('deliveryMetrics', () => {
  it('counts a verified deploy a person rolled back with opsbook rollback as a failed change, restored when that finished', () => {
    const runs = [
      run('a', 'succeeded', T0, { services: liveApi('dep-a') }),
      run('b', 'succeeded', T0 + 24 * H, { services: liveApi('dep-b') }),
    ];
    const without = deliveryMetrics(runs, T0 + 10 * 24 * H, 30);
    expect(without.changeFailureRate).toBe(0);
    const m = deliveryMetrics(runs, T0 + 10 * 24 * H, 30, [manualRollback('rb', T0 + 26 * H, 'dep-b')]);
    expect(m.changeFailureRate).toBeCloseTo(1 / 2);
    expect(m.timeToRestoreMedianMs).toBeCloseTo(0.05 * H); // from the rollback's start to its verified end
  });

  it('counts a run rolled back before every group was live as a failed change with its time to restore', () => {
    const partial = run(
      'p',
      'rolled-back',
      T0,
      {
        services: {
          api: { state: 'rolled-back', deploy: { id: 'dep-p', state: 'live' } },
          worker: { state: 'failed', deploy: null },
        } as unknown as DeployState['services'],
        rollback: { reason: 'worker build failed', automatic: true, decidedBy: 'policy' },
      },
      {
        liveAt: undefined,
        verifiedAt: undefined,
        failedAt: iso(T0 + 0.1 * H),
        trafficRestoredAt: iso(T0 + 0.15 * H),
        restoredAt: iso(T0 + 0.2 * H),
      },
    );
    const m = deliveryMetrics([run('ok', 'succeeded', T0 - 24 * H), partial], T0 + 24 * H, 30);
    expect(m.changeFailureRate).toBeCloseTo(1 / 2);
    expect(m.timeToRestoreMedianMs).toBeCloseTo(0.05 * H); // failure to traffic back
  });

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
