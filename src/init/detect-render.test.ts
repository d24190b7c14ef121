import { describe, expect, it } from 'vitest';
import { initFixture } from '../../test/support/init/fixture.js';

const BLUEPRINT = `
services:
  - type: web
    name: aria-backend
    runtime: python
    rootDir: backend
    buildCommand: pip install -r requirements.txt
    startCommand: uvicorn app.main:app --host 0.0.0.0 --port $PORT
    healthCheckPath: /health
    branch: main
    domains: [api.example.com]
    envVars:
      - key: ENVIRONMENT
        value: production
      - key: OPENAI_API_KEY
        sync: false
      - key: SESSION_SECRET
        generateValue: true
      - key: DATABASE_URL
        fromDatabase:
          name: aria-db
          property: connectionString
      - key: REDIS_URL
        fromService:
          type: keyvalue
          name: aria-cache
          property: connectionString
      - key: WORKER_TOKEN
        fromService:
          type: worker
          name: aria-jobs
          envVarKey: INTERNAL_TOKEN
      - key: LEAKED
        value: sk_live_abcdefghijklmnop1234
      - fromGroup: shared-settings
  - type: worker
    name: aria-jobs
    runtime: python
    startCommand: python -m app.jobs
  - type: cron
    name: nightly-report
    runtime: python
    schedule: "0 3 * * *"
    startCommand: python -m app.report
  - type: web
    name: marketing
    runtime: static
    buildCommand: npm run build
  - type: keyvalue
    name: aria-cache
    ipAllowList: []
databases:
  - name: aria-db
    postgresMajorVersion: "16"
`;

describe('init with a render.yaml', () => {
  it('maps every Render service type to its kind, with the Render provider on deployables', async () => {
    const { config } = await initFixture({ 'render.yaml': BLUEPRINT });
    const kinds = Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, s.kind]));
    expect(kinds).toEqual({
      'aria-db': 'database',
      'aria-backend': 'web',
      'aria-jobs': 'worker',
      'nightly-report': 'cron',
      marketing: 'static',
      'aria-cache': 'cache',
    });
    expect(config.services['aria-backend']).toMatchObject({
      platform: 'render',
      provider: { type: 'render', serviceName: 'aria-backend' },
      root: 'backend',
      start: 'uvicorn app.main:app --host 0.0.0.0 --port $PORT',
      urls: { production: 'https://api.example.com' },
      health: [{ type: 'readiness', path: '/health' }],
    });
    expect(config.services['nightly-report']?.schedule).toBe('0 3 * * *');
    expect(config.services['aria-db']?.engine).toEqual({ name: 'postgres', version: '16' });
    expect(config.services['aria-cache']?.provider).toBeUndefined();
  });

  it('turns sync: false and generateValue into secrets and from* into references and dependencies', async () => {
    const { config } = await initFixture({ 'render.yaml': BLUEPRINT });
    const api = config.services['aria-backend']!;
    expect(api.env.ENVIRONMENT).toMatchObject({ secret: false, default: 'production' });
    expect(api.env.OPENAI_API_KEY).toMatchObject({ secret: true });
    expect(api.env.SESSION_SECRET).toMatchObject({ secret: true });
    expect(api.env.DATABASE_URL).toMatchObject({ secret: true, from: `\${{aria-db.connectionString}}` });
    expect(api.env.REDIS_URL).toMatchObject({ from: `\${{aria-cache.connectionString}}` });
    expect(api.env.WORKER_TOKEN).toMatchObject({ from: `\${{aria-jobs.INTERNAL_TOKEN}}` });
    expect(config.services['aria-jobs']?.env.INTERNAL_TOKEN).toMatchObject({ secret: true });
    expect(api.dependsOn).toEqual(['aria-db', 'aria-cache', 'aria-jobs']);
    for (const spec of Object.values(api.env)) if (spec.secret) expect(spec.default).toBeUndefined();
  });

  it('never copies a literal value that looks like a key', async () => {
    const { text, config } = await initFixture({ 'render.yaml': BLUEPRINT });
    expect(config.services['aria-backend']?.env.LEAKED).toMatchObject({ secret: true });
    expect(text).not.toContain('sk_live_');
  });

  it('follows Render auto-deploys on push and notes env groups it cannot see', async () => {
    const { config, detection } = await initFixture({ 'render.yaml': BLUEPRINT });
    expect(config.deploy.trigger).toBe('push');
    expect(config.environments.production).toMatchObject({
      protected: true,
      branch: 'main',
      autoDeploy: true,
    });
    expect(detection.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'init/env-group', severity: 'info' }),
    );
  });

  it('warns with the line of a malformed render.yaml and still writes a valid config', async () => {
    const { detection } = await initFixture({ 'render.yaml': 'services:\n  - type: web\n   name: broken\n' });
    expect(detection.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'init/unreadable-file',
        location: expect.objectContaining({ file: 'render.yaml', line: 3 }),
      }),
    );
  });
});
