import { describe, expect, it } from 'vitest';
import { type ResolvedService, resolveEnvironment } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { UserError } from '../errors.js';
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
});
