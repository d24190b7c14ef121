import { describe, expect, it } from 'vitest';
import { resolveEnvironment, type StackConfigInput } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { findConnectionUrl } from './connection-url.js';

const PG = 'postgres://app:pw@db:5432/app';
const REDIS = 'redis://:pw@cache:6379';

function find(services: StackConfigInput['services'], name: string, env: Record<string, string>) {
  const all = resolveEnvironment(stackSchema.parse({ name: 'x', services }), 'production');
  const service = all.find((s) => s.name === name);
  if (!service) throw new Error(`no ${name}`);
  return findConnectionUrl(service, all, env);
}

describe('findConnectionUrl', () => {
  it("takes the database's own contract variable first", () => {
    const services = { db: { kind: 'database' as const, env: { PRIMARY_DSN: {} } } };
    expect(find(services, 'db', { PRIMARY_DSN: PG, DATABASE_URL: 'postgres://other' })).toEqual({
      engine: 'postgres',
      url: PG,
      variable: 'PRIMARY_DSN',
    });
  });

  it("follows a dependent's Railway-style reference to the service", () => {
    const services = {
      Redis: { kind: 'cache' as const },
      worker: {
        kind: 'worker' as const,
        dependsOn: ['Redis'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Railway's reference syntax, not a template
        env: { BROKER: { from: '${{Redis.REDIS_URL}}' } },
      },
    };
    expect(find(services, 'Redis', { BROKER: REDIS })).toMatchObject({ variable: 'BROKER', engine: 'redis' });
  });

  it('uses DATABASE_URL only when the stack has a single postgres', () => {
    const one = { db: { kind: 'database' as const, engine: { name: 'postgres' } } };
    expect(find(one, 'db', { DATABASE_URL: PG })).toMatchObject({ variable: 'DATABASE_URL' });
    const two = { ...one, analytics: { kind: 'database' as const, engine: { name: 'postgres' } } };
    expect(find(two, 'db', { DATABASE_URL: PG })).toEqual({
      reason: 'no URL to probe (looked for DB_URL, DB_DATABASE_URL)',
    });
    expect(find(two, 'analytics', { ANALYTICS_URL: PG })).toMatchObject({ variable: 'ANALYTICS_URL' });
  });

  it("reads a dependent's variable holding a URL of the engine when it depends on one store only", () => {
    const services = {
      app: {
        kind: 'web' as const,
        dependsOn: ['redis', 'clerk'],
        env: { UPSTASH_REDIS_URL: { secret: true } },
      },
      redis: { kind: 'cache' as const, engine: { name: 'redis' } },
      clerk: { kind: 'external' as const },
    };
    expect(find(services, 'redis', { UPSTASH_REDIS_URL: REDIS })).toMatchObject({
      variable: 'UPSTASH_REDIS_URL',
    });
  });

  it('skips variables whose scheme is not the engine (SUPABASE_URL is the https API)', () => {
    const services = { supabase: { kind: 'database' as const, platform: 'supabase' as const } };
    expect(find(services, 'supabase', { SUPABASE_URL: 'https://abc.supabase.co', REDIS_URL: REDIS })).toEqual(
      {
        reason:
          'no URL to probe (looked for SUPABASE_URL, SUPABASE_DATABASE_URL, DATABASE_URL, POSTGRES_URL)',
      },
    );
    expect(find(services, 'supabase', { SUPABASE_DATABASE_URL: PG })).toMatchObject({ engine: 'postgres' });
  });

  it('says so when DATABASE_URL is set but is no postgres URL, without showing it', () => {
    const services = { db: { kind: 'database' as const, engine: { name: 'postgres' } } };
    const found = find(services, 'db', { DATABASE_URL: 'mysql://app:hunter2@db/app' });
    expect(found).toEqual({
      reason:
        'no URL to probe (looked for DB_URL, DB_DATABASE_URL, DATABASE_URL, POSTGRES_URL); DATABASE_URL is set but is not a postgres:// URL',
    });
  });

  it('takes a connection URL written in the config, and names engines it cannot probe', () => {
    const services = {
      cache: { kind: 'cache' as const, urls: { production: 'redis://cache.internal:6379' } },
      graph: { kind: 'database' as const, engine: { name: 'neo4j' }, urls: { production: 'bolt://g:7687' } },
    };
    expect(find(services, 'cache', {})).toEqual({
      engine: 'redis',
      url: 'redis://cache.internal:6379',
      variable: 'urls',
    });
    expect(find(services, 'graph', {})).toEqual({ reason: 'no probe for neo4j' });
  });
});
