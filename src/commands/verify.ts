import { closestMatch, parseDuration, resolveEnvironment } from '../config/index.js';
import { EXIT, UserError } from '../errors.js';
import { createMeasure, runAnalysis } from '../verify/index.js';
import { flagList, flagString } from './args.js';
import { configFor } from './config.js';
import { progressPrinter } from './deploy-render.js';
import type { CommandHandler } from './types.js';

/** `opsbook verify`: the deploy's bake-window analysis on its own, against what serves now. */
export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { config } = loaded;
  const environment = flagString(input, 'env') ?? 'production';
  const all = resolveEnvironment(config, environment);
  const names = flagList(input, 'service');
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
  const interval = flagString(input, 'interval');
  let intervalMs = 0;
  try {
    intervalMs = parseDuration(interval ?? v.interval);
  } catch {
    // reported below with the flag's name
  }
  if (intervalMs <= 0)
    throw new UserError(
      `--interval '${interval}' is not a duration above 0`,
      'e.g. --interval 5s (ms, s, m, h)',
    );
  const count = Number(
    flagString(input, 'count') ?? Math.max(1, Math.round(parseDuration(v.bake) / intervalMs)),
  );
  if (!Number.isInteger(count) || count < 1)
    throw new UserError('--count must be a whole number of measurements', 'e.g. --count 3');
  const printer = progressPrinter(input.out);
  const measure = createMeasure({
    config,
    environment,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
  });
  const result = await runAnalysis({
    measure: async () => ({ checks: await measure(targets) }),
    intervalMs,
    count,
    failureLimit: v.failureLimit,
    inconclusiveLimit: v.inconclusiveLimit,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: Date.now,
    signal: input.signal,
    onMeasurement: (m, i) =>
      printer({
        type: 'measurement',
        index: i,
        count,
        outcome: m.outcome,
        detail: m.checks.map((c) => `${c.name} ${c.outcome === 'successful' ? 'ok' : c.detail}`).join('; '),
      }),
  });
  return {
    ok: result.outcome === 'successful',
    exitCode: result.outcome === 'successful' ? EXIT.ok : EXIT.failed,
    data: result,
    print: (out) =>
      result.outcome === 'successful'
        ? out.success(`verified: ${result.reason}`)
        : out.error(`${result.outcome}: ${result.reason}`),
  };
};
