/** Evaluates a rule's condition against the monitor history at one instant: an Observation, no state. */
import type { Slo } from '../config/index.js';
import { burnRate, type HistoryReader, objectiveOf, sliCounts } from '../slo/index.js';
import { formatMs, formatSpan } from '../timing/index.js';
import type { AlertRule, Observation } from './types.js';

export interface RecentSample {
  at: number;
  outcome: 'up' | 'degraded' | 'down';
  latencyMs: number;
  /** Epoch ms the peer certificate expires, for https checks. */
  certificateExpiresAt?: number;
  /** Why it failed, for the notification text. */
  reason?: string;
}

/** The history the rules read: window aggregates, plus each monitor's newest samples. */
export interface AlertSignals extends HistoryReader {
  /** Each monitor of the service with up to `limit` of its newest samples, newest first. */
  recent(service: string, limit: number): Promise<{ monitor: string; samples: RecentSample[] }[]>;
  /** The pace of this process's monitor engine; absent where no engine runs. */
  enginePace?(): EnginePace | undefined;
}

/** What the falling-behind rule reads (the engine's last pace window, src/monitors/pace.ts). */
export interface EnginePace {
  behind: boolean;
  lateShare: number;
  worstLagMs: number;
  checksPerSecond: number;
  /** Checks per second the monitors ask for. */
  dueRate: number;
  /** Slots skipped because a check outlasted its interval (counted in lateShare). */
  skipped?: number;
}

const pct = (ratio: number) => `${Number((ratio * 100).toFixed(2))}%`;

export async function measureRule(
  rule: AlertRule,
  signals: AlertSignals,
  now: number,
  slos: ReadonlyMap<string, Slo>,
): Promise<Observation> {
  const c = rule.condition;
  switch (c.kind) {
    case 'down':
    case 'consecutive-failures': {
      const need = c.kind === 'down' ? 1 : c.count;
      const monitors = await signals.recent(rule.service, need);
      if (!monitors.some((m) => m.samples.length)) return { active: false, summary: 'no checks yet' };
      const failing = monitors.filter(
        (m) => m.samples.length >= need && m.samples.slice(0, need).every((s) => s.outcome === 'down'),
      );
      if (!failing.length) return { active: false, value: 0, summary: `${rule.service} answers its checks` };
      const why = failing.map((m) => `${m.monitor}${m.samples[0]?.reason ? `: ${m.samples[0].reason}` : ''}`);
      const lead = c.kind === 'down' ? 'down' : `${need} failed checks in a row`;
      return { active: true, value: failing.length, summary: `${rule.service} ${lead} (${why.join('; ')})` };
    }
    case 'falling-behind': {
      const pace = signals.enginePace?.();
      if (!pace) return { active: false, summary: 'no monitor engine pace measured yet in this instance' };
      const done = `${pace.checksPerSecond.toFixed(0)} checks/s done of ${pace.dueRate.toFixed(0)}/s due`;
      return pace.behind
        ? {
            active: true,
            value: pace.worstLagMs,
            summary: `the monitor engine is falling behind: ${(pace.lateShare * 100).toFixed(1)}% of ${pace.skipped ? `due checks started late or never ran (up to ${formatMs(pace.worstLagMs)}; ${pace.skipped} slot(s) skipped: a check ran past its next due time)` : `checks started late (up to ${formatMs(pace.worstLagMs)})`}, ${done}`,
          }
        : { active: false, value: pace.worstLagMs, summary: `the monitor engine keeps up: ${done}` };
    }
    case 'certificate': {
      const expiries = (await signals.recent(rule.service, 1))
        .map((m) => m.samples[0]?.certificateExpiresAt)
        .filter((t): t is number => t !== undefined);
      if (!expiries.length) return { active: false, summary: 'no certificate seen' };
      const left = Math.min(...expiries) - now;
      const when =
        left <= 0
          ? 'has expired'
          : `expires in ${formatSpan(Math.max(60_000, Math.round(left / 60_000) * 60_000))}`;
      return {
        active: left < c.withinMs,
        value: left,
        summary: `the certificate of ${rule.service} ${when}`,
      };
    }
    case 'error-rate': {
      const stats = await signals.window(rule.service, now - c.windowMs, now);
      if (stats.total < c.minSamples)
        return {
          active: false,
          summary: `${stats.total} checks in ${formatSpan(c.windowMs)}, fewer than ${c.minSamples}`,
        };
      const rate = stats.failed / stats.total;
      return {
        active: rate > c.above,
        value: rate,
        summary: `error rate ${pct(rate)} over ${formatSpan(c.windowMs)} (${stats.failed} of ${stats.total} checks failed; threshold ${pct(c.above)})`,
      };
    }
    case 'latency': {
      const stats = await signals.window(rule.service, now - c.windowMs, now);
      const value = stats.latency.count ? await stats.latency.quantile(c.percentile / 100) : undefined;
      if (stats.latency.count < c.minSamples || value === undefined)
        return {
          active: false,
          summary: `${stats.latency.count} answered checks in ${formatSpan(c.windowMs)}, fewer than ${c.minSamples}`,
        };
      return {
        active: value > c.aboveMs,
        value,
        summary: `p${c.percentile} latency ${Math.round(value)} ms over ${formatSpan(c.windowMs)} (threshold ${c.aboveMs} ms, ${stats.latency.count} checks)`,
      };
    }
    case 'burn-rate': {
      const slo = slos.get(c.slo);
      if (!slo) return { active: false, summary: `SLO ${c.slo} is not configured` };
      const objective = objectiveOf(slo);
      const rateOver = async (ms: number) => {
        const counts = await sliCounts(slo, await signals.window(rule.service, now - ms, now));
        return counts.total >= c.minSamples ? burnRate(counts.good, counts.total, objective) : null;
      };
      let worst: { factor: number; long: number; short: number; w: (typeof c.windows)[number] } | undefined;
      for (const w of c.windows) {
        const [long, short] = [await rateOver(w.longMs), await rateOver(w.shortMs)];
        if (long === null || short === null || long <= w.factor || short <= w.factor) continue;
        if (!worst || w.factor > worst.factor) worst = { factor: w.factor, long, short, w };
      }
      if (!worst) return { active: false, summary: `SLO ${slo.id} burns within its budget` };
      return {
        active: true,
        value: worst.long,
        summary: `SLO ${slo.id} burning ${worst.long.toFixed(1)}x over ${formatSpan(worst.w.longMs)} and ${worst.short.toFixed(1)}x over ${formatSpan(worst.w.shortMs)} (threshold ${worst.factor}x)`,
      };
    }
  }
}
