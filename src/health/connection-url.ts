/**
 * Where a database's or cache's connection URL is: the variable the apps read it from. Looked up in order:
 * the service's own env contract, dependents' Railway-style references to it (`${{Redis.REDIS_URL}}`),
 * `<NAME>_URL`, then the conventional DATABASE_URL / REDIS_URL when the stack has only one such engine, then
 * a dependent's variable holding a URL of that engine when it depends on only one. The first set variable
 * with the engine's scheme wins.
 */
import type { ResolvedService } from '../config/index.js';

export type ConnectionEngine = 'postgres' | 'redis';

export interface ConnectionSource {
  engine: ConnectionEngine;
  url: string;
  /** The variable it came from (never the value), or `urls` when the config itself gives it. */
  variable: string;
}

const SCHEMES: Record<ConnectionEngine, string[]> = {
  postgres: ['postgres:', 'postgresql:'],
  redis: ['redis:', 'rediss:'],
};
const CONVENTIONAL: Record<ConnectionEngine, string[]> = {
  postgres: ['DATABASE_URL', 'POSTGRES_URL'],
  redis: ['REDIS_URL'],
};

/** The engine a probe can speak to, `undefined` when either might fit, `null` for one we cannot probe. */
export function engineOf(service: ResolvedService): ConnectionEngine | undefined | null {
  const name = service.engine?.name;
  if (name) {
    if (/postgres|supabase|neon|timescale/i.test(name)) return 'postgres';
    if (/redis|valkey|keydb|dragonfly/i.test(name)) return 'redis';
    return null;
  }
  if (service.platform === 'supabase' || service.platform === 'neon') return 'postgres';
  if (service.kind === 'cache') return 'redis';
  return undefined;
}

function engineOfUrl(url: string): ConnectionEngine | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0]?.toLowerCase() ?? '';
  return (Object.keys(SCHEMES) as ConnectionEngine[]).find((e) => SCHEMES[e].includes(scheme));
}

const upper = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

function candidateVariables(
  service: ResolvedService,
  all: readonly ResolvedService[],
  engine?: ConnectionEngine,
) {
  const names: string[] = [...Object.keys(service.env)];
  const dependents = all.filter((s) => s.dependencies.some((d) => d.service === service.name));
  // Service names are letters, digits, - and _: nothing to escape.
  const reference = new RegExp(`^\\$\\{\\{\\s*${service.name}\\.`, 'i');
  for (const s of all)
    for (const [key, spec] of Object.entries(s.env))
      if (spec.from && reference.test(spec.from)) names.push(key);
  names.push(`${upper(service.name)}_URL`, `${upper(service.name)}_DATABASE_URL`);
  const engines = (['postgres', 'redis'] as const).filter((e) => engine === undefined || e === engine);
  for (const e of engines) {
    const sameEngine = all.filter((s) => engineOf(s) === e);
    if (sameEngine.length === 1 && sameEngine[0]?.name === service.name) names.push(...CONVENTIONAL[e]);
  }
  // A dependent's own variable, when it depends on no other store this URL could be for (else it is ambiguous).
  const couldBe = (s: ResolvedService) => {
    const e = engineOf(s);
    return (s.kind === 'database' || s.kind === 'cache') && e !== null && (!engine || !e || e === engine);
  };
  for (const d of dependents) {
    const stores = d.dependencies
      .map((dep) => all.find((s) => s.name === dep.service))
      .filter((s) => s && couldBe(s));
    if (stores.length === 1) names.push(...Object.keys(d.env));
  }
  return [...new Set(names)];
}

/** The connection URL to probe, or why there is none (naming the variables looked for). */
export function findConnectionUrl(
  service: ResolvedService,
  all: readonly ResolvedService[],
  env: Record<string, string | undefined>,
): ConnectionSource | { reason: string } {
  const engine = engineOf(service);
  if (engine === null) return { reason: `no probe for ${service.engine?.name}` };
  if (service.url) {
    const fromConfig = engineOfUrl(service.url);
    if (fromConfig && (engine === undefined || engine === fromConfig))
      return { engine: fromConfig, url: service.url, variable: 'urls' };
  }
  const candidates = candidateVariables(service, all, engine);
  for (const variable of candidates) {
    const url = env[variable];
    const found = url ? engineOfUrl(url) : undefined;
    if (url && found && (engine === undefined || engine === found)) return { engine: found, url, variable };
  }
  const shown = candidates.filter((c) => /URL|URI|DSN/.test(c)).slice(0, 4);
  // DATABASE_URL set to something else (a typo, a mysql:// URL, a value with no scheme) read as "no URL" while
  // it plainly is set: name it, with the scheme expected (never the value).
  const wanted = engine ?? 'postgres';
  const wrong = CONVENTIONAL[wanted].find((v) => candidates.includes(v) && env[v]);
  const why = wrong ? `; ${wrong} is set but is not a ${SCHEMES[wanted][0]}// URL` : '';
  return { reason: `no URL to probe${shown.length ? ` (looked for ${shown.join(', ')})` : ''}${why}` };
}
