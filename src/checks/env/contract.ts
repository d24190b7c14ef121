/** The env contract of one environment as a flat list, and the questions the rules ask of it. */
import { type EnvVarSpec, resolveEnvironment, type StackConfig } from '../../config/index.js';

export interface ContractEntry {
  service: string;
  key: string;
  spec: EnvVarSpec;
  /** Config path of the declaration, e.g. `services.api.env.JWT_SECRET`. */
  path: string;
}

export function contractFor(config: StackConfig, environment: string): ContractEntry[] {
  return resolveEnvironment(config, environment).flatMap((svc) =>
    Object.entries(svc.env).map(([key, spec]) => ({
      service: svc.name,
      key,
      spec,
      path: `services.${svc.name}.env.${key}`,
    })),
  );
}

/** Keys marked secret by any service in any environment: what the redactor and the reuse check cover. */
export function secretKeys(config: StackConfig): Set<string> {
  const keys = new Set<string>();
  for (const environment of Object.keys(config.environments))
    for (const e of contractFor(config, environment)) if (e.spec.secret) keys.add(e.key);
  return keys;
}

/** Absent is a problem only when required here and nothing else supplies it (a default or a platform reference). */
export function isRequiredIn(spec: EnvVarSpec, environment: string): boolean {
  if (!spec.required) return false;
  if (spec.environments && !spec.environments.includes(environment)) return false;
  return spec.default === undefined && spec.from === undefined;
}

export function httpsRequiredIn(spec: EnvVarSpec, environment: string): boolean {
  return spec.https === true || (Array.isArray(spec.https) && spec.https.includes(environment));
}

/** Production and protected environments get errors where others get warnings (placeholders, weak secrets). */
export function isProductionLike(config: StackConfig, environment: string): boolean {
  return environment === 'production' || config.environments[environment]?.protected === true;
}
