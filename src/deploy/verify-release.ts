/** Verification of a release over the bake window: health endpoints, smoke requests and trouble lines in the logs. */
import { resolveEnvironment } from '../config/index.js';
import { measurementDetail, runAnalysis } from '../verify/analysis.js';
import { createLogRounds } from './bake-logs.js';
import type { VerifyTarget } from './context.js';
import type { PhaseContext } from './phase.js';

export interface ReleaseVerdict {
  outcome: 'successful' | 'failed' | 'inconclusive';
  reason: string;
  trigger: 'health-failed' | 'smoke-failed' | 'trouble-log' | 'inconclusive';
  failingChecks: string[];
}

export function verifyTargets(ctx: PhaseContext, names: string[]): VerifyTarget[] {
  const { state } = ctx.journal;
  const services = resolveEnvironment(ctx.options.config, state.plan.environment);
  return names.map((name) => {
    const service = services.find((s) => s.name === name)!;
    const svc = state.services[name];
    return { service, baseUrl: service.url ?? svc?.rollback?.url ?? svc?.deploy?.url };
  });
}

export async function verifyRelease(
  ctx: PhaseContext & { sleep: (ms: number) => Promise<void> },
): Promise<ReleaseVerdict> {
  const { options, journal, progress } = ctx;
  const { state } = journal;
  const names = Object.entries(state.services)
    .filter(([, s]) => s.state === 'live')
    .map(([n]) => n);
  const targets = verifyTargets(ctx, names);
  const logRound = createLogRounds(ctx, targets);
  const troubleBefore = new Map(names.map((n) => [n, state.services[n]?.troubleLines.length ?? 0]));
  let taken = 0;
  const intervalMs = state.plan.verify.intervalMs;
  progress({
    type: 'phase',
    phase: 'verify',
    message: `verifying ${names.join(', ')}: ${state.plan.verify.count} measurement(s) every ${intervalMs / 1000}s`,
  });
  const analysis = await runAnalysis({
    measure: async () => {
      const probes = await ctx.external(() => options.measure(targets));
      const logs = await logRound(++taken === state.plan.verify.count);
      return { checks: [...probes, ...logs.checks], ...(logs.stop ? { stop: logs.stop } : {}) };
    },
    intervalMs,
    count: state.plan.verify.count,
    failureLimit: state.plan.verify.failureLimit,
    inconclusiveLimit: state.plan.verify.inconclusiveLimit,
    sleep: (ms) => ctx.external(() => ctx.sleep(ms)),
    now: ctx.now,
    signal: options.signal,
    onMeasurement: (m, i) => {
      const bad = m.checks.filter((c) => c.outcome !== 'successful');
      // Down is what liveness and readiness say, by the endpoint's type: users name them /health, /up, ...
      if (bad.some((c) => (c.type === 'liveness' || c.type === 'readiness') && c.outcome === 'failed'))
        state.downtimeMs += intervalMs;
      progress({
        type: 'measurement',
        index: i,
        count: state.plan.verify.count,
        outcome: m.outcome,
        detail: measurementDetail(m.checks),
      });
    },
  });
  // A trouble line no criterion decides and no trigger fails is not a pass either: a person decides.
  const trouble = names.flatMap((n) =>
    (state.services[n]?.troubleLines ?? []).slice(troubleBefore.get(n) ?? 0).map((l) => `${n}: ${l}`),
  );
  let outcome = analysis.outcome;
  let reason = analysis.reason;
  if (outcome === 'successful' && trouble.length) {
    outcome = 'inconclusive';
    reason = `trouble in the logs that no rollback criterion decides: ${trouble[0]}${trouble.length > 1 ? ` (+${trouble.length - 1} more)` : ''}`;
  }
  state.verification = {
    outcome,
    reason,
    measurements: analysis.measurements.length,
    failed: analysis.failed,
    inconclusive: analysis.inconclusive,
  };
  // Not saved here: every verdict's next write carries it (verified, paused, the rollback's first step), and a run
  // killed before that verifies again on resume, as it would with the verdict saved.

  const failing = [
    ...new Set(
      analysis.measurements.flatMap((m) =>
        m.checks.filter((c) => c.outcome !== 'successful').map((c) => c.name),
      ),
    ),
  ];
  const trigger =
    outcome === 'inconclusive'
      ? 'inconclusive'
      : failing.some((f) => f.includes(':logs'))
        ? 'trouble-log'
        : failing.length && failing.every((f) => f.includes(':smoke'))
          ? 'smoke-failed'
          : 'health-failed';
  return { outcome, reason, trigger, failingChecks: failing };
}
