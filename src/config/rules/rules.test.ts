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
  'config/backup-retention': {
    backups: [{ id: 'b', database: 'db', retention: {}, destination: { type: 'local', path: 'b' } }],
  },
  'config/empty-task': { maintenance: [{ id: 't', every: 'weekly' }] },
  'config/engine-option': { migrations: { database: 'db', command: './migrate.sh' } },
  'config/task-option': {
    maintenance: [{ id: 't', every: 'weekly', check: 'certificates', maxAgeDays: 30 }],
  },
  'config/window-outlives-history': {
    monitoring: { retention: { day: '7d' } },
    slos: [{ id: 's', service: 'api', indicator: 'availability', window: '30d' }],
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
  'config/shared-ping-token': {
    heartbeats: [
      { id: 'nightly', token: { env: 'PING_TOKEN' } },
      { id: 'hourly', token: { env: 'PING_TOKEN' } },
    ],
  },
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
  'config/repeat-without-escalation': { incidents: { repeat: { times: 2, after: '30m' } } },
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

  it('refuses an SLO or alert window longer than the monitor history is kept', () => {
    const found = checkConfigRules({
      ...valid,
      monitoring: { retention: { day: '7d' } },
      slos: [
        { id: 'api-availability', service: 'api', indicator: 'availability', window: '30d' },
        { id: 'api-week', service: 'api', indicator: 'availability', window: '7d' },
      ],
      alerts: [
        ...valid.alerts,
        { id: 'slow', service: 'api', when: 'latency', above: '2s', window: '14d', channels: ['ops'] },
      ],
    });
    expect(found.map((d) => [d.code, d.path.join('.'), d.severity])).toEqual([
      ['config/window-outlives-history', 'slos.0.window', 'error'],
      ['config/window-outlives-history', 'alerts.1.window', 'error'],
    ]);
    expect(found[0]?.message).toBe(
      "the window of SLO 'api-availability' is 30d, but the monitor history is kept 7d (monitoring.retention.day): it would be worked out over 7d while saying 30d",
    );
    // The default day retention (400d) holds any SLO window the schema allows.
    expect(checkConfigRules({ ...valid, slos: [{ ...valid.slos[0], window: '400d' }] })).toEqual([]);
  });

  it('refuses two heartbeats that share a ping token variable: every ping would reach only one of them', () => {
    const found = checkConfigRules({
      ...valid,
      heartbeats: [
        { id: 'nightly', service: 'nightly', token: { env: 'PING_TOKEN' }, period: '1d' },
        { id: 'hourly', service: 'nightly', token: { env: 'OTHER_TOKEN' }, period: '1h' },
        { id: 'weekly', service: 'nightly', token: { env: 'PING_TOKEN' }, period: '7d' },
      ],
    });
    expect(found).toEqual([
      expect.objectContaining({
        code: 'config/shared-ping-token',
        severity: 'error',
        path: ['heartbeats', 2, 'token', 'env'],
        message: expect.stringContaining("heartbeat 'weekly' uses PING_TOKEN, as heartbeat 'nightly' does"),
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

  it('refuses a backup retention under which no rule keeps anything, and accepts any rule above 0', () => {
    const retention = (r: object) =>
      checkConfigRules({
        services: { db: { kind: 'database' } },
        backups: [{ id: 'b', database: 'db', retention: r, destination: { type: 'local', path: 'b' } }],
      });
    for (const r of [{}, { daily: 0 }, { daily: 0, weekly: 0, monthly: 0 }])
      expect(retention(r), JSON.stringify(r)).toEqual([
        expect.objectContaining({
          code: 'config/backup-retention',
          path: ['backups', 0, 'retention'],
          hint: expect.stringContaining('days: 30'),
        }),
      ]);
    for (const r of [{ days: 7 }, { keep: 3 }, { daily: 0, weekly: 4 }, { monthly: 1 }])
      expect(retention(r), JSON.stringify(r)).toEqual([]);
  });

  it('refuses the fields of opsbook-taken backups on a managed one, where nothing reads them', () => {
    const managed = { id: 'b', database: 'db', managed: true, platform: 'render', schedule: 'daily' };
    const found = checkConfigRules({
      services: { db: { kind: 'database' } },
      backups: [{ ...managed, retention: { days: 7 }, verify: { invariants: [] }, format: 'directory' }],
    });
    expect(found.map((d) => [d.code, d.path.join('.')])).toEqual([
      ['config/managed-backup', 'backups.0.format'],
      ['config/managed-backup', 'backups.0.retention'],
      ['config/managed-backup', 'backups.0.verify'],
    ]);
    expect(found[0]?.message).toMatch(/nothing reads its format/);
    expect(checkConfigRules({ services: { db: { kind: 'database' } }, backups: [managed] })).toEqual([]);
  });

  it('refuses a maintenance window that is never open, recurs before it ends (never closes), or sets a time zone nothing reads', () => {
    const windows = (...list: object[]) =>
      checkConfigRules({
        services: { db: { kind: 'database' } },
        maintenanceWindows: list.map((w, i) => ({ id: `w${i}`, services: ['db'], ...w })),
      }).map((d) => [d.code, d.path.join('.'), d.message]);
    expect(
      windows(
        { every: 'hourly', duration: '2h' },
        { every: '0 3 * * 1,2', duration: '1d' },
        { start: '2030-01-05T03:00:00Z', duration: '0m' },
      ),
    ).toEqual([
      [
        'config/window-timing',
        'maintenanceWindows.0.duration',
        "maintenance window 'w0' lasts 2h but starts again every 1h (hourly): it never closes, and its services' alerts stay silenced",
      ],
      [
        'config/window-timing',
        'maintenanceWindows.1.duration',
        expect.stringContaining('every 1d (0 3 * * 1,2)'),
      ],
      [
        'config/window-timing',
        'maintenanceWindows.2.duration',
        "maintenance window 'w2' lasts 0m, so it is never open",
      ],
    ]);
    expect(windows({ start: '2030-01-05T03:00:00Z', timezone: 'Europe/Berlin', duration: '1h' })).toEqual([
      [
        'config/window-timing',
        'maintenanceWindows.0.timezone',
        "maintenance window 'w0' sets timezone, which only a recurring window (every:) reads",
      ],
    ]);
    // Shorter than the time between starts, in a zone with daylight saving too: fine.
    expect(
      windows(
        { every: 'weekly', duration: '6d' },
        { every: '0 3 * * *', timezone: 'Europe/Berlin', duration: '22h' },
        { start: '2030-01-05T03:00:00Z', duration: '7d' },
      ),
    ).toEqual([]);
  });

  it('refuses a backup-drill task whose backup is unknown, managed by the platform, or not named among several', () => {
    const backups = [
      { id: 'nightly', database: 'db', destination: { type: 'local', path: 'b' } },
      { id: 'hourly', database: 'db', destination: { type: 'local', path: 'b' } },
      { id: 'plat', database: 'db', managed: true, platform: 'render' },
    ];
    const drill = (backup: string | undefined, list = backups) =>
      checkConfigRules(
        {
          services: { db: { kind: 'database' } },
          backups: list,
          maintenance: [{ id: 't', every: 'weekly', check: 'backup-drill', ...(backup ? { backup } : {}) }],
        },
        [taskOption],
      ).map((d) => [d.path.join('.'), d.message, d.hint]);
    expect(drill('nightlyy')).toEqual([
      ['maintenance.0.backup', "unknown backup 'nightlyy'", "did you mean 'nightly'?"],
    ]);
    expect(drill('plat')[0]?.[1]).toBe(
      "maintenance task 't' drills backup 'plat', which the platform takes: opsbook has no archive of it to restore",
    );
    expect(drill(undefined)[0]?.[1]).toMatch(/2 backups are configured: which one\?/);
    expect(drill(undefined, [backups[2]!])[0]?.[1]).toMatch(/no backups: entry is taken by opsbook/);
    expect(drill('hourly')).toEqual([]);
    expect(drill(undefined, [backups[0]!, backups[2]!])).toEqual([]);
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
