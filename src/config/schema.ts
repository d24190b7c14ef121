/** The one schema of opsbook.yaml: the source of the TypeScript types, runtime validation and opsbook.schema.json. */
import { z } from 'zod';
import { id } from './primitives.js';
import {
  announcementsSchema,
  deploySchema,
  gateSchema,
  migrationsSchema,
  rollbackCriterion,
} from './schema-delivery.js';
import {
  alertSchema,
  backupSchema,
  channelSchema,
  heartbeatSchema,
  incidentsSchema,
  maintenanceTaskSchema,
  maintenanceWindowSchema,
  monitoringSchema,
  sloSchema,
  statusPageSchema,
  upstreamSchema,
} from './schema-operations.js';
import { serviceSchema } from './schema-service.js';

export const environmentSchema = z.strictObject({
  description: z.string().optional(),
  branch: z.string().optional().meta({ description: 'Branch deployed to this environment.' }),
  url: z.string().optional().meta({ description: 'The main public URL of the app in this environment.' }),
  protected: z
    .boolean()
    .default(false)
    .meta({ description: 'Deploys need confirmation (or --yes) and all required gates.' }),
  autoDeploy: z.boolean().optional().meta({ description: 'The platform deploys on push to the branch.' }),
  envFile: z
    .string()
    .optional()
    .meta({ description: 'A dotenv file with the values for this environment (local use).' }),
});

export const stackSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).default(1).meta({ description: 'Config format version.' }),
    name: id.meta({ description: 'The stack (product) name.' }),
    description: z.string().optional(),
    repository: z
      .strictObject({
        url: z.string().optional(),
        branch: z.string().optional(),
        remote: z.string().optional(),
      })
      .optional()
      .meta({
        description:
          'Not acted on yet (validate warns): the git gate and deploys use the checkout itself and deploy.branch.',
      }),
    environments: z
      .record(id, environmentSchema)
      .default({ production: { protected: true } })
      .meta({ description: 'production, staging, preview, development, ...' }),
    services: z
      .record(id, serviceSchema)
      .meta({ description: 'Everything that runs or that the stack depends on.' }),
    gates: z.array(gateSchema).default([]).meta({ description: 'The pre-deploy checklist.' }),
    migrations: migrationsSchema.optional(),
    deploy: deploySchema.prefault({}),
    rollback: z
      .strictObject({ criteria: z.array(rollbackCriterion).default([]) })
      .optional()
      .meta({ description: 'When to roll back and when not to.' }),
    announcements: announcementsSchema.optional(),
    channels: z.record(id, channelSchema).default({}).meta({ description: 'Where notifications go.' }),
    monitoring: monitoringSchema.prefault({}),
    slos: z.array(sloSchema).default([]),
    alerts: z.array(alertSchema).default([]),
    incidents: incidentsSchema.optional(),
    maintenance: z.array(maintenanceTaskSchema).default([]),
    maintenanceWindows: z.array(maintenanceWindowSchema).default([]).meta({
      description:
        'Planned maintenance: its components show under_maintenance and their alerts are silenced (or `opsbook maintenance window start`).',
    }),
    backups: z.array(backupSchema).default([]),
    heartbeats: z.array(heartbeatSchema).default([]).meta({
      description: 'Cron jobs, workers and scripts that report in with a ping; silence means down.',
    }),
    statusPage: statusPageSchema.optional(),
    upstreams: z.array(upstreamSchema).default([]).meta({
      description:
        "Providers' public status pages: `serve` reads them, an incident's timeline shows their outages, doctor names them.",
    }),
  })
  .meta({
    title: 'opsbook stack',
    description: 'opsbook.yaml: a production runbook as a declarative stack.',
  });

/** The config after validation and defaults. */
export type StackConfig = z.output<typeof stackSchema>;
/** What a user writes (defaults optional): the type `defineConfig` takes. */
export type StackConfigInput = z.input<typeof stackSchema>;
export type EnvironmentConfig = StackConfig['environments'][string];
export type Gate = StackConfig['gates'][number];
export type Channel = StackConfig['channels'][string];
export type Alert = StackConfig['alerts'][number];
export type Slo = StackConfig['slos'][number];
export type Upstream = StackConfig['upstreams'][number];
