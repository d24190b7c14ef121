/** `opsbook doctor [SERVICE]`: flags → the doctor use-case → the findings, the likeliest cause first. */
import { doctor } from '../app/doctor.js';
import { EXIT } from '../errors.js';
import { configFor } from './config.js';
import { printDoctor } from './doctor-render.js';
import type { DOCTOR_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof DOCTOR_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const service = input.positionals[0];
  const { report, ok } = await doctor({
    cwd: input.cwd,
    config: loaded.config,
    configFile: loaded.file,
    environment: input.values.env,
    ...(service ? { service } : {}),
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
  });
  return { ok, data: report, exitCode: ok ? EXIT.ok : EXIT.failed, print: (out) => printDoctor(report, out) };
};
