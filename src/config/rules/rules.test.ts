import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_RULES, type ConfigRule, checkConfigRules } from './index.js';
import { taskOption } from './task-option.js';

const HELPERS = new Set(['index.ts', 'rule.ts', 'walk.ts']);
const ruleFiles = readdirSync(new URL('.', import.meta.url)).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !HELPERS.has(f),
);

/** Railway's reference syntax, written as data: not a template string. */
const ref = (target: string) => ['$', '{{ ', target, ' }}'].join('');

const valid = {
  name: 'shop',
  environments: { production: {}, staging: {} },
  channels: { ops: { type: 'slack' } },
  services: {
    api: {
      kind: 'web',
      urls: { production: 'https://api.example.com' },
      health: [{ type: 'liveness', path: '/health' }],
      dependsOn: ['db'],
      env: { TOKEN: { secret: true }, DB_URL: { from: ref('db.DATABASE_URL') } },
    },
    db: { kind: 'database' },
    nightly: { kind: 'cron', schedule: 'daily' },
  },
  migrations: { database: 'db' },
  deploy: { order: ['db', 'api'] },
  slos: [{ id: 'api-availability', service: 'api', indicator: 'availability' }],
  alerts: [{ when: 'burn-rate', slo: 'api-availability', service: 'api', channels: ['ops'] }],
};

/** One config per rule that breaks it, and nothing else it needs to see. */
const BROKEN: Record<string, object> = {
  'config/alert-without-channel': { channels: {}, alerts: [{ id: 'a', when: 'down' }] },
  'config/backup-destination': { backups: [{ id: 'b', database: 'db' }] },
  'config/managed-backup': {
    backups: [{ id: 'b', database: 'db', managed: true, platform: 'supabase', token: { env: 'T' } }],
  },
  'config/backup-jobs': {
    backups: [{ id: 'b', database: 'db', jobs: 4, destination: { type: 'local', path: 'b' } }],
  },
  'config/empty-task': { maintenance: [{ id: 't', every: 'weekly' }] },
  'config/engine-option': { migrations: { database: 'db', command: './migrate.sh' } },
  'config/task-option': {
    maintenance: [{ id: 't', every: 'weekly', check: 'certificates', maxAgeDays: 30 }],
  },
  'config/window-timing': { maintenanceWindows: [{ id: 'w', services: ['a'], duration: '1h' }] },
  'config/invalid-time-zone': { maintenance: [{ id: 't', every: 'weekly', timezone: 'Mars/Olympus' }] },
  'config/alert-option': { alerts: [{ id: 'a', service: 'api', when: 'down', count: 5 }] },
  'config/ambiguous-target': {
    channels: { ops: {} },
    incidents: { contacts: { ops: {} }, escalation: [{ notify: ['ops'] }] },
  },
  'config/check-outlasts-interval': {
    monitoring: { interval: '10s', timeout: '5s', retries: 1 },
    services: {
      api: {
        urls: { production: 'https://api.example.com' },
        health: [{ type: 'liveness', path: '/health' }],
      },
    },
  },
  'config/cron-without-schedule': { services: { job: { kind: 'cron' } } },
  'config/dependency-cycle': { services: { a: { dependsOn: ['b'] }, b: { dependsOn: ['a'] } } },
  'config/double-deploy': {
    services: { web: { provider: { type: 'command', deploy: 'vercel --prod' } } },
    deploy: { trigger: 'push' },
  },
  'config/duplicate-id': { gates: [{ id: 'x' }, { id: 'x' }] },
  'config/duplicate-in-order': { services: { a: {} }, deploy: { order: ['a', ['a']] } },
  'config/gate-option': { gates: [{ id: 's', builtin: 'secrets', options: { histroy: true } }] },
  'config/health-without-url': { services: { a: { health: [{ path: '/health' }] } } },
  'config/http-default': { services: { a: { env: { U: { https: true, default: 'http://x' } } } } },
  'config/invalid-pattern': { services: { a: { env: { U: { pattern: '(' } } } } },
  'config/invalid-schedule': { maintenance: [{ every: 'sometimes' }] },
  'config/invalid-value': { alerts: [{ when: 'latency', above: '5%' }] },
  'config/missing-field': { alerts: [{ when: 'consecutive-failures' }] },
  'config/no-production': { environments: { staging: {} } },
  'config/not-a-database': { services: { api: { kind: 'web' } }, migrations: { database: 'api' } },
  'config/not-supported-yet': { deploy: { verify: { errorRateAbove: '5%' } } },
  'config/schedule-gap': {
    incidents: {
      schedules: {
        weekdays: {
          timeZone: 'Europe/Berlin',
          layers: [{ rotation: 'daily', start: '2020-01-06', participants: ['a'], days: ['mon', 'tue'] }],
        },
      },
    },
  },
  'config/secret-default': { services: { a: { env: { T: { secret: true, default: 'x' } } } } },
  'config/secret-literal': { services: { a: { env: { T: { default: 'sk_live_abc' } } } } },
  'config/self-dependency': { services: { a: { dependsOn: ['a'] } } },
  'config/unknown-channel': { announcements: { channels: ['opz'] } },
  'config/unknown-contact': { incidents: { escalation: [{ notify: ['bob'] }] } },
  'config/unknown-environment': { gates: [{ id: 'g', environments: ['prod'] }] },
  'config/unknown-template-variable': { announcements: { templates: { start: 'on {{brnch}}' } } },
  'config/unknown-reference': { services: { a: { env: { X: { from: ref('b.URL') } } }, b: {} } },
  'config/unknown-service': { statusPage: { components: ['api'] } },
  'config/unknown-severity': { incidents: { postmortem: { requiredFor: ['sev9'] } } },
  'config/unknown-slo': { alerts: [{ when: 'burn-rate', slo: 'nope' }] },
  'config/unreachable-contact': {
    channels: { mail: { type: 'email' } },
    incidents: {
      contacts: { ana: { channel: 'mail', email: '[Email]' } },
      escalation: [{ notify: ['ana'] }],
    },
  },
  'config/smtp-tls-port': {
    channels: {
      mail: { type: 'email', to: ['a@example.com'], from: 'b@example.com', smtp: { host: 'h', port: 465 } },
    },
  },
  'config/unheard-target': { incidents: { severities: { P1: { name: 'Critical', respondWithin: '15m' } } } },
  'config/untracked-response-target': {
    incidents: { severities: { P3: { name: 'Low', respondWithin: 'next-business-day' } } },
  },
  'config/unknown-lint-rule': { migrations: { database: 'db', rules: { 'migration/prefer-bigint': 'off' } } },
  'config/verify-cannot-fail': { deploy: { verify: { bake: '30s', interval: '15s', failureLimit: 2 } } },
  'config/verify-nothing-to-measure': { services: { a: { kind: 'web', provider: { type: 'local' } } } },
};

describe('config rules', () => {
  it('has one rule per file, named after its code, and lists every one', () => {
    const codes = CONFIG_RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.map((c) => `${c.replace('config/', '')}.ts`).sort()).toEqual(ruleFiles.sort());
  });

  it('finds nothing in a valid config', () => {
    expect(checkConfigRules(valid)).toEqual([]);
  });

  it.each(CONFIG_RULES.map((r) => [r.code, r] as [string, ConfigRule]))(
    '%s reports its own code when broken',
    (code, rule) => {
      const broken = BROKEN[code];
      expect(broken, `add an example for ${code} to BROKEN`).toBeDefined();
      const found = checkConfigRules(broken, [rule]);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((d) => d.code === code && d.message)).toBe(true);
    },
  );

  it('refuses lockTimeout and statementTimeout with an engine whose own command applies the files', () => {
    const migrations = { database: 'db', engine: 'prisma', lockTimeout: '10s', statementTimeout: '1m' };
    const found = checkConfigRules({ ...valid, migrations });
    expect(found.map((d) => [d.code, d.path.join('.')])).toEqual([
      ['config/engine-option', 'migrations.lockTimeout'],
      ['config/engine-option', 'migrations.statementTimeout'],
    ]);
    expect(found[0]?.hint).toMatch(/SET lock_timeout/);
    // With engine sql opsbook sets both before each file.
    expect(checkConfigRules({ ...valid, migrations: { ...migrations, engine: 'sql' } })).toEqual([]);
  });

  it('refuses a misspelt migrations.rules name with the rule meant, and accepts real ones with or without the prefix', () => {
    const rules = {
      'migration/prefer-bigint-over-itn': 'off',
      'require-lock-timeout': 'warning',
      'migration/not-linted': 'warning',
    };
    const found = checkConfigRules({ ...valid, migrations: { database: 'db', rules } });
    expect(found).toEqual([
      expect.objectContaining({
        code: 'config/unknown-lint-rule',
        path: ['migrations', 'rules', 'migration/prefer-bigint-over-itn'],
        hint: "did you mean 'migration/prefer-bigint-over-int'?",
      }),
    ]);
  });

  it('refuses a service on a falling-behind alert: it watches the engine, not a service', () => {
    // A channel, so the alert reaches someone and config/alert-without-channel stays quiet.
    const channels = { ops: { type: 'console' } };
    const found = checkConfigRules({
      channels,
      services: { api: { kind: 'web' } },
      alerts: [{ id: 'lag', when: 'falling-behind', service: 'api' }],
    });
    expect(found).toEqual([
      expect.objectContaining({
        code: 'config/invalid-value',
        message: expect.stringContaining('monitor engine'),
      }),
    ]);
    expect(checkConfigRules({ channels, alerts: [{ id: 'lag', when: 'falling-behind' }] })).toEqual([]);
  });

  it('reports a task option only on the checks that do not read it', () => {
    const task = (check: string, option: Record<string, unknown>) =>
      checkConfigRules({ maintenance: [{ id: 't', every: 'weekly', check, ...option }] }, [taskOption]);
    expect(task('secret-age', { maxAgeDays: 30, service: 'api' })).toEqual([]);
    expect(task('certificates', { expiresWithinDays: 7, service: 'api' })).toEqual([]);
    expect(task('certificates', { maxAgeDays: 30 })).toEqual([
      expect.objectContaining({
        code: 'config/task-option',
        message: "maintenance task 't' sets maxAgeDays, which only the secret-age check reads",
        hint: 'remove maxAgeDays: check certificates does not read it',
        path: ['maintenance', 0, 'maxAgeDays'],
      }),
    ]);
    expect(task('dependencies', { service: 'api' })[0]?.message).toBe(
      "maintenance task 't' sets service, which only the certificates and secret-age checks read",
    );
  });
});
