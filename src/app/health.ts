/** The health use-case: every service of the environment probed once, each one's state and the stack's. */
import { checkHealth, type HealthReport } from '../health/index.js';
import { type ConfigOptions, configOf, resolveOptions } from './context.js';

export interface HealthOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Only this service. */
  service?: string;
  fetch?: typeof fetch;
}

export async function health(options: HealthOptions): Promise<HealthReport> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  return checkHealth({
    config,
    environment: options.environment ?? 'production',
    env: base.env,
    signal: base.signal,
    redactor: base.redactor,
    ...(options.service ? { service: options.service } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
