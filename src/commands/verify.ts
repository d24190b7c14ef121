/** `opsbook verify`: flags → the verify use-case → each measurement and the verdict. */
import { verify } from '../app/verify.js';
import { parseDuration } from '../config/index.js';
import { EXIT, UserError } from '../errors.js';
import { measurementDetail } from '../verify/index.js';
import { configFor } from './config.js';
import { progressPrinter } from './deploy-render.js';
import type { VERIFY_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

function positiveDuration(text: string): number {
  let ms = 0;
  try {
    ms = parseDuration(text);
  } catch {
    // reported below with the flag's name
  }
  if (ms <= 0)
    throw new UserError(`--interval '${text}' is not a duration above 0`, 'e.g. --interval 5s (ms, s, m, h)');
  return ms;
}

export const run: CommandHandler<typeof VERIFY_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const interval = input.values.interval;
  const countText = input.values.count;
  const count = countText === undefined ? undefined : Number(countText);
  if (count !== undefined && (!Number.isInteger(count) || count < 1))
    throw new UserError('--count must be a whole number of measurements', 'e.g. --count 3');
  const printer = progressPrinter(input.out);
  const result = await verify({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment: input.values.env,
    services: input.values.service,
    ...(interval !== undefined ? { intervalMs: positiveDuration(interval) } : {}),
    ...(count !== undefined ? { count } : {}),
    onMeasurement: (m, index, total) =>
      printer({
        type: 'measurement',
        index,
        count: total,
        outcome: m.outcome,
        detail: measurementDetail(m.checks),
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
