/** The contract in words, for the generated .env.example and the markdown docs. */
import { closestMatch, type EnvVarSpec, resolveEnvironment, type StackConfig } from '../../config/index.js';
import { UserError } from '../../errors.js';

export interface DescribedService {
  name: string;
  description?: string;
  env: Record<string, EnvVarSpec>;
}

/** The services to describe: as declared, or as one environment sees them; optionally just one. */
export function servicesToDescribe(
  config: StackConfig,
  environment?: string,
  service?: string,
): DescribedService[] {
  const all: DescribedService[] = environment
    ? resolveEnvironment(config, environment)
    : Object.entries(config.services).map(([name, s]) => ({ name, description: s.description, env: s.env }));
  if (!service) return all.filter((s) => Object.keys(s.env).length > 0);
  const one = all.find((s) => s.name === service);
  if (!one) {
    const guess = closestMatch(
      service,
      all.map((s) => s.name),
    );
    throw new UserError(
      `unknown service '${service}'${environment ? ` in ${environment}` : ''}`,
      guess ? `did you mean '${guess}'?` : `services: ${all.map((s) => s.name).join(', ')}`,
    );
  }
  return [one];
}

export function requiredText(spec: EnvVarSpec): string {
  if (!spec.required) return 'no';
  return spec.environments ? spec.environments.join(', ') : 'yes';
}

/** The rules beyond required/secret, e.g. `at least 32 characters`, `one of: DEBUG, INFO`. */
export function describeRules(spec: EnvVarSpec): string[] {
  const rules: string[] = [];
  if (spec.url) rules.push('absolute URL');
  if (spec.https === true) rules.push('https');
  else if (Array.isArray(spec.https) && spec.https.length) rules.push(`https in ${spec.https.join(', ')}`);
  if (spec.list) rules.push('comma-separated list');
  if (spec.minLength !== undefined) rules.push(`at least ${spec.minLength} characters`);
  if (spec.maxLength !== undefined) rules.push(`at most ${spec.maxLength} characters`);
  if (spec.enum) rules.push(`one of: ${spec.enum.join(', ')}`);
  if (spec.format) rules.push(`format: ${spec.format}`);
  if (spec.pattern) rules.push(`matches /${spec.pattern}/`);
  if (spec.from) rules.push(`set from ${spec.from} on the platform`);
  return rules;
}
