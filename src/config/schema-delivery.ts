/** Delivery sections of opsbook.yaml: pre-deploy gates, migrations, deploy policy, rollback criteria, announcements. */
import { z } from 'zod';
import { durationAtMost, id, percent, shellCommand } from './primitives.js';

export const BUILTIN_GATES = ['secrets', 'env', 'git', 'lockfile', 'migrations'] as const;

/** The options each built-in gate reads (checks/gates/*-gate.ts), with their type: validate refuses any other. */
export const BUILTIN_GATE_OPTIONS: Record<
  (typeof BUILTIN_GATES)[number],
  Record<string, { type: 'boolean' | 'string'; example: string }>
> = {
  secrets: {
    history: { type: 'boolean', example: 'true' },
    path: { type: 'string', example: 'src' },
    baseline: { type: 'string', example: '.opsbook/secrets-baseline.json' },
  },
  env: { from: { type: 'string', example: 'file:.env.production' } },
  git: { allowAnyBranch: { type: 'boolean', example: 'true' } },
  lockfile: {},
  migrations: {},
};

export const gateSchema = z
  .strictObject({
    id,
    name: z.string().optional().meta({ description: 'The checklist line, e.g. "All tests pass".' }),
    run: shellCommand.optional().meta({ description: 'A shell command; exit code 0 passes.' }),
    builtin: z.enum(BUILTIN_GATES).optional().meta({ description: 'A built-in check.' }),
    confirm: z
      .string()
      .optional()
      .meta({ description: 'A question a person answers, e.g. "Code reviewed and approved?".' }),
    cwd: z.string().optional().meta({
      description:
        'The folder a command gate runs in, or the one folder the lockfile gate checks (default: the project and every service root).',
    }),
    timeout: durationAtMost('24h', 'a gate timeout')
      .default('15m')
      .meta({ description: 'Command gates only: the command is stopped, and fails, after this long.' }),
    required: z
      .boolean()
      .default(true)
      .meta({ description: 'A failing optional gate warns but does not block.' }),
    environments: z.array(id).optional().meta({ description: 'Only for these environments (default: all).' }),
    inputs: z.array(z.string()).optional().meta({
      description:
        'Paths whose content keys the cache (default: the whole git tree). A command gate is cached only with inputs or cache: true.',
    }),
    cache: z.boolean().optional().meta({
      description:
        'Replay a passed result while the inputs are unchanged. Default: on for gates that read only files, off for gates reading live state (a command without inputs, a confirmation, git, env from the platforms, migrations against a database).',
    }),
    options: z.record(z.string(), z.unknown()).optional().meta({
      description:
        'Settings of a built-in gate: secrets { history, path, baseline }, env { from }, git { allowAnyBranch }.',
    }),
  })
  .refine((g) => [g.run, g.builtin, g.confirm].filter((v) => v !== undefined).length === 1, {
    message:
      'a gate needs exactly one of run (a command), builtin (secrets, env, git, lockfile, migrations) or confirm',
  });

export const MIGRATION_ENGINES = [
  'sql',
  'prisma',
  'supabase',
  'alembic',
  'django',
  'rails',
  'ecto',
  'knex',
  'drizzle',
  'node-pg-migrate',
  'other',
] as const;

export const migrationsSchema = z.strictObject({
  database: id.meta({ description: 'The database service the migrations apply to.' }),
  dir: z.string().meta({ description: 'Directory of the migration files.' }),
  engine: z.enum(MIGRATION_ENGINES).default('sql'),
  command: shellCommand
    .optional()
    .meta({ description: 'For engines opsbook does not run itself: e.g. `npx prisma migrate deploy`.' }),
  urlEnv: z.string().default('DATABASE_URL').meta({ description: 'Variable that holds the database URL.' }),
  commandTimeout: durationAtMost('24h', 'a migration command timeout').default('1h').meta({
    description:
      "How long the engine's command (`migrations.command`, or the one printing SQL to lint) may run before it is stopped, with every process it started, and the run fails.",
  }),
  lockTimeout: durationAtMost('1h', 'a migration lock timeout').default('5s'),
  statementTimeout: durationAtMost('24h', 'a statement timeout').default('15m'),
  backup: z.enum(['before-destructive', 'always', 'never']).optional().meta({
    description:
      'Not acted on yet (validate warns): migrate up backs up before destructive files whatever this says; `--no-backup --reason` skips one run.',
  }),
  testFirst: z.boolean().optional().meta({
    description:
      'Not acted on yet (validate warns): migrate up does not rehearse on a scratch database; `opsbook migrate test` does.',
  }),
  postgresVersion: z.number().int().min(9).optional(),
  maxFileSize: z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(B|KiB|MiB|GiB|KB|MB|GB)?\s*$/i, 'a size such as 10MiB, 512KiB or 2MB')
    .default('10MiB')
    .meta({ description: 'Migration files larger than this are refused before they are parsed.' }),
  rules: z
    .record(z.string(), z.enum(['error', 'warning', 'off']))
    .optional()
    .meta({ description: 'Severity per lint rule, e.g. { "migration/prefer-bigint": off }.' }),
  notes: z.array(z.string()).optional().meta({ description: 'Safety rules in prose, kept for the record.' }),
});

const smokeRequest = z.strictObject({
  service: id,
  path: z.string().startsWith('/'),
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  expectStatus: z.union([z.number().int(), z.array(z.number().int())]).default(200),
  latencyBudget: durationAtMost('5m', 'a latency budget').optional(),
  name: z.string().optional(),
});

export const ROLLBACK_TRIGGERS = [
  'build-failed',
  'deploy-failed',
  'health-failed',
  'trouble-log',
  'smoke-failed',
  'error-rate',
  'latency',
] as const;

const verifySchema = z.strictObject({
  bake: durationAtMost('24h', 'a bake window')
    .default('2m')
    .meta({ description: 'How long to watch the new release before calling it good.' }),
  interval: durationAtMost('1h', 'a verification interval').default('15s'),
  failureLimit: z.number().int().min(0).default(2).meta({ description: 'Failed measurements tolerated.' }),
  inconclusiveLimit: z
    .number()
    .int()
    .min(0)
    .default(2)
    .meta({ description: 'Inconclusive measurements before pausing for a person.' }),
  smoke: z.array(smokeRequest).default([]),
  confirm: z.array(z.string()).optional().meta({
    description:
      'Post-deploy checks a person confirms after the automatic ones, e.g. "Login with the test account works?".',
  }),
  errorRateAbove: percent.optional().meta({
    description:
      'Not acted on yet (validate warns): verification measures health and smoke checks, not an error rate.',
  }),
});

export const deploySchema = z.strictObject({
  branch: z.string().default('main'),
  trigger: z.enum(['api', 'push', 'command']).default('api').meta({
    description: 'api: opsbook starts it; push: the platform auto-deploys on push and opsbook follows it.',
  }),
  order: z
    .array(z.union([id, z.array(id)]))
    .optional()
    .meta({ description: 'Deploy order; a nested list is a group deployed in parallel.' }),
  migrate: z.enum(['before', 'after', 'none']).default('before'),
  timeout: durationAtMost('24h', 'a deploy timeout').default('30m'),
  expectedDuration: durationAtMost('24h', 'an expected deploy duration').optional(),
  expectedDowntime: durationAtMost('24h', 'an expected downtime').optional(),
  verify: verifySchema.prefault({}),
  rollback: z
    .strictObject({
      automatic: z.boolean().default(true),
      on: z.array(z.enum(ROLLBACK_TRIGGERS)).default(['deploy-failed', 'health-failed', 'smoke-failed']),
      lockAfter: z
        .boolean()
        .default(true)
        .meta({ description: 'Keep the environment locked until `opsbook unlock`.' }),
      disableAutoDeploy: z.boolean().default(true),
    })
    .prefault({}),
  maintenancePage: z
    .boolean()
    .default(false)
    .meta({ description: 'Set the status page to maintenance meanwhile.' }),
});

const RATES_NOT_MATCHED =
  'Not acted on yet (validate warns): rollback criteria are matched by checks and log lines, not by rates.';

export const rollbackCriterion = z.strictObject({
  reason: z.string().meta({ description: 'e.g. "Authentication completely broken".' }),
  action: z.enum(['rollback', 'ask', 'ignore']).default('ask').meta({
    description: 'rollback: automatically; ask: a person decides; ignore: do not roll back for this.',
  }),
  checks: z
    .array(z.string())
    .optional()
    .meta({ description: 'Health endpoint or smoke names that reveal it.' }),
  logs: z.array(z.string()).optional().meta({ description: 'Log lines that reveal it.' }),
  errorRateAbove: percent.optional().meta({ description: RATES_NOT_MATCHED }),
  latencyIncreaseAbove: percent.optional().meta({ description: RATES_NOT_MATCHED }),
  usersAffectedBelow: percent.optional().meta({ description: RATES_NOT_MATCHED }),
});

export const ANNOUNCE_EVENTS = ['start', 'success', 'failure', 'rollback'] as const;

export const announcementsSchema = z.strictObject({
  channels: z.array(id).default([]),
  on: z.array(z.enum(ANNOUNCE_EVENTS)).default([...ANNOUNCE_EVENTS]),
  leadTime: durationAtMost('7d', 'an announcement lead time').optional().meta({
    description:
      'The start announcement goes out this long before production changes: the deploy waits (gates run meanwhile); `deploy --lead-time 0` skips it.',
  }),
  templates: z.partialRecord(z.enum(ANNOUNCE_EVENTS), z.string()).optional().meta({
    description:
      'Message text per event with {{variables}}: stack, environment, services, branch, commit, version, actor, duration, expectedDuration, expectedDowntime, leadTime, startsAt, verification, issues, reason, health.<service>.',
  }),
});
