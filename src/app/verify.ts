/** The verify use-case: the deploy's bake-window analysis on its own, against what serves now. */
import { closestMatch, parseDuration, resolveEnvironment } from '../config/index.js';
import { UserError } from '../errors.js';
import { sleep } from '../timing/index.js';
import { type AnalysisResult, createMeasure, type Measurement, runAnalysis } from '../verify/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

export interface VerifyOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Default: every service with a health endpoint. */
  services?: string[];
  /** Default: deploy.verify.interval. */
  intervalMs?: number;
  /** Default: as many as fit in deploy.verify.bake. */
  count?: number;
  onMeasurement?: (measurement: Measurement, index: number, count: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function verify(options: VerifyOptions): Promise<AnalysisResult> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const environment = options.environment ?? 'production';
  const all = resolveEnvironment(config, environment);
  const names = options.services ?? [];
  for (const n of names)
    if (!all.some((s) => s.name === n)) {
      const guess = closestMatch(
        n,
        all.map((s) => s.name),
      );
      throw new UserError(`unknown service '${n}'`, guess ? `did you mean '${guess}'?` : undefined);
    }
  const targets = all
    .filter((s) => (names.length ? names.includes(s.name) : s.health.length > 0))
    .map((service) => ({ service, baseUrl: service.url }));
  const v = config.deploy.verify;
  const intervalMs = options.intervalMs ?? parseDuration(v.interval);
  const count = options.count ?? Math.max(1, Math.round(parseDuration(v.bake) / intervalMs));
  const measure = createMeasure({
    config,
    environment,
    env: base.env,
    signal: base.signal,
    redactor: base.redactor,
  });
  return runAnalysis({
    measure: async () => ({ checks: await measure(targets) }),
    intervalMs,
    count,
    failureLimit: v.failureLimit,
    inconclusiveLimit: v.inconclusiveLimit,
    sleep: options.sleep ?? ((ms) => sleep(ms)),
    now: options.now ?? Date.now,
    signal: base.signal,
    onMeasurement: (m, i) => options.onMeasurement?.(m, i, count),
  });
}
