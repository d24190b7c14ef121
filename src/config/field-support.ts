/**
 * The one table of config fields no command reads by name: each row says what reads it, or that validate refuses
 * it for now (config/not-supported-yet). A test walks the schema and fails for any other field no command reads.
 *
 * When a feature lands, delete its `refused` rows here: the schema-walk test then checks that a command reads them.
 */

/** A field's path: `.` between keys, `*` for any key of a record, `[]` for every item of a list. */
export type FieldPath = string;

export type FieldSupport =
  | { path: FieldPath; readBy: string }
  /** `until`: the feature that will act on it, when one is planned. */
  | { path: FieldPath; refused: string; until?: string };

export const FIELD_SUPPORT: readonly FieldSupport[] = [
  // Refused until the feature that acts on them lands.
  {
    path: 'repository',
    refused: 'no command reads it: the git gate and deploys use the checkout itself and deploy.branch',
  },
  {
    path: 'migrations.backup',
    refused:
      "migrate up backs up what a destructive file drops or rewrites, always; 'always' and 'never' are not acted on (pass --no-backup --reason to skip one run's backup)",
  },
  {
    path: 'migrations.testFirst',
    refused: 'migrate up does not rehearse on a scratch database first; run `opsbook migrate test` for that',
  },
  {
    path: 'deploy.verify.errorRateAbove',
    refused: 'verification measures health and smoke checks, not an error rate',
  },
  {
    path: 'rollback.criteria[].errorRateAbove',
    refused: 'rollback criteria are matched by checks and log lines, not by rates',
  },
  {
    path: 'rollback.criteria[].latencyIncreaseAbove',
    refused: 'rollback criteria are matched by checks and log lines, not by rates',
  },
  {
    path: 'rollback.criteria[].usersAffectedBelow',
    refused: 'rollback criteria are matched by checks and log lines, not by rates',
  },
  // Read by people: documentation kept with the runbook, shown by no command.
  { path: 'services.*.links', readBy: 'people: dashboards, log views and docs of the service' },
  {
    path: 'incidents.contacts.*.phone',
    readBy: 'people: how to call the contact (opsbook has no phone channel)',
  },
  {
    path: 'incidents.external',
    readBy:
      "people: who to call outside the team; a vendor's Statuspage page goes in `upstreams` to be read by serve and doctor",
  },
  { path: 'incidents.severities.*.examples', readBy: 'people: what a severity looks like' },
  { path: 'incidents.severities.*.actions', readBy: 'people: what to do at a severity' },
  // Read, but not by a property name a search can find.
  { path: '$schema', readBy: 'editors (the JSON Schema reference); opsbook ignores it' },
  { path: 'description', readBy: 'documentation for people; shown by no command' },
  { path: 'services.*.description', readBy: 'documentation for people; `init` writes it' },
  // What the platform builds and runs, as `init` reads it from render.yaml, netlify.toml or package.json: the platform
  // acts on these, opsbook does not (its name-based check above finds other things called `start` or `build`).
  ...(['runtime', 'build', 'start', 'replicas', 'schedule'] as const).map((field) => ({
    path: `services.*.${field}`,
    readBy:
      "documentation for people: the platform's own setting, which `init` copies; opsbook does not act on it",
  })),
  {
    path: 'services.*.overrides.*.replicas',
    readBy: "documentation for people: the platform's own setting; opsbook does not act on it",
  },
  { path: 'services.*.env.*.description', readBy: 'env docs and env generate' },
];

export const REFUSED_FIELDS = FIELD_SUPPORT.filter(
  (f): f is Extract<FieldSupport, { refused: string }> => 'refused' in f,
);
