/** The service section of opsbook.yaml: kinds, platforms, URLs, dependencies, health endpoints, log signals, env contract. */
import { z } from 'zod';
import { HEALTH_TYPES, PLATFORMS, SERVICE_KINDS } from './names.js';
import { durationAtMost, envVarName, id, schedule, secretRef, shellCommand } from './primitives.js';

export { HEALTH_TYPES, PLATFORMS, SERVICE_KINDS } from './names.js';

const providerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('render'),
    serviceId: z.string().meta({ description: 'Render service id (srv-...).' }).optional(),
    serviceName: z.string().optional(),
    apiKey: secretRef.optional().meta({ description: 'Defaults to { env: RENDER_API_KEY }.' }),
  }),
  z.strictObject({
    type: z.literal('vercel'),
    project: z.string().meta({ description: 'Vercel project id or name.' }),
    team: z.string().optional(),
    token: secretRef.optional().meta({ description: 'Defaults to { env: VERCEL_TOKEN }.' }),
  }),
  z.strictObject({
    type: z.literal('railway'),
    project: z.string().optional(),
    service: z.string().optional(),
    environment: z.string().optional(),
    token: secretRef.optional().meta({ description: 'Defaults to { env: RAILWAY_TOKEN }.' }),
  }),
  z.strictObject({
    type: z.literal('fly'),
    app: z.string().meta({ description: 'Fly app name (fly.toml `app`).' }),
    image: z.string().optional().meta({
      description:
        'Image to roll onto the Machines; {commit} and {version} are filled in. Default registry.fly.io/<app>:{commit} (push it from CI).',
    }),
    token: secretRef.optional().meta({ description: 'Defaults to { env: FLY_API_TOKEN }.' }),
  }),
  z.strictObject({
    type: z.literal('heroku'),
    app: z.string().meta({ description: 'Heroku app name.' }),
    source: z.string().optional().meta({
      description:
        'URL of the source tarball Heroku builds; {commit} is filled in, e.g. https://github.com/org/repo/archive/{commit}.tar.gz. Without it, deploy follows the build a push started.',
    }),
    token: secretRef.optional().meta({ description: 'Defaults to { env: HEROKU_API_KEY }.' }),
  }),
  z.strictObject({
    type: z.literal('netlify'),
    site: z.string().meta({ description: 'Netlify site id (Site configuration → Site ID).' }),
    token: secretRef.optional().meta({ description: 'Defaults to { env: NETLIFY_AUTH_TOKEN }.' }),
  }),
  z.strictObject({
    type: z.literal('local'),
    command: shellCommand.meta({ description: 'Command that starts one release; it must listen on $PORT.' }),
    cwd: z.string().optional(),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .meta({ description: 'Public port of the built-in proxy.' }),
  }),
  z.strictObject({
    type: z.literal('command'),
    deploy: shellCommand.meta({
      description: 'Shell command that deploys, e.g. `railway up` or `vercel --prod`.',
    }),
    status: shellCommand.optional(),
    rollback: shellCommand.optional(),
    logs: shellCommand.optional(),
    cwd: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('none'), note: z.string().optional() }),
]);

const bodyCondition = z
  .strictObject({
    path: z.string().meta({ description: 'Dotted path into the JSON body, e.g. services.database.status.' }),
    equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    in: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    matches: z.string().optional().meta({ description: 'A regular expression the value must match.' }),
    exists: z.boolean().optional(),
    lessThan: z.number().optional(),
    greaterThan: z.number().optional(),
  })
  .refine(
    (c) =>
      [c.equals, c.in, c.matches, c.exists, c.lessThan, c.greaterThan].filter((v) => v !== undefined)
        .length === 1,
    { message: 'a body condition needs exactly one of equals, in, matches, exists, lessThan, greaterThan' },
  );

// A status no server can send, or an empty list, failed every check without saying the config was the cause.
const httpStatus = z
  .number()
  .int()
  .min(100, { message: 'an HTTP status is from 100 to 599' })
  .max(599, { message: 'an HTTP status is from 100 to 599' });

const expectation = z.strictObject({
  status: z
    .union([httpStatus, z.array(httpStatus).min(1, { message: 'list at least one status, e.g. [200, 204]' })])
    .default(200)
    .meta({ description: 'Expected HTTP status (or list).' }),
  body: z.array(bodyCondition).optional().meta({ description: 'Conditions on JSON body fields.' }),
  contains: z.string().optional().meta({ description: 'Text the body must contain.' }),
  headers: z.record(z.string(), z.string()).optional(),
  certificateValidFor: durationAtMost('400d', 'a certificate validity')
    .optional()
    .meta({ description: 'Fail when the TLS certificate expires sooner.' }),
});

const healthAuth = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('bearer'), token: secretRef }),
  z.strictObject({
    type: z.literal('basic'),
    credentials: secretRef.meta({ description: 'Holds user:password.' }),
  }),
  z.strictObject({ type: z.literal('header'), header: z.string(), value: secretRef }),
]);

export const healthEndpoint = z
  .strictObject({
    type: z.enum(HEALTH_TYPES).meta({
      description:
        'liveness: process up; readiness: can take traffic; deep: checks dependencies; ping: cheap for external monitors; detailed: admin-only diagnostics (fetched with their auth and shown by `opsbook doctor`); smoke: a real request after deploy.',
    }),
    name: id.optional(),
    description: z.string().optional().meta({ description: 'What it checks, e.g. "Full dependency check".' }),
    path: z.string().startsWith('/', { message: "a path starts with '/', e.g. /health" }).optional(),
    url: z
      .url({
        protocol: /^https?$/,
        message: 'expected an http or https URL such as https://api.example.com/health',
      })
      .optional()
      .meta({ description: 'Absolute URL, when it is not under the service URL.' }),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    auth: healthAuth.optional(),
    expect: expectation.prefault({}),
    degraded: z.array(bodyCondition).optional().meta({
      description: 'Body conditions that mean degraded rather than healthy (e.g. status == degraded).',
    }),
    latencyBudget: durationAtMost('5m', 'a latency budget')
      .optional()
      .meta({ description: 'Slower than this counts as a failure.' }),
    timeout: durationAtMost('5m', 'a probe timeout')
      .optional()
      .meta({ description: 'How long a check waits for the answer (default: monitoring.timeout).' }),
    interval: durationAtMost('24h', 'a monitoring interval')
      .optional()
      .meta({ description: 'How often monitors check it.' }),
    environments: z.array(id).optional().meta({ description: 'Only in these environments (default: all).' }),
  })
  .refine((h) => h.path !== undefined || h.url !== undefined, {
    message: 'a health endpoint needs a path or a url',
  })
  // The answer to HEAD has no body: its body conditions failed every check, as if the endpoint were down.
  .refine(
    (h) =>
      h.method !== 'HEAD' ||
      (h.expect.body === undefined && h.expect.contains === undefined && h.degraded === undefined),
    {
      message:
        'a HEAD request gets no body, so body conditions, contains and degraded can never hold: use GET, or drop them',
      path: ['expect'],
    },
  );

const logPattern = z.union([
  z.string().meta({ description: 'Text to find; /regex/ between slashes is a regular expression.' }),
  z.strictObject({ pattern: z.string(), regex: z.boolean().default(false), note: z.string().optional() }),
]);

const logSignals = z.strictObject({
  success: z.array(logPattern).default([]).meta({ description: 'Lines that mean the release started well.' }),
  trouble: z
    .array(logPattern)
    .default([])
    .meta({ description: 'Lines that mean trouble: investigate or roll back.' }),
});

export const envVarSpec = z.strictObject({
  description: z.string().optional(),
  required: z.boolean().default(true),
  secret: z
    .boolean()
    .default(false)
    .meta({ description: 'Masked in all output; never written in config or store.' }),
  default: z.string().optional(),
  example: z.string().optional().meta({ description: 'Shown in the generated .env.example.' }),
  from: z
    .string()
    .regex(/^\$\{\{\s*[A-Za-z0-9_-]+\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Railway's reference syntax, not a template
      message: 'expected a reference such as ${{Postgres.DATABASE_URL}}',
    })
    .optional()
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Railway's reference syntax, not a template
    .meta({ description: "A reference to another service's variable, Railway style: ${{Postgres.PGPORT}}." }),
  environments: z.array(id).optional().meta({ description: 'Required only in these environments.' }),
  url: z.boolean().optional().meta({ description: 'Must be an absolute URL.' }),
  https: z
    .union([z.boolean(), z.array(id)])
    .optional()
    .meta({ description: 'Must use https (true: everywhere; a list: in those environments).' }),
  list: z
    .boolean()
    .optional()
    .meta({ description: 'Comma-separated list; rules apply to each item (CORS origins).' }),
  minLength: z.number().int().min(1).optional(),
  maxLength: z.number().int().min(1).optional(),
  enum: z.array(z.string()).optional(),
  pattern: z.string().optional().meta({ description: 'A regular expression the value must match.' }),
  format: z.enum(['int', 'port', 'bool', 'email', 'json', 'duration']).optional(),
});

export type EnvVarSpec = z.infer<typeof envVarSpec>;

const dependency = z.union([
  id,
  z.strictObject({
    service: id,
    critical: z
      .boolean()
      .default(true)
      .meta({ description: 'Down means this service is unhealthy (else degraded).' }),
    note: z.string().optional(),
  }),
]);

const serviceFields = {
  kind: z.enum(SERVICE_KINDS),
  description: z.string().optional(),
  platform: z.enum(PLATFORMS).optional(),
  provider: providerSchema
    .optional()
    .meta({ description: 'How opsbook deploys, watches and rolls it back.' }),
  engine: z
    .strictObject({ name: z.string(), version: z.string().optional() })
    .optional()
    .meta({ description: 'For databases and caches, e.g. { name: postgres, version: "17" }.' }),
  root: z.string().optional().meta({ description: 'Directory of the service in the repository.' }),
  runtime: z.string().optional().meta({ description: 'e.g. node 20, python 3.11.7.' }),
  build: z.string().optional(),
  start: z.string().optional(),
  schedule: schedule.optional().meta({ description: 'For cron services.' }),
  replicas: z.number().int().min(0).optional(),
  urls: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'URL per environment, e.g. { production: https://api.example.com }.' }),
  dependsOn: z.array(dependency).default([]),
  health: z.array(healthEndpoint).default([]),
  logs: logSignals.optional(),
  env: z
    .record(envVarName, envVarSpec)
    .default({})
    .meta({ description: 'The env contract: every variable the service reads.' }),
  links: z
    .record(z.string(), z.string())
    .optional()
    .meta({ description: 'Dashboards, log views, docs: name to URL.' }),
};

/** Per-environment overrides: any service field but kind. */
const serviceOverride = z.strictObject({
  platform: serviceFields.platform,
  provider: serviceFields.provider,
  replicas: serviceFields.replicas,
  health: z.array(healthEndpoint).optional(),
  env: z.record(envVarName, envVarSpec.partial()).optional(),
  disabled: z.boolean().optional().meta({ description: 'The service does not exist in this environment.' }),
});

export const serviceSchema = z.strictObject({
  ...serviceFields,
  overrides: z
    .record(z.string(), serviceOverride)
    .optional()
    .meta({ description: 'Changes for one environment, keyed by environment name.' }),
});

export type ServiceConfig = z.infer<typeof serviceSchema>;
/** A health endpoint as written; a resolved service's endpoints carry their timeout (`HealthEndpoint`). */
export type HealthEndpointConfig = z.infer<typeof healthEndpoint>;
/** A health endpoint of a resolved service: its timeout is its own, or monitoring.timeout. */
export type HealthEndpoint = HealthEndpointConfig & { timeout: string };
