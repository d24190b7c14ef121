import { describe, expect, it } from 'vitest';
import type { StackConfigInput } from '../config/index.js';
import { stackSchema } from '../config/schema.js';
import { deriveMonitors } from './derive.js';

function stack(services: StackConfigInput['services'], monitoring: StackConfigInput['monitoring'] = {}) {
  return stackSchema.parse({ name: 'shop', monitoring, services });
}

describe('deriveMonitors', () => {
  it('times an endpoint without its own timeout out after monitoring.timeout, not a fixed 10 s', () => {
    const config = stack(
      {
        api: {
          kind: 'web',
          urls: { production: 'https://api.example.test/' },
          health: [
            { type: 'liveness', path: '/live' },
            { type: 'readiness', path: '/ready', timeout: '3s' },
          ],
        },
      },
      { timeout: '30s' },
    );
    const { monitors } = deriveMonitors({ config, environment: 'production', env: {} });
    expect(monitors.map((m) => [m.name, m.timeoutMs])).toEqual([
      ['liveness', 30_000],
      ['readiness', 3_000],
    ]);
  });

  it('monitors every health endpoint of the monitored types, with stable ids and per-endpoint intervals', () => {
    const config = stack(
      {
        api: {
          kind: 'web',
          urls: { production: 'https://api.example.test/' },
          health: [
            { type: 'liveness', path: '/health/live' },
            { type: 'deep', name: 'dependencies', path: '/health', interval: '15s', timeout: '3s' },
            { type: 'detailed', path: '/admin/health' },
            { type: 'smoke', path: '/' },
          ],
        },
        status: {
          kind: 'external',
          health: [{ type: 'ping', url: 'https://status.example.test/ping' }],
        },
      },
      { interval: '30s', retries: 2 },
    );
    const { monitors, notes } = deriveMonitors({ config, environment: 'production', env: {} });
    expect(monitors.map(({ check: _check, ...m }) => m)).toEqual([
      {
        id: 'production:api:liveness',
        environment: 'production',
        service: 'api',
        name: 'liveness',
        kind: 'http',
        target: 'GET https://api.example.test/health/live',
        intervalMs: 30_000,
        timeoutMs: 10_000,
        retries: 2,
      },
      {
        id: 'production:api:dependencies',
        environment: 'production',
        service: 'api',
        name: 'dependencies',
        kind: 'http',
        target: 'GET https://api.example.test/health',
        intervalMs: 15_000,
        timeoutMs: 3_000,
        retries: 2,
      },
      expect.objectContaining({
        id: 'production:status:ping',
        target: 'GET https://status.example.test/ping',
      }),
    ]);
    expect(notes).toEqual([]);
  });

  it('checks a database whose URL is found, and notes one without, never showing the password', () => {
    const config = stack({
      api: { kind: 'web', dependsOn: ['db', 'cache'] },
      db: { kind: 'database', engine: { name: 'postgres' } },
      cache: { kind: 'cache' },
    });
    const env = { DATABASE_URL: 'postgres://app:s3cret-pass@db.internal:5432/shop' };
    const { monitors, notes } = deriveMonitors({ config, environment: 'production', env });
    expect(monitors).toHaveLength(1);
    expect(monitors[0]).toMatchObject({
      id: 'production:db:postgres',
      kind: 'postgres',
      target: 'postgres://app@db.internal:5432/shop (from DATABASE_URL)',
      intervalMs: 60_000,
      timeoutMs: 5_000,
    });
    expect(JSON.stringify(monitors)).not.toContain('s3cret-pass');
    expect(notes).toEqual([{ service: 'cache', message: expect.stringContaining('no URL to probe') }]);
  });

  it('keeps ids unique when two endpoints share a name, and notes endpoints without a URL', () => {
    const config = stack({
      web: {
        kind: 'web',
        urls: { production: 'https://web.example.test' },
        health: [
          { type: 'readiness', path: '/ready' },
          { type: 'readiness', path: '/ready/deep' },
          { type: 'liveness', path: '/live', environments: ['staging'] },
        ],
      },
      worker: { kind: 'worker', health: [{ type: 'liveness', path: '/live' }] },
    });
    const { monitors, notes } = deriveMonitors({ config, environment: 'production', env: {} });
    expect(monitors.map((m) => m.id)).toEqual(['production:web:readiness', 'production:web:readiness-2']);
    expect(notes).toEqual([{ service: 'worker', message: expect.stringContaining('no URL to probe') }]);
  });
});
