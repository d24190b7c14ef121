/** The env contract's secret values, registered with the one redactor before anything can print or store them. */
import type { Redactor } from '../redact/index.js';
import type { StackConfig } from './schema.js';

/** Every variable the contract marks secret in any service, base or per-environment override. */
export function contractSecretNames(config: StackConfig): Set<string> {
  const names = new Set<string>();
  for (const service of Object.values(config.services)) {
    for (const [name, spec] of Object.entries(service.env)) if (spec.secret) names.add(name);
    for (const override of Object.values(service.overrides ?? {}))
      for (const [name, spec] of Object.entries(override.env ?? {})) if (spec.secret) names.add(name);
  }
  return names;
}

export function registerContractSecrets(
  config: StackConfig,
  env: Record<string, string | undefined>,
  redactor: Pick<Redactor, 'add'>,
): void {
  redactor.add([...contractSecretNames(config)].map((name) => env[name]));
}
