import { describe, expect, it } from 'vitest';
import { type ActiveSilence, alertKey, type EvaluateResult, evaluateAlerts } from './evaluate.js';
import type { DependencyGraph } from './inhibition.js';
import { parseMatcher } from './matchers.js';
import type { AlertCondition, AlertRule, AlertState, Observation } from './types.js';

const MIN = 60_000;

function rule(
  id: string,
  service: string,
  condition: AlertCondition,
  over: Partial<AlertRule> = {},
): AlertRule {
  return {
    id,
    service,
    condition,
    forMs: 0,
    keepFiringForMs: 0,
    repeatIntervalMs: 60 * MIN,
    notice: 'critical',
    channels: ['team'],
    labels: { alertname: id, service, environment: 'production', condition: condition.kind },
    ...over,
  };
}

const dbDown = rule('db-down', 'db', { kind: 'down' });
const apiDown = rule('api-down', 'api', { kind: 'down' });
const apiSlow = rule('api-slow', 'api', {
  kind: 'latency',
  percentile: 95,
  aboveMs: 2000,
  windowMs: 5 * MIN,
  minSamples: 3,
});
const graph: DependencyGraph = new Map([
  ['db', []],
  ['api', [{ service: 'db', critical: true }]],
  ['web', [{ service: 'api', critical: true }]],
  ['worker', [{ service: 'db', critical: false }]],
]);

/** A fake clock plus the state a runner would persist between ticks. */
function harness(rules: AlertRule[], silences: ActiveSilence[] = []) {
  let states = new Map<string, AlertState>();
  const sent: EvaluateResult['notifications'] = [];
  return {
    sent,
    tick(now: number, active: Record<string, boolean>): EvaluateResult {
      const observations = new Map<string, Observation>(
        rules.map((r) => [
          alertKey(r),
          { active: active[r.id] ?? false, summary: `${r.id} ${active[r.id]}` },
        ]),
      );
      const out = evaluateAlerts({
        environment: 'production',
        rules,
        states,
        observations,
        silences,
        graph,
        now,
        timing: { groupWaitMs: 30_000, groupIntervalMs: 2 * MIN },
      });
      states = out.states;
      sent.push(...out.notifications);
      return out;
    },
  };
}

describe('evaluateAlerts', () => {
  it('waits groupWait before the first notification, then sends firing and resolved once each', () => {
    const h = harness([apiDown]);
    h.tick(0, { 'api-down': true });
    expect(h.sent).toHaveLength(0);
    h.tick(30_000, { 'api-down': true });
    h.tick(60_000, { 'api-down': true });
    expect(h.sent.map((n) => [n.status, n.seq])).toEqual([['firing', 1]]);
    h.tick(3 * MIN, { 'api-down': false });
    h.tick(4 * MIN, { 'api-down': false });
    expect(h.sent.map((n) => [n.status, n.seq])).toEqual([
      ['firing', 1],
      ['resolved', 2],
    ]);
    expect(h.sent[1]).toMatchObject({
      dedupKey: 'production/api-down/api/resolved/2',
      groupKey: '{}:{environment="production", alertname="api-down", service="api"}',
    });
    expect(h.sent[1]!.alerts[0]).toMatchObject({
      status: 'resolved',
      startsAt: new Date(0).toISOString(),
      endsAt: new Date(3 * MIN).toISOString(),
    });
  });

  it('sends nothing for an alert that resolves within groupWait', () => {
    const h = harness([apiDown]);
    h.tick(0, { 'api-down': true });
    h.tick(15_000, { 'api-down': false });
    h.tick(5 * MIN, { 'api-down': false });
    expect(h.sent).toHaveLength(0);
  });

  it('holds a resolution back until groupInterval after the firing notice, and drops it if it fires again', () => {
    const h = harness([apiDown]);
    h.tick(0, { 'api-down': true });
    h.tick(30_000, { 'api-down': true });
    h.tick(60_000, { 'api-down': false });
    h.tick(90_000, { 'api-down': true });
    h.tick(3 * MIN, { 'api-down': true });
    expect(h.sent.map((n) => n.status)).toEqual(['firing']);
  });

  it('repeats an unchanged firing group every repeatInterval', () => {
    const h = harness([rule('api-down', 'api', { kind: 'down' }, { repeatIntervalMs: 10 * MIN })]);
    for (let t = 0; t <= 25 * MIN; t += 30_000) h.tick(t, { 'api-down': true });
    expect(h.sent.map((n) => [n.seq, n.repeat, n.at])).toEqual([
      [1, false, new Date(30_000).toISOString()],
      [2, true, new Date(10 * MIN + 30_000).toISOString()],
      [3, true, new Date(20 * MIN + 30_000).toISOString()],
    ]);
  });

  it('mutes the alerts of services that depend critically on a down database, transitively', () => {
    const webErrors = rule('web-down', 'web', { kind: 'down' });
    const workerDown = rule('worker-down', 'worker', { kind: 'down' });
    const h = harness([dbDown, apiDown, apiSlow, webErrors, workerDown]);
    const all = {
      'db-down': true,
      'api-down': true,
      'api-slow': true,
      'web-down': true,
      'worker-down': true,
    };
    h.tick(0, all);
    const out = h.tick(30_000, all);
    // The non-critical dependent (worker) is not muted: its alert is its own problem.
    expect(h.sent.map((n) => n.ruleId).sort()).toEqual(['db-down', 'worker-down']);
    expect(out.alerts.find((a) => a.ruleId === 'web-down')?.mutedBy).toEqual({ inhibitedBy: 'db' });
  });

  it('lets a muted alert that was already announced send its resolution', () => {
    const h = harness([dbDown, apiSlow]);
    h.tick(0, { 'api-slow': true });
    h.tick(30_000, { 'api-slow': true });
    h.tick(60_000, { 'api-slow': true, 'db-down': true });
    h.tick(2 * MIN, { 'api-slow': true, 'db-down': true });
    expect(h.sent.map((n) => `${n.ruleId}:${n.status}`)).toEqual(['api-slow:firing', 'db-down:firing']);
    h.tick(5 * MIN, { 'db-down': true });
    expect(h.sent.map((n) => `${n.ruleId}:${n.status}`)).toContain('api-slow:resolved');
  });

  it('silences alerts whose labels match while the silence is active, and only then', () => {
    const silence: ActiveSilence = {
      id: 'S1',
      matchers: [parseMatcher('service=api'), parseMatcher('alertname=~"api-.*"')],
      startsAt: 0,
      endsAt: 10 * MIN,
    };
    const workerDown = rule('worker-down', 'worker', { kind: 'down' });
    const h = harness([apiDown, workerDown], [silence]);
    const both = { 'api-down': true, 'worker-down': true };
    for (let t = 0; t <= 9 * MIN; t += MIN) h.tick(t, both);
    expect(h.sent.map((n) => n.ruleId)).toEqual(['worker-down']);
    h.tick(10 * MIN, both);
    expect(h.sent.map((n) => n.ruleId)).toEqual(['worker-down', 'api-down']);
  });

  it('keeps the state of a rule whose data could not be read', () => {
    const h = harness([apiDown]);
    h.tick(0, { 'api-down': true });
    const out = evaluateAlerts({
      environment: 'production',
      rules: [apiDown],
      states: h.tick(30_000, { 'api-down': true }).states,
      observations: new Map(),
      silences: [],
      graph,
      now: 60_000,
    });
    expect(out.states.get('api-down/api')?.status).toBe('firing');
    expect(out.transitions).toEqual([]);
  });
});
