/** Operations sections of opsbook.yaml: channels, monitoring, SLOs, alert rules, incidents, maintenance, backups, status page. */
import { z } from 'zod';
import {
  durationAtMost,
  envVarName,
  id,
  percent,
  schedule,
  secretRef,
  shellCommand,
  urlOrSecret,
} from './primitives.js';

export const channelSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('console') }),
  z.strictObject({
    type: z.literal('slack'),
    webhook: urlOrSecret.meta({ description: 'Incoming webhook URL: a secret, so give { env: NAME }.' }),
    channel: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('webhook'),
    url: urlOrSecret,
    secret: secretRef.optional().meta({ description: 'HMAC-SHA256 signing key.' }),
    headers: z
      .record(z.string(), z.union([z.string(), secretRef]))
      .optional()
      .meta({
        description:
          'Extra request headers. A credential (Authorization: Bearer ...) is a secret: give it as { env: NAME }.',
      }),
  }),
  z.strictObject({
    type: z.literal('email'),
    to: z.array(z.email()).min(1),
    from: z.email(),
    smtp: z.strictObject({
      host: z.string(),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().default(false),
      user: z.string().optional(),
      password: secretRef.optional(),
    }),
  }),
  z.strictObject({
    type: z.literal('pagerduty'),
    routingKey: secretRef.meta({ description: 'Events v2 integration (routing) key.' }),
    eventsUrl: z
      .url({ message: 'expected an absolute URL such as https://events.eu.pagerduty.com' })
      .optional()
      .meta({
        description:
          'Events API base URL: https://events.eu.pagerduty.com for an account in the EU service region. Default https://events.pagerduty.com.',
      }),
    webhookSecret: secretRef.optional().meta({
      description:
        'Signing secret of the PagerDuty v3 webhook subscription that POSTs to `opsbook serve` at /integrations/pagerduty/<channel>: an incident acknowledged in PagerDuty is acknowledged in opsbook and its escalation stops.',
    }),
  }),
]);

export const monitoringSchema = z.strictObject({
  interval: durationAtMost('24h', 'a monitoring interval').default('1m'),
  timeout: durationAtMost('5m', 'a probe timeout').default('10s'),
  retries: z.number().int().min(0).default(1),
  retention: z
    .strictObject({
      raw: durationAtMost('400d', 'a retention').default('48h'),
      minute: durationAtMost('400d', 'a retention').default('7d'),
      hour: durationAtMost('3650d', 'a retention').default('90d'),
      day: durationAtMost('3650d', 'a retention').default('400d'),
    })
    .prefault({}),
});

export const SLO_INDICATORS = ['availability', 'latency', 'error-rate'] as const;

export const sloSchema = z.strictObject({
  id,
  service: id,
  indicator: z.enum(SLO_INDICATORS),
  objective: percent.meta({ description: 'Share of good events, e.g. 99.5%.' }),
  threshold: durationAtMost('5m', 'a latency threshold')
    .optional()
    .meta({ description: 'For latency: a request slower than this is bad.' }),
  percentile: z.number().min(1).max(100).optional().meta({ description: 'For latency: e.g. 95 for p95.' }),
  window: durationAtMost('400d', 'an SLO window').default('30d'),
  description: z.string().optional(),
  burnRateAlerts: z
    .boolean()
    .default(true)
    .meta({ description: 'Multiwindow burn-rate alerts (14.4x, 6x, 3x, 1x).' }),
});

export const ALERT_CONDITIONS = [
  'down',
  'consecutive-failures',
  'error-rate',
  'latency',
  'burn-rate',
  'certificate',
  /** opsbook's own monitor engine cannot keep up (checks start late): the built-in `opsbook-falling-behind`. */
  'falling-behind',
] as const;

export const alertSchema = z.strictObject({
  id,
  service: id.optional(),
  description: z.string().optional(),
  when: z.enum(ALERT_CONDITIONS),
  above: z
    .union([percent, durationAtMost('5m', 'a latency threshold')])
    .optional()
    .meta({ description: 'Threshold: a percentage for error-rate, a duration for latency.' }),
  count: z.number().int().min(1).optional().meta({ description: 'For consecutive-failures.' }),
  percentile: z.number().min(1).max(100).optional(),
  window: durationAtMost('90d', 'an alert window').optional(),
  for: durationAtMost('7d', "an alert's `for`")
    .default('0s')
    .meta({ description: 'How long the condition must hold before firing (pending until then).' }),
  keepFiringFor: durationAtMost('7d', 'keepFiringFor')
    .optional()
    .meta({ description: 'Hold against flapping after the condition clears.' }),
  minSamples: z.number().int().min(1).optional(),
  slo: id.optional().meta({ description: 'For burn-rate: the SLO.' }),
  severity: z.string().optional().meta({ description: 'An incident severity, e.g. P1.' }),
  channels: z.array(id).default([]),
  repeatInterval: durationAtMost('7d', 'a repeat interval').default('4h'),
});

const contact = z.strictObject({
  name: z.string(),
  role: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  channel: id.optional().meta({ description: 'A notification channel that reaches this person.' }),
});

const severity = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  respondWithin: z
    .union([durationAtMost('30d', 'a response target'), z.literal('next-business-day')])
    .optional()
    .meta({ description: 'Target time to acknowledge; a breach is itself a notification.' }),
  resolveWithin: durationAtMost('365d', 'a resolve target')
    .optional()
    .meta({ description: 'Target time to resolve.' }),
  page: z.boolean().default(false).meta({
    // It said "else notify only", yet escalation steps page people whatever it says: what it does is the urgency.
    description:
      "Notifications of this severity's incidents and alerts are critical (PagerDuty pages at high urgency), else warnings. Escalation steps run either way: keep a step from a severity with escalation[].severities.",
  }),
  examples: z.array(z.string()).optional(),
  actions: z.array(z.string()).optional(),
  channels: z.array(id).optional(),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time such as 09:00' });
const weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);

const rotationLayer = z.strictObject({
  rotation: z.enum(['daily', 'weekly']),
  handoff: clock.default('09:00').meta({ description: 'Local time of the handoff in the schedule zone.' }),
  start: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date such as 2026-01-05' })
    .meta({
      description: "Local date of the first participant's first shift.",
    }),
  participants: z.array(id).min(1).meta({ description: 'Contacts, in rotation order.' }),
  days: z
    .array(weekday)
    .optional()
    .meta({ description: 'Only shifts starting on these days (leaves gaps).' }),
});

const onCallSchedule = z.strictObject({
  timeZone: z.string().meta({ description: 'IANA time zone, e.g. Europe/Berlin: handoffs follow its DST.' }),
  layers: z
    .array(rotationLayer)
    .default([])
    .meta({ description: 'Rotations; a later layer wins where it covers.' }),
  overrides: z
    .array(
      z.strictObject({
        contact: id,
        start: z.iso.datetime({ offset: true }),
        end: z.iso.datetime({ offset: true }),
      }),
    )
    .default([])
    .meta({ description: 'Fixed spans that win over every layer.' }),
  ical: z.string().optional().meta({
    description: 'An iCal file path or URL; each event title names a contact (a layer below the rotations).',
  }),
});

export const incidentsSchema = z.strictObject({
  severities: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/), severity)
    .default({})
    .meta({ description: 'e.g. P0: { name: Critical, page: true }.' }),
  contacts: z.record(id, contact).default({}),
  schedules: z.record(id, onCallSchedule).default({}).meta({ description: 'On-call schedules as code.' }),
  repeat: z
    .strictObject({
      times: z.number().int().min(1).max(5),
      after: durationAtMost('7d', 'a repeat delay').meta({
        description: 'Wait after the last step before starting over.',
      }),
    })
    .optional()
    .meta({ description: 'Run the escalation again while nobody acknowledges.' }),
  ackTimeout: durationAtMost('30d', 'an ack timeout')
    .optional()
    .meta({ description: 'An acknowledged incident not resolved by then is triggered again.' }),
  escalation: z
    .array(
      z.strictObject({
        level: z.number().int().min(1),
        after: durationAtMost('7d', 'an escalation delay').meta({
          description: 'Time since the incident opened.',
        }),
        notify: z
          .array(id)
          .min(1)
          .meta({ description: 'Contacts, schedules (whoever is on call) or channels.' }),
        action: z.string().optional(),
        severities: z
          .array(z.string())
          .optional()
          .meta({ description: 'Only for these severities (default: all).' }),
      }),
    )
    .default([]),
  external: z
    .array(
      z.strictObject({
        name: z.string(),
        email: z.string().optional(),
        url: z.string().optional(),
        status: z.string().optional().meta({ description: "The vendor's status page." }),
      }),
    )
    .default([]),
  postmortem: z
    .strictObject({
      requiredFor: z.array(z.string()).default([]),
      within: durationAtMost('90d', 'a postmortem deadline').default('48h'),
      sections: z.array(z.string()).optional(),
    })
    .optional(),
});

export const MAINTENANCE_CHECKS = [
  'dependencies',
  'postgres-health',
  'backup-drill',
  'certificates',
  'secret-age',
  'slo-report',
] as const;

export const maintenanceTaskSchema = z.strictObject({
  id,
  title: z.string(),
  every: schedule,
  timezone: z
    .string()
    .default('UTC')
    .meta({ description: 'IANA time zone of the schedule, e.g. America/New_York.' }),
  owner: z
    .string()
    .optional()
    .meta({ description: 'Who does it: a name, or a contact of incidents.contacts.' }),
  channels: z.array(id).optional().meta({
    description:
      '`serve` notifies these channels once when the task falls due and once when overdue (default: every channel).',
  }),
  check: z.enum(MAINTENANCE_CHECKS).optional().meta({
    description:
      'A built-in check that produces the evidence: dependencies, postgres-health, backup-drill, certificates, secret-age, slo-report.',
  }),
  run: shellCommand
    .optional()
    .meta({ description: 'A command that does or checks it; its exit code and output are the evidence.' }),
  checklist: z
    .array(z.string())
    .optional()
    .meta({ description: 'Steps a person confirms with `opsbook maintenance done`.' }),
  urlEnv: envVarName.optional().meta({
    description:
      'For postgres-health: the variable with the database URL (default: migrations.urlEnv or DATABASE_URL).',
  }),
  backup: id
    .optional()
    .meta({ description: 'For backup-drill: the backups entry to verify (default: the only one).' }),
  expiresWithinDays: z.number().int().min(1).max(365).optional().meta({
    description: 'For certificates: fail when a certificate expires within this many days (default 14).',
  }),
  maxAgeDays: z.number().int().min(1).max(3650).optional().meta({
    description:
      'For secret-age: fail when a secret was last rotated more than this many days ago (default 90).',
  }),
  service: id
    .optional()
    .meta({ description: "For certificates and secret-age: only this service's URLs or secrets." }),
});

export const maintenanceWindowSchema = z.strictObject({
  id,
  services: z.array(id).min(1).meta({
    description:
      'The components under maintenance: the status page shows them under_maintenance and their alerts are silenced.',
  }),
  every: schedule.optional().meta({
    description: 'A recurring window: when it starts, e.g. weekly or "0 3 * * 0" (give every or start).',
  }),
  start: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: 'A one-off window: when it starts, ISO 8601 (give every or start).' }),
  timezone: z.string().default('UTC').meta({ description: 'IANA time zone of `every`, e.g. Europe/Berlin.' }),
  duration: durationAtMost('7d', 'a maintenance window').meta({ description: 'How long it lasts, e.g. 1h.' }),
  environment: z
    .string()
    .optional()
    .meta({ description: 'Only in this environment (default: every environment).' }),
  reason: z.string().optional().meta({ description: 'Shown in the incident timeline and window list.' }),
});

const invariant = z.strictObject({
  name: z.string(),
  sql: z.string().meta({
    description:
      'A query whose first column of its first row must be true, e.g. SELECT count(*) > 0 FROM users.',
  }),
});

export const backupSchema = z.strictObject({
  id,
  database: id.meta({ description: 'The database service this backs up.' }),
  urlEnv: envVarName
    .default('DATABASE_URL')
    .meta({ description: 'Variable that holds the database URL (a secret: never written in the config).' }),
  managed: z.boolean().default(false).meta({
    description: 'The platform (Railway, Render, Supabase, Neon) takes the backups: no destination.',
  }),
  platform: z.enum(['supabase', 'railway', 'render', 'neon']).optional().meta({
    description:
      'For managed: true, the platform taking the backups. Supabase and Railway are checked through their API; Render and Neon backups are confirmed by a person (`opsbook backup confirm`).',
  }),
  resource: z.string().min(1).optional().meta({
    description:
      'For managed Supabase: the project ref; for managed Railway: the volume instance id of the database.',
  }),
  token: secretRef.optional().meta({
    description:
      'For managed Supabase or Railway: the API token, e.g. { env: SUPABASE_ACCESS_TOKEN } or { env: RAILWAY_API_TOKEN }.',
  }),
  schedule: schedule.default('daily'),
  timezone: z
    .string()
    .default('UTC')
    .meta({ description: 'IANA time zone of the schedule, e.g. Europe/Berlin.' }),
  window: durationAtMost('30d', 'a backup window').default('2h').meta({
    description:
      "Dead-man's switch: a backup (or restore drill) that has not succeeded this long after its scheduled time is down.",
  }),
  format: z.enum(['custom', 'directory']).default('custom').meta({
    description:
      'pg_dump archive format: custom (one streamed archive) or directory (parallel `pg_dump -Fd -j`, for large databases; stored as a tar).',
  }),
  jobs: z.number().int().min(1).max(64).optional().meta({
    description:
      'Parallel pg_dump and pg_restore workers for format: directory (each opens a database connection). Default 1.',
  }),
  retention: z
    .strictObject({
      days: z.number().int().min(1).optional(),
      keep: z.number().int().min(1).optional().meta({ description: 'Keep the newest N whatever their age.' }),
      daily: z.number().int().min(0).optional(),
      weekly: z.number().int().min(0).optional(),
      monthly: z.number().int().min(0).optional(),
    })
    .prefault({ days: 30 }),
  destination: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('local'), path: z.string() }),
      z.strictObject({
        type: z.literal('s3'),
        bucket: z.string(),
        prefix: z.string().optional(),
        region: z.string().default('auto'),
        endpoint: z
          .string()
          .optional()
          .meta({ description: 'For S3-compatible stores such as Cloudflare R2.' }),
        accessKeyId: secretRef.optional(),
        secretAccessKey: secretRef.optional(),
      }),
    ])
    .optional()
    .meta({ description: 'Where backups go; not for managed backups.' }),
  encryption: z
    .strictObject({
      key: secretRef.meta({ description: 'Passphrase for AES-256-GCM client-side encryption.' }),
    })
    .optional(),
  verify: z
    .strictObject({
      restore: z
        .boolean()
        .default(true)
        .meta({ description: 'Restore into a scratch database and check it.' }),
      every: schedule.default('weekly'),
      serverUrlEnv: envVarName.optional().meta({
        description: 'Variable with the URL of the server for scratch databases (default: the same server).',
      }),
      invariants: z.array(invariant).default([]),
    })
    .optional(),
});

export const heartbeatSchema = z.strictObject({
  id,
  service: id.meta({ description: 'The service it reports for: its `down` alerts fire when pings stop.' }),
  description: z.string().optional(),
  token: secretRef.meta({
    description: 'The secret in the ping URL /ping/<token>, e.g. { env: NIGHTLY_JOB_PING_TOKEN }.',
  }),
  period: durationAtMost('90d', 'a heartbeat period').meta({
    description: 'How often it pings: the cron interval or the worker beat, e.g. 15m.',
  }),
  grace: durationAtMost('7d', 'a heartbeat grace')
    .default('5m')
    .meta({ description: 'Lateness tolerated before it counts as down.' }),
});

export const upstreamSchema = z.strictObject({
  id,
  name: z.string().optional().meta({ description: 'How timelines name it, e.g. Render (default: the id).' }),
  statusPage: z.url({ message: 'expected the status page URL, e.g. https://status.render.com' }).meta({
    description:
      'A Statuspage v2 page (Render, Vercel, Supabase, Stripe, ...): its URL, where /api/v2/summary.json answers.',
  }),
  components: z.array(z.string()).optional().meta({
    description: 'Only these components of the page count (e.g. [Web Services]); default: all of them.',
  }),
  services: z.array(id).optional().meta({
    description:
      'Our services that run on it or call it: their incidents show its state, doctor reads it when they fail. Default: every service.',
  }),
  interval: durationAtMost('1h', 'an upstream check interval')
    .default('2m')
    .meta({ description: 'How often `opsbook serve` reads the page.' }),
});

export const statusPageSchema = z.strictObject({
  title: z.string().optional(),
  components: z
    .array(z.union([id, z.strictObject({ service: id, name: z.string().optional() })]))
    .optional()
    .meta({ description: 'Services shown publicly (default: every web and static service).' }),
});

export { percent };
