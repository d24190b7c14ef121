/** `opsbook rollback`: confirmation → the rollback use-case → each service's move and the verdict. */
import { rollback } from '../app/rollback.js';
import { EXIT, UserError } from '../errors.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { ROLLBACK_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler<typeof ROLLBACK_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const environment = input.values.env ?? 'production';
  const services = input.positionals;
  if (!input.values.yes) {
    const ask = askFor(input);
    if (!ask)
      throw new UserError(`rolling back ${environment} needs confirmation`, 'pass --yes in scripts and CI');
    if (!(await ask(`Roll back ${services.join(', ') || 'every service'} in ${environment}?`)))
      throw new UserError('rollback cancelled');
  }
  const result = await rollback({
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    environment,
    services,
    to: input.values.to,
    reason: input.values.reason,
    resume: input.values.resume,
    onProgress: (m) => input.out.note(`▸ ${m}`),
    log: (m) => input.out.note(m),
  });
  return {
    ok: result.status === 'rolled-back',
    exitCode:
      result.status === 'locked' ? EXIT.locked : result.status === 'rolled-back' ? EXIT.ok : EXIT.failed,
    data: result,
    print: (out) => {
      for (const s of result.services)
        out.line(
          `${s.error ? out.style('red', '✗') : out.style('green', '✓')} ${s.service}: ${s.from ?? '?'} → ${s.to}${s.error ? ` (${s.error})` : ''}`,
        );
      if (result.verification)
        out.line(`verification: ${result.verification.outcome} (${result.verification.reason})`);
      if (result.status === 'rolled-back')
        out.success(
          `${result.message}; ${environment} stays locked until 'opsbook unlock --env ${environment}'`,
        );
      else out.error(result.message);
    },
  };
};
