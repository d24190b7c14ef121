/** The slo use-case: error budget remaining and burn rates of every SLO of the environment, from the monitor history. */
import { UserError } from '../errors.js';
import { readSloReport, type SloReport } from '../slo/index.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';

export interface SloOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Only this SLO. */
  slo?: string;
  /** The clock (ms since epoch). */
  now?: number;
  store?: Store;
}

export async function slo(options: SloOptions): Promise<SloReport> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  if (options.slo && !config.slos.some((s) => s.id === options.slo))
    throw new UserError(
      `no SLO '${options.slo}'`,
      `configured: ${config.slos.map((s) => s.id).join(', ') || 'none (add slos: to opsbook.yaml)'}`,
    );
  return withStore(options.store, base, (store) =>
    readSloReport({
      store,
      config,
      environment: options.environment ?? 'production',
      ...(options.now !== undefined ? { now: options.now } : {}),
      ...(options.slo ? { slo: options.slo } : {}),
    }),
  );
}
