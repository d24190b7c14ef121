import { describe, expect, it } from 'vitest';
import { type ResolvedService, resolveEnvironment } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { ProviderError, UserError } from '../errors.js';
import { createProviderContext } from './context.js';
import { createProvider } from './index.js';

function service(provider?: Record<string, unknown>): ResolvedService {
  const config = stackSchema.parse({
    name: 'test',
    environments: { production: {} },
    services: { api: { kind: 'web', ...(provider ? { provider } : {}) } },
  });
  return resolveEnvironment(config, 'production')[0]!;
}

function failure(s: ResolvedService): UserError {
  try {
    createProvider(s, { cwd: '.' });
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('createProvider', () => {
  it('builds the adapter registered for the provider type', () => {
    expect(createProvider(service({ type: 'local', command: 'node server.js' }), { cwd: '.' }).type).toBe(
      'local',
    );
    expect(createProvider(service({ type: 'command', deploy: 'railway up' }), { cwd: '.' }).type).toBe(
      'command',
    );
  });

  it('names the service and the fix when it has no provider', () => {
    const error = failure(service());
    expect(error.message).toContain("service 'api' has no provider");
    expect(error.hint).toContain('services.api.provider');
  });

  it('refuses a service whose provider type is none', () => {
    expect(failure(service({ type: 'none' })).message).toContain("service 'api' is not deployed by opsbook");
  });

  it('has an adapter for every deploying provider type the config accepts', () => {
    const settings: Record<string, unknown>[] = [
      { type: 'render', serviceId: 'srv-1' },
      { type: 'vercel', project: 'web' },
      { type: 'railway' },
      { type: 'fly', app: 'shop' },
      { type: 'heroku', app: 'shop' },
      { type: 'netlify', site: 'site-1' },
    ];
    for (const provider of settings)
      expect(createProvider(service(provider), { cwd: '.' }).type).toBe(provider.type);
  });

  it('reports a platform answer it cannot read (an empty body, an object where a list belongs) as a provider error, not a crash', async () => {
    const settings: Record<string, unknown>[] = [
      { type: 'render', serviceId: 'srv-1' },
      { type: 'vercel', project: 'web' },
      { type: 'railway', project: 'p', environment: 'e', service: 's' },
      { type: 'fly', app: 'shop' },
      { type: 'heroku', app: 'shop' },
      { type: 'netlify', site: 'site-1' },
    ];
    const env = {
      RENDER_API_KEY: 'k',
      VERCEL_TOKEN: 'k',
      RAILWAY_TOKEN: 'k',
      FLY_API_TOKEN: 'k',
      HEROKU_API_KEY: 'k',
      NETLIFY_AUTH_TOKEN: 'k',
    };
    for (const answer of ['', '{}', 'null', '[{}]']) {
      const ctx = createProviderContext({
        cwd: '.',
        env,
        sleep: async () => {},
        fetch: async () => new Response(answer, { status: 200 }),
      });
      for (const settingsOf of settings) {
        const provider = createProvider(service(settingsOf), { cwd: '.', env: {} });
        for (const call of [() => provider.getDeploy('dep-1', ctx), () => provider.listDeploys(ctx)]) {
          const outcome = await call().then(
            () => undefined,
            (error: unknown) => error,
          );
          // Reading nothing as "no deploys" is fine; a TypeError (exit 70, a stack trace) is not.
          if (outcome !== undefined)
            expect(outcome, `${settingsOf.type} answered ${answer || 'nothing'}`).toBeInstanceOf(
              ProviderError,
            );
        }
      }
    }
  });
});
