import { currentActor } from '../actor/index.js';
import { rollbackEnvironment } from '../deploy/index.js';
import { EXIT, UserError } from '../errors.js';
import { createProviderContext } from '../providers/context.js';
import { createProvider } from '../providers/index.js';
import { openStore } from '../store/index.js';
import { createMeasure } from '../verify/index.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import { askFor } from './prompt.js';
import type { CommandHandler } from './types.js';

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const { config } = loaded;
  const environment = flagString(input, 'env') ?? 'production';
  const services = input.positionals;
  if (!flagBool(input, 'yes')) {
    const ask = askFor(input);
    if (!ask)
      throw new UserError(`rolling back ${environment} needs confirmation`, 'pass --yes in scripts and CI');
    if (!(await ask(`Roll back ${services.join(', ') || 'every service'} in ${environment}?`)))
      throw new UserError('rollback cancelled');
  }
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  try {
    const result = await rollbackEnvironment({
      config,
      environment,
      store,
      actor: currentActor(input.cwd, input.env),
      providerFor: (s) => createProvider(s, { cwd: input.cwd, env: input.env }),
      providerCtx: createProviderContext({
        cwd: input.cwd,
        env: input.env,
        signal: input.signal,
        redactor: input.out.redactor,
        log: (m) => input.out.note(m),
      }),
      measure: createMeasure({
        config,
        environment,
        env: input.env,
        signal: input.signal,
        redactor: input.out.redactor,
      }),
      services,
      to: flagString(input, 'to'),
      reason: flagString(input, 'reason'),
      resume: flagBool(input, 'resume'),
      onProgress: (m) => input.out.note(`▸ ${m}`),
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
  } finally {
    await store.close();
  }
};
