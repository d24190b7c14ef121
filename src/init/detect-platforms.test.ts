import { describe, expect, it } from 'vitest';
import { initFixture } from '../../test/support/init/fixture.js';

describe('init with a vercel.json', () => {
  it('writes a static Vercel site, named after its folder', async () => {
    const { config } = await initFixture({
      'frontend/vercel.json': JSON.stringify({ buildCommand: 'npm run build', outputDirectory: 'dist' }),
      'frontend/package.json': JSON.stringify({ dependencies: { react: '19' } }),
    });
    expect(config.services.frontend).toMatchObject({
      kind: 'static',
      platform: 'vercel',
      root: 'frontend',
      build: 'npm run build',
    });
    expect(config.services.frontend?.provider).toBeUndefined();
  });

  it('writes a web service for a server framework and names the linked project', async () => {
    const { config } = await initFixture({
      'vercel.json': JSON.stringify({ framework: 'nextjs' }),
      '.vercel/project.json': JSON.stringify({ projectId: 'prj_123', orgId: 'team_456' }),
    });
    expect(config.services.web).toMatchObject({
      kind: 'web',
      platform: 'vercel',
      provider: { type: 'vercel', project: 'prj_123', team: 'team_456' },
    });
  });
});

describe('init with Railway config as code', () => {
  it('reads railway.json: start command, health check path and replicas', async () => {
    const { config, diagnostics } = await initFixture({
      'railway.json': JSON.stringify({
        build: { builder: 'RAILPACK', buildCommand: 'npm run build' },
        deploy: { startCommand: 'node dist/server.js', healthcheckPath: '/api/health', numReplicas: 2 },
      }),
    });
    expect(config.services.app).toMatchObject({
      kind: 'web',
      platform: 'railway',
      provider: { type: 'railway' },
      start: 'node dist/server.js',
      replicas: 2,
      health: [{ type: 'readiness', path: '/api/health' }],
    });
    // Railway URLs are not predictable: the config says so and how to fix it.
    expect(diagnostics.map((d) => d.code)).toEqual(['config/health-without-url']);
  });

  it('reads railway.toml in a sub-folder, with a cron schedule', async () => {
    const { config } = await initFixture({
      'backend/railway.toml': '[deploy]\nstartCommand = "python cleanup.py"\ncronSchedule = "*/15 * * * *"\n',
    });
    expect(config.services.backend).toMatchObject({
      kind: 'cron',
      root: 'backend',
      schedule: '*/15 * * * *',
    });
  });

  it('reports a malformed railway.toml with its line and column', async () => {
    const { detection } = await initFixture({ 'railway.toml': '[deploy]\nstartCommand = \n' });
    expect(detection.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'init/unreadable-file',
        location: expect.objectContaining({ file: 'railway.toml', line: 2 }),
      }),
    );
  });
});

describe('init with a fly.toml', () => {
  const FLY = `
app = "notes-api"
primary_region = "ams"

[env]
  LOG_LEVEL = "info"
  PORT = "8080"

[deploy]
  release_command = "npx prisma migrate deploy"

[processes]
  app = "node server.js"
  jobs = "node jobs.js"

[http_service]
  internal_port = 8080
  processes = ["app"]

  [[http_service.checks]]
    interval = "15s"
    method = "GET"
    path = "/healthz"
`;

  it('writes the app with its fly.dev URL, HTTP check, [env] defaults and process groups', async () => {
    const { config, diagnostics } = await initFixture({ 'fly.toml': FLY });
    expect(config.services['notes-api']).toMatchObject({
      kind: 'web',
      platform: 'fly',
      provider: { type: 'fly', app: 'notes-api' },
      urls: { production: 'https://notes-api.fly.dev' },
      health: [{ type: 'liveness', path: '/healthz' }],
      env: { LOG_LEVEL: { default: 'info' }, PORT: { default: '8080', format: 'port' } },
    });
    expect(config.services['notes-api-jobs']).toMatchObject({ kind: 'worker', start: 'node jobs.js' });
    expect(diagnostics).toEqual([]);
  });

  it('uses the release command to run prisma migrations', async () => {
    const { config } = await initFixture({
      'fly.toml': FLY,
      'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n}\n',
    });
    expect(config.migrations).toMatchObject({ engine: 'prisma', command: 'npx prisma migrate deploy' });
  });
});

describe('init with a Procfile', () => {
  it('writes web and worker processes and fills them from package.json instead of adding look-alikes', async () => {
    const { config } = await initFixture({
      Procfile: 'web: gunicorn app:app\nworker: celery -A app worker\nrelease: alembic upgrade head\n',
      'package.json': JSON.stringify({ scripts: { start: 'node x.js' }, engines: { node: '>=20' } }),
    });
    expect(Object.keys(config.services)).toEqual(['web', 'worker']);
    expect(config.services.web).toMatchObject({
      kind: 'web',
      start: 'gunicorn app:app',
      runtime: 'node >=20',
    });
    expect(config.services.worker).toMatchObject({ kind: 'worker', start: 'celery -A app worker' });
  });

  it('fills in the platform service of the same kind rather than adding a second one', async () => {
    const { config } = await initFixture({
      'railway.json': JSON.stringify({ deploy: { healthcheckPath: '/health' } }),
      Procfile: 'web: npm start\n',
    });
    expect(Object.keys(config.services)).toEqual(['app']);
    expect(config.services.app).toMatchObject({ platform: 'railway', start: 'npm start' });
  });
});

describe('init in an empty folder', () => {
  it('writes a placeholder service and the built-in gates, without the env gate while no variable is known', async () => {
    const { config, detection } = await initFixture({ 'README.md': '# hi\n' });
    expect(Object.keys(config.services)).toEqual(['app']);
    expect(config.gates.map((g) => g.id)).toEqual(['git', 'secrets']);
    expect(detection.diagnostics.map((d) => d.code)).toEqual(['init/assumed-service']);
  });
});

describe('init with a Procfile and app.json (Heroku)', () => {
  it('writes Heroku services with the app, its URL, the release command and the app.json env', async () => {
    const { config } = await initFixture({
      Procfile: 'web: node server.js\nworker: node worker.js\nrelease: npx prisma migrate deploy\n',
      'app.json': JSON.stringify({
        name: 'shop-api',
        env: { SESSION_SECRET: { generator: 'secret' }, LOG_LEVEL: { value: 'info', required: false } },
      }),
    });
    const web = Object.values(config.services).find((s) => s.kind === 'web');
    expect(web).toMatchObject({
      platform: 'heroku',
      provider: { type: 'heroku', app: 'shop-api' },
      urls: { production: 'https://shop-api.herokuapp.com' },
    });
    expect(web?.env?.SESSION_SECRET).toMatchObject({ secret: true });
    expect(Object.values(config.services).some((s) => s.kind === 'worker' && s.platform === 'heroku')).toBe(
      true,
    );
  });
});

describe('init with a netlify.toml', () => {
  it('writes a static Netlify site named by `netlify link`', async () => {
    const { config } = await initFixture({
      'frontend/netlify.toml': '[build]\ncommand = "npm run build"\npublish = "dist"\n',
      'frontend/.netlify/state.json': JSON.stringify({ siteId: 'site-1234' }),
    });
    expect(config.services.frontend).toMatchObject({
      kind: 'static',
      platform: 'netlify',
      provider: { type: 'netlify', site: 'site-1234' },
      build: 'npm run build',
    });
  });
});
