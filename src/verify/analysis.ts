/**
 * A bake-window analysis in the manner of Argo Rollouts' AnalysisRun: take `count` measurements `interval`
 * apart; more failures than `failureLimit` fails it, more inconclusive ones than `inconclusiveLimit` pauses it
 * for a person, more consecutive errors than `consecutiveErrorLimit` fails it. It stops as soon as a limit is
 * passed, so a bad release is rolled back without waiting out the window.
 */

// The config rule owns the words for a window that cannot fail; the analysis repeats them when it meets one.
import { cannotFail } from '../config/index.js';

export type MeasurementOutcome = 'successful' | 'failed' | 'inconclusive' | 'error';
export type AnalysisOutcome = 'successful' | 'failed' | 'inconclusive';

export interface CheckOutcome {
  name: string;
  /** The health endpoint type measured (liveness, readiness, ...), whatever the endpoint is named. */
  type?: string;
  outcome: MeasurementOutcome;
  detail: string;
  latencyMs?: number;
}

export interface Measurement {
  at: string;
  outcome: MeasurementOutcome;
  checks: CheckOutcome[];
}

export interface AnalysisOptions {
  /** `stop` ends the analysis with that verdict at once (a log line whose rollback criterion applies now). */
  measure: () => Promise<
    Omit<Measurement, 'at' | 'outcome'> & {
      outcome?: MeasurementOutcome;
      stop?: { outcome: AnalysisOutcome; reason: string };
    }
  >;
  intervalMs: number;
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit?: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  signal?: AbortSignal;
  onMeasurement?: (m: Measurement, index: number) => void;
}

export interface AnalysisResult {
  outcome: AnalysisOutcome;
  reason: string;
  measurements: Measurement[];
  failed: number;
  inconclusive: number;
  /** When the deciding limit was passed (ms since epoch): the start of the rollback clock. */
  decidedAt: number;
}

/** A measurement is as bad as its worst check: failed > error > inconclusive > successful. */
/**
 * One measurement as a progress line says it: the checks that did not pass, else how many passed. None at all is
 * said as such: "0 check(s) passed" read as green for a measurement that is inconclusive.
 */
export function measurementDetail(checks: readonly CheckOutcome[]): string {
  if (!checks.length) return 'no check ran';
  const bad = checks.filter((c) => c.outcome !== 'successful');
  return bad.length
    ? bad.map((c) => `${c.name}: ${c.detail}`).join('; ')
    : `${checks.length} check(s) passed`;
}

export function combine(checks: CheckOutcome[]): MeasurementOutcome {
  if (checks.length === 0) return 'inconclusive';
  const rank: Record<MeasurementOutcome, number> = { successful: 0, inconclusive: 1, error: 2, failed: 3 };
  return checks.reduce<MeasurementOutcome>(
    (w, c) => (rank[c.outcome] > rank[w] ? c.outcome : w),
    'successful',
  );
}

export async function runAnalysis(options: AnalysisOptions): Promise<AnalysisResult> {
  const errorLimit = options.consecutiveErrorLimit ?? 4;
  const measurements: Measurement[] = [];
  let failed = 0;
  let inconclusive = 0;
  let consecutiveErrors = 0;
  const done = (outcome: AnalysisOutcome, reason: string): AnalysisResult => ({
    outcome,
    reason,
    measurements,
    failed,
    inconclusive,
    decidedAt: options.now(),
  });
  for (let i = 0; i < options.count; i++) {
    if (i > 0) await options.sleep(options.intervalMs);
    options.signal?.throwIfAborted();
    const taken = await options.measure();
    const m: Measurement = {
      at: new Date(options.now()).toISOString(),
      checks: taken.checks,
      outcome: taken.outcome ?? combine(taken.checks),
    };
    measurements.push(m);
    options.onMeasurement?.(m, i);
    if (taken.stop) {
      if (m.outcome === 'failed') failed++;
      return done(taken.stop.outcome, taken.stop.reason);
    }
    // Nothing answered for any service: waiting out the window would only repeat that (and stall CI).
    if (m.checks.length === 0)
      return done(
        'inconclusive',
        'nothing to measure: no health endpoint or smoke request is configured for the services verified',
      );
    const bad = m.checks.filter((c) => c.outcome !== 'successful').map((c) => `${c.name} (${c.detail})`);
    if (m.outcome === 'failed') failed++;
    if (m.outcome === 'inconclusive') inconclusive++;
    consecutiveErrors = m.outcome === 'error' ? consecutiveErrors + 1 : 0;
    if (failed > options.failureLimit)
      return done(
        'failed',
        `${failed} failed measurement(s), limit ${options.failureLimit}: ${bad.join('; ')}`,
      );
    if (consecutiveErrors > errorLimit)
      return done('failed', `${consecutiveErrors} consecutive measurement errors: ${bad.join('; ')}`);
    if (inconclusive > options.inconclusiveLimit)
      return done(
        'inconclusive',
        `${inconclusive} inconclusive measurement(s), limit ${options.inconclusiveLimit}: ${bad.join('; ')}`,
      );
  }
  const good = measurements.filter((m) => m.outcome === 'successful').length;
  const tally = `${measurements.length} measurement(s): ${good} good, ${failed} failed, ${inconclusive} inconclusive`;
  // Passing on nothing is not passing: a window without one good measurement proves nothing about the release.
  if (good === 0) return done('inconclusive', `no good measurement (${tally})`);
  if (options.count <= options.failureLimit)
    return done('inconclusive', `${cannotFail(options.count, options.failureLimit)} (${tally})`);
  return done('successful', tally);
}

export const RESTORE_MEASUREMENTS = 3;

/** After a rollback: a short analysis that tolerates no failure, shared by automatic and manual rollbacks. */
export function verifyRestored(
  measure: () => Promise<CheckOutcome[]>,
  options: Pick<AnalysisOptions, 'intervalMs' | 'sleep' | 'now' | 'signal' | 'onMeasurement'>,
): Promise<AnalysisResult> {
  return runAnalysis({
    ...options,
    measure: async () => ({ checks: await measure() }),
    count: RESTORE_MEASUREMENTS,
    failureLimit: 0,
    inconclusiveLimit: RESTORE_MEASUREMENTS,
  });
}
