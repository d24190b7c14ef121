/** Railway-style `${{Service.VAR}}` references: does the service exist here, and does it have that variable? */
import { closestMatch, type ResolvedService, type StackConfig } from '../../config/index.js';

export interface Reference {
  namespace: string;
  variable: string;
}

const REFERENCE = /\$\{\{\s*([A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * What Railway (and similar platforms) set on database and cache services without any contract; the lower-case
 * ones are the properties a Render Blueprint's fromDatabase / fromService reads, which `opsbook init` copies.
 */
const DATASTORE_VARIABLES = new Set([
  'DATABASE_URL',
  'DATABASE_PUBLIC_URL',
  'PGHOST',
  'PGPORT',
  'PGUSER',
  'PGPASSWORD',
  'PGDATABASE',
  'PGDATA',
  'POSTGRES_USER',
  'POSTGRES_PASSWORD',
  'POSTGRES_DB',
  'REDIS_URL',
  'REDIS_PUBLIC_URL',
  'REDISHOST',
  'REDISPORT',
  'REDISUSER',
  'REDISPASSWORD',
  'REDIS_PASSWORD',
  'connectionString',
  'host',
  'port',
  'user',
  'password',
  'database',
]);

export function findReferences(value: string): Reference[] {
  return [...value.matchAll(REFERENCE)].map((m) => ({ namespace: m[1]!, variable: m[2]! }));
}

export function hasTemplate(value: string): boolean {
  return /\$\{/.test(value);
}

/** The config service a reference's namespace names: its id (any case) or its Railway service name. */
function findService(config: StackConfig, namespace: string): string | undefined {
  return Object.entries(config.services).find(
    ([id, svc]) =>
      id.toLowerCase() === namespace.toLowerCase() ||
      (svc.provider?.type === 'railway' && svc.provider.service === namespace),
  )?.[0];
}

/** A message and fix when the reference does not resolve in this environment, else undefined. */
export function checkReference(
  ref: Reference,
  config: StackConfig,
  environment: string,
  services: ResolvedService[],
): { message: string; hint: string } | undefined {
  const text = `\${{${ref.namespace}.${ref.variable}}}`;
  // Railway's project-wide shared variables live outside any service's contract; opsbook cannot check them.
  if (ref.namespace === 'shared') return undefined;
  const id = findService(config, ref.namespace);
  if (!id) {
    const guess = closestMatch(ref.namespace, Object.keys(config.services));
    return {
      message: `${text} names a service '${ref.namespace}' that the config does not declare`,
      hint: guess ? `did you mean ${guess}?` : `declare the service under services, or fix the reference`,
    };
  }
  const target = services.find((s) => s.name === id);
  if (!target)
    return {
      message: `${text} names ${id}, which is disabled in ${environment}`,
      hint: `enable ${id} in ${environment} (overrides.${environment}.disabled) or point the reference elsewhere`,
    };
  if (ref.variable in target.env || ref.variable.startsWith('RAILWAY_')) return undefined;
  const datastore = target.kind === 'database' || target.kind === 'cache';
  if (datastore && DATASTORE_VARIABLES.has(ref.variable)) return undefined;
  const known = [...Object.keys(target.env), ...(datastore ? DATASTORE_VARIABLES : [])];
  const guess = closestMatch(ref.variable, known);
  return {
    message: `${text}: ${id} has no variable ${ref.variable} in its env contract${datastore ? ' or among the platform-provided ones' : ''}`,
    hint: guess ? `did you mean ${guess}?` : `declare ${ref.variable} under services.${id}.env`,
  };
}
