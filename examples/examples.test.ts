import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig, type StackConfig } from '../src/config/index.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const RUNBOOKS = ['aria', 'ara', 'ayni', 'kamiyo', 'prompt-studio'];
// Every folder with a config, so examples added later (the demo) are validated too.
const examples = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'opsbook.yaml')))
  .map((d) => d.name)
  .sort();

async function load(name: string): Promise<StackConfig> {
  const result = await loadConfig({ cwd: root, file: join(name, 'opsbook.yaml') });
  if (!result.config) throw new Error(`${name}: ${JSON.stringify(result.diagnostics)}`);
  return result.config;
}

function service(config: StackConfig, name: string) {
  const svc = config.services[name];
  if (!svc) throw new Error(`no service ${name}`);
  return svc;
}

/** The criticality of each dependency: { supabase: true, neo4j: false }. */
function dependencies(config: StackConfig, name: string): Record<string, boolean> {
  return Object.fromEntries(
    service(config, name).dependsOn.map((d) => (typeof d === 'string' ? [d, true] : [d.service, d.critical])),
  );
}

describe('examples', () => {
  it('has one example per reference runbook', () => {
    expect(examples).toEqual(expect.arrayContaining(RUNBOOKS));
  });

  it.each(examples)('%s/opsbook.yaml validates with no errors and no warnings', async (name) => {
    const result = await loadConfig({ cwd: root, file: join(name, 'opsbook.yaml') });
    // The runbooks describe incidents, backups and maintenance that opsbook does not act on yet; validate says so
    // (config/not-supported-yet, src/config/field-support.ts) and nothing else may be wrong. A runbook that
    // names no channel or a target opsbook cannot track gets its warning, which its README must own up to.
    const readme = existsSync(join(root, name, 'README.md'))
      ? readFileSync(join(root, name, 'README.md'), 'utf8')
      : '';
    const owned: Record<string, RegExp> = {
      'config/alert-without-channel': /names (no|none).*route[s]? nowhere|names no channel/,
      'config/untracked-response-target': /next business day.*not tracked/,
      'config/unheard-target': /severities route nowhere/,
    };
    const problems = result.diagnostics.filter(
      (d) =>
        d.severity !== 'info' &&
        d.code !== 'config/not-supported-yet' &&
        !(d.code && owned[d.code]?.test(readme)),
    );
    expect(problems).toEqual([]);
    expect(result.config).toBeDefined();
  });

  it.each(examples)('%s writes no secret value: secret variables have no default', async (name) => {
    const config = await load(name);
    const withDefault = Object.values(config.services).flatMap((svc) =>
      Object.entries(svc.env).filter(([, spec]) => spec.secret && spec.default !== undefined),
    );
    expect(withDefault).toEqual([]);
  });

  it.each(RUNBOOKS)(
    '%s: nothing about incidents, alerts or upstreams is accepted without being acted on',
    async (name) => {
      const result = await loadConfig({ cwd: root, file: join(name, 'opsbook.yaml') });
      const idle = result.diagnostics.filter(
        (d) =>
          d.code === 'config/not-supported-yet' &&
          /^(incidents|alerts|upstreams|statusPage|channels)\b/.test(d.location?.path ?? ''),
      );
      expect(idle).toEqual([]);
    },
  );

  it.each(RUNBOOKS)('%s/README.md lists what is not expressible yet', (name) => {
    const readme = readFileSync(join(root, name, 'README.md'), 'utf8');
    expect(readme).toMatch(/^## Not expressible yet\n\n- /m);
  });
});

describe('aria', async () => {
  const config = await load('aria');

  it('has the architecture table: API, cron every 15 minutes, frontend, Supabase, Neo4j', () => {
    const table = ['aria-api', 'aria-scheduler', 'aria-frontend', 'supabase', 'neo4j'].map((n) => {
      const s = service(config, n);
      return [n, s.kind, s.platform];
    });
    expect(table).toEqual([
      ['aria-api', 'web', 'render'],
      ['aria-scheduler', 'cron', 'render'],
      ['aria-frontend', 'static', 'vercel'],
      ['supabase', 'database', 'supabase'],
      ['neo4j', 'database', 'other'],
    ]);
    expect(service(config, 'aria-scheduler').schedule).toBe('*/15 * * * *');
  });

  it('marks the database critical and Neo4j, Tavus, Claude and Exa non-critical', () => {
    expect(dependencies(config, 'aria-api')).toMatchObject({
      supabase: true,
      neo4j: false,
      tavus: false,
      anthropic: false,
      exa: false,
    });
  });

  it('has the four health endpoints with their types, the ping every 5 minutes, detailed behind auth', () => {
    const health = service(config, 'aria-api').health;
    expect(health.slice(0, 4).map((h) => [h.path, h.type])).toEqual([
      ['/health', 'liveness'],
      ['/api/v1/health', 'deep'],
      ['/api/v1/health/ping', 'ping'],
      ['/api/v1/health/detailed', 'detailed'],
    ]);
    expect(health[2]?.interval).toBe('5m');
    expect(health[3]?.auth?.type).toBe('bearer');
    expect(health[1]?.degraded).toEqual([{ path: 'status', equals: 'degraded' }]);
  });

  it('has the env contract: six required variables, enums and defaults of the app config', () => {
    const env = service(config, 'aria-api').env;
    expect(Object.keys(env).filter((k) => env[k]?.required)).toEqual([
      'APP_SECRET_KEY',
      'ANTHROPIC_API_KEY',
      'SUPABASE_URL',
      'SUPABASE_ANON_KEY',
      'SUPABASE_SERVICE_ROLE_KEY',
      'OPENAI_API_KEY',
    ]);
    expect(env.LOG_LEVEL).toMatchObject({ default: 'INFO', enum: ['DEBUG', 'INFO', 'WARNING', 'ERROR'] });
    expect(env.CORS_ORIGINS).toMatchObject({ list: true, https: ['production'] });
    expect(env.NEO4J_URI?.default).toBe('bolt://localhost:7687');
  });

  it('has the pre-deploy checklist with cwd, and the Supabase migrations', () => {
    expect(config.gates.find((g) => g.id === 'backend-tests')).toMatchObject({
      run: 'pytest tests/ -v',
      cwd: 'backend',
    });
    expect(config.gates.filter((g) => g.builtin).map((g) => g.builtin)).toEqual([
      'secrets',
      'migrations',
      'env',
    ]);
    expect(config.migrations).toMatchObject({ engine: 'supabase', dir: 'backend/supabase/migrations' });
    expect(config.migrations?.notes).toHaveLength(4);
  });
});

describe('ara', async () => {
  const config = await load('ara');

  it("has alerts.yml's thresholds: error rate > 5% and p95 > 2s, both for 5 minutes", () => {
    expect(config.alerts.map((a) => [a.when, a.above, a.percentile, a.for])).toEqual([
      ['error-rate', '5%', undefined, '5m'],
      ['latency', '2s', 95, '5m'],
    ]);
  });

  it('backs up daily with pg_dump to R2, keeping 30 days', () => {
    expect(config.backups).toHaveLength(1);
    expect(config.backups[0]).toMatchObject({
      database: 'postgres',
      schedule: 'daily',
      retention: { days: 30 },
      destination: { type: 's3', bucket: 'ara-backups' },
    });
  });

  it('has the four weekly, monthly and quarterly chores, with built-in checks where opsbook can do them', () => {
    // A checklist counts its items; a task with a check is one chore that produces its own evidence.
    const chores = (every: string) =>
      config.maintenance.filter((t) => t.every === every).reduce((n, t) => n + (t.checklist?.length ?? 1), 0);
    expect([chores('weekly'), chores('monthly'), chores('quarterly')]).toEqual([4, 4, 4]);
    expect(config.maintenance.filter((t) => t.check).map((t) => [t.every, t.check])).toEqual([
      ['weekly', 'dependencies'],
      ['weekly', 'backup-drill'],
      ['monthly', 'postgres-health'],
      ['quarterly', 'backup-drill'],
    ]);
  });

  it('validates key lengths and production Clerk keys', () => {
    const web = service(config, 'web');
    expect(web.env.ENCRYPTION_KEY).toMatchObject({ secret: true, minLength: 32 });
    expect(web.overrides?.production?.env?.CLERK_SECRET_KEY?.pattern).toBe('^sk_live_');
    expect(config.migrations).toMatchObject({ engine: 'prisma', command: 'npx prisma migrate deploy' });
  });
});

describe('ayni', async () => {
  const config = await load('ayni');

  it("checks Render's status page, the Statuspage one of the two its emergency step names", () => {
    expect(config.upstreams).toEqual([
      {
        id: 'render',
        name: 'Render',
        statusPage: 'https://status.render.com',
        services: ['ayni-frontend'],
        interval: '2m',
      },
    ]);
  });

  // biome-ignore-start lint/suspicious/noTemplateCurlyInString: Railway's reference syntax, not a template
  it('refers to Railway variables of other services', () => {
    const backend = service(config, 'ayni-backend').env;
    expect(backend.POSTGRES_PORT?.from).toBe('${{Postgres.PGPORT}}');
    expect(backend.REDIS_URL?.from).toBe('${{Redis.REDIS_URL}}');
    expect(service(config, 'ayni-flower').env.JWT_SECRET?.from).toBe('${{ayni-backend.JWT_SECRET}}');
    expect(backend.JWT_SECRET).toMatchObject({ secret: true, minLength: 64 });
  });
  // biome-ignore-end lint/suspicious/noTemplateCurlyInString: Railway's reference syntax

  it('has the Railway and Render services with PostgreSQL 17 and Redis 7', () => {
    expect(
      Object.entries(config.services).map(([n, s]) => [
        n,
        s.kind,
        s.platform ?? null,
        s.engine?.version ?? null,
      ]),
    ).toEqual([
      ['ayni-backend', 'web', 'railway', null],
      ['ayni-celery-worker', 'worker', 'railway', null],
      ['ayni-flower', 'web', 'railway', null],
      ['ayni-frontend', 'static', 'render', null],
      ['Postgres', 'database', 'railway', '17'],
      ['Redis', 'cache', 'railway', '7'],
      ['sentry', 'external', null, null],
    ]);
    expect(service(config, 'ayni-flower').health[0]?.auth?.type).toBe('basic');
  });

  it('deploys on push, all services at once, with human checks before and after', () => {
    expect(config.deploy.trigger).toBe('push');
    expect(config.deploy.order).toEqual([
      ['ayni-backend', 'ayni-celery-worker', 'ayni-flower', 'ayni-frontend'],
    ]);
    expect(config.gates.find((g) => g.id === 'code-review')?.confirm).toBeTruthy();
    expect(config.deploy.verify.confirm).toHaveLength(5);
  });
});

describe('prompt-studio', async () => {
  const config = await load('prompt-studio');

  it('has severities P0 to P3 with 15m, 1h, 4h and next business day', () => {
    const severities = config.incidents?.severities ?? {};
    expect(Object.entries(severities).map(([id, s]) => [id, s.respondWithin])).toEqual([
      ['P0', '15m'],
      ['P1', '1h'],
      ['P2', '4h'],
      ['P3', 'next-business-day'],
    ]);
    expect(severities.P0?.page).toBe(true);
  });

  it("reads its hosting and database providers' status pages", () => {
    expect(config.upstreams.map((u) => [u.name, u.statusPage, u.services])).toEqual([
      ['Vercel', 'https://www.vercel-status.com', ['frontend']],
      ['Supabase', 'https://status.supabase.com', ['supabase']],
    ]);
  });

  it('alerts on p95 above 2s and error rate above 1%', () => {
    expect(config.alerts.map((a) => [a.when, a.above])).toEqual([
      ['latency', '2s'],
      ['error-rate', '1%'],
    ]);
  });

  it('runs its own migration runner and checks the health body', () => {
    expect(config.migrations).toMatchObject({ engine: 'other', command: 'cd backend && npm run migrate' });
    expect(service(config, 'backend').health[0]?.expect.body?.[0]).toEqual({ path: 'status', equals: 'ok' });
  });
});

describe('kamiyo', async () => {
  const config = await load('kamiyo');

  it('escalates in four levels at 0, 15 and 30 minutes, the fourth for critical outages', () => {
    const levels = config.incidents?.escalation ?? [];
    expect(levels.map((l) => [l.level, l.after, l.notify])).toEqual([
      [1, '0m', ['primary-on-call']],
      [2, '15m', ['secondary-on-call']],
      [3, '30m', ['engineering-manager']],
      [4, '30m', ['executives']],
    ]);
    expect(levels[3]?.severities).toEqual(['critical']);
  });

  it("reads the Statuspage pages of its external contacts (Render, Sentry), not Stripe's own page", () => {
    expect(config.upstreams.map((u) => [u.id, u.statusPage])).toEqual([
      ['render', 'https://status.render.com'],
      ['sentry', 'https://status.sentry.io'],
    ]);
    expect(config.upstreams[0]?.services).toEqual(['kamiyo-api', 'kamiyo-frontend', 'postgres']);
  });

  it('has the when-to and do-not rollback criteria', () => {
    const criteria = config.rollback?.criteria ?? [];
    const byAction = (action: string) => criteria.filter((c) => c.action === action).map((c) => c.reason);
    expect(byAction('rollback')).toEqual([
      'Critical bugs affecting core functionality',
      'Database corruption',
      'Authentication completely broken',
      'Payment processing failures',
      'Security vulnerability introduced',
    ]);
    expect(byAction('ignore')).toHaveLength(4);
    expect(criteria.find((c) => c.usersAffectedBelow !== undefined)?.usersAffectedBelow).toBe('5%');
    expect(criteria.find((c) => c.latencyIncreaseAbove !== undefined)?.action).toBe('ask');
  });

  it('has the SLOs: 99.5% availability, p95 < 500ms, p95 load < 2s, error rate < 0.1%', () => {
    expect(config.slos.map((s) => [s.id, s.objective, s.threshold])).toEqual([
      ['api-availability', '99.5%', undefined],
      ['frontend-availability', '99.5%', undefined],
      ['api-latency', '95%', '500ms'],
      ['frontend-load-time', '95%', '2s'],
      ['api-error-rate', '99.9%', undefined],
    ]);
  });

  it('announces 5 minutes ahead with the runbook message and watches its log lines', () => {
    expect(config.announcements).toMatchObject({ leadTime: '5m', channels: ['deployments'] });
    expect(config.announcements?.templates?.start).toMatch(/^\[DEPLOYMENT\] Starting Kamiyo deployment/);
    const logs = service(config, 'kamiyo-api').logs;
    expect(logs?.success).toContain('WebSocket manager started');
    expect(logs?.trouble).toContain('Database connection failed');
    expect(service(config, 'kamiyo-frontend').logs?.success).toContain('Migrations complete');
  });

  it('checks NEXTAUTH_SECRET length and https-only origins before deploying', () => {
    expect(service(config, 'kamiyo-frontend').env.NEXTAUTH_SECRET).toMatchObject({
      secret: true,
      minLength: 32,
    });
    expect(service(config, 'kamiyo-api').env.ALLOWED_ORIGINS).toMatchObject({ list: true, https: true });
    expect(config.gates.find((g) => g.id === 'security-audit')?.run).toBe('./scripts/security_audit.sh');
    expect(config.deploy).toMatchObject({
      expectedDuration: '15m',
      expectedDowntime: '3m',
      maintenancePage: true,
    });
  });
});
