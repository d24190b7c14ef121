/** The rollback use-case: services back to their last verified release, verified, the environment left locked. */
import { currentActor } from '../actor/index.js';
import { type RollbackResult, rollbackEnvironment } from '../deploy/index.js';
import { createProviderContext } from '../providers/context.js';
import { createProvider } from '../providers/index.js';
import type { Store } from '../store/index.js';
import { createMeasure } from '../verify/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';

export interface RollbackUseCaseOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Default: every service of the environment. */
  services?: string[];
  /** The release to go back to (default: the last verified one). */
  to?: string;
  reason?: string;
  /** Finish the rollback run that was cut short. */
  resume?: boolean;
  onProgress?: (message: string) => void;
  /** Provider messages worth a person's attention. */
  log?: (message: string) => void;
  store?: Store;
  actor?: string;
}

export async function rollback(options: RollbackUseCaseOptions): Promise<RollbackResult> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const environment = options.environment ?? 'production';
  return withStore(options.store, base, (store) =>
    rollbackEnvironment({
      config,
      environment,
      store,
      actor: options.actor ?? currentActor(base.cwd, base.env),
      providerFor: (s) => createProvider(s, { cwd: base.cwd, env: base.env }),
      providerCtx: createProviderContext({ ...base, log: options.log ?? (() => {}) }),
      measure: createMeasure({
        config,
        environment,
        env: base.env,
        signal: base.signal,
        redactor: base.redactor,
      }),
      services: options.services ?? [],
      to: options.to,
      reason: options.reason,
      resume: options.resume ?? false,
      onProgress: options.onProgress,
    }),
  );
}
