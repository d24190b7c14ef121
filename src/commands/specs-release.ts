/**
 * The arguments (flags and positionals) of the commands that set up, check and ship a release. The command table (cli.ts)
 * and each handler read them from here, so a handler is typed by exactly what the table declares.
 * Data only: cli.ts loads it for --help.
 */
import { defineArgs, ENV_FLAG } from './types.js';

export const INIT_ARGS = defineArgs({
  flags: {
    force: { type: 'boolean', description: 'overwrite an existing config' },
    'dry-run': { type: 'boolean', description: 'print the config instead of writing it' },
    name: {
      type: 'string',
      valueName: 'NAME',
      description: 'stack name (default: package name or folder name)',
    },
  },
  positionals: [],
});

export const VALIDATE_ARGS = defineArgs({
  flags: {},
  positionals: [{ name: 'FILE', description: 'config files to check', variadic: true }],
});

export const STATUS_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    offline: { type: 'boolean', description: 'do not probe the services (config and recorded state only)' },
  },
  positionals: [],
});

export const SCHEMA_ARGS = defineArgs({
  flags: {
    write: { type: 'string', valueName: 'FILE', description: 'write the schema to FILE instead of stdout' },
  },
  positionals: [],
});

export const CHECK_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    only: { type: 'string', multiple: true, valueName: 'ID', description: 'run only this gate' },
    confirm: {
      type: 'string',
      multiple: true,
      valueName: 'ID',
      description: 'confirm this manual gate (non-interactive runs)',
    },
    'no-cache': { type: 'boolean', description: 'rerun every gate, ignoring cached results' },
    markdown: {
      type: 'string',
      valueName: 'FILE',
      description: 'write the printable checklist with evidence',
    },
  },
  positionals: [],
});

export const HOOK_ARGS = defineArgs({
  flags: {
    force: { type: 'boolean', description: 'install over a pre-push hook opsbook did not write' },
  },
  positionals: [{ name: 'ACTION', choices: ['install', 'uninstall', 'status', 'pre-push'] }],
});

export const ENV_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    from: {
      type: 'string',
      valueName: 'SOURCE',
      description: 'process | file:PATH | provider',
    },
    against: {
      type: 'string',
      valueName: 'SOURCE',
      description: 'diff: a second source to compare values with',
    },
    service: { type: 'string', valueName: 'NAME', description: 'example/docs: only this service' },
    write: { type: 'boolean', description: 'example/docs: write the file (FILE as the next argument)' },
  },
  positionals: [
    { name: 'ACTION', choices: ['check', 'diff', 'example', 'docs'] },
    { name: 'FILE', description: 'with --write: the file to write' },
  ],
});

export const SECRETS_ARGS = defineArgs({
  flags: {
    history: {
      type: 'boolean',
      description: 'scan the lines every commit added (git log -p --all) instead of the files',
    },
    baseline: {
      type: 'string',
      valueName: 'FILE',
      description: 'accepted findings (default .opsbook/secrets-baseline.json)',
    },
    'write-baseline': {
      type: 'boolean',
      description: 'accept every current finding: write them to the baseline',
    },
    threads: {
      type: 'string',
      valueName: 'N',
      description: 'scanning threads; 1 scans on the main thread (default: one per core for large scans)',
    },
  },
  positionals: [
    { name: 'ACTION', choices: ['scan'] },
    { name: 'PATH', description: 'folder to scan (default: the working tree)' },
  ],
});

export const DEPLOY_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    service: { type: 'string', multiple: true, valueName: 'NAME', description: 'deploy only this service' },
    'dry-run': { type: 'boolean', description: 'print the plan and stop' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation (scripts, CI)' },
    resume: { type: 'boolean', description: 'continue the interrupted or paused run of the environment' },
    run: { type: 'string', valueName: 'ID', description: 'with --resume: which run' },
    commit: { type: 'string', valueName: 'SHA', description: 'commit to ship (default: HEAD)' },
    follow: { type: 'boolean', description: 'follow the deploy the platform started on push' },
    version: { type: 'string', valueName: 'LABEL', description: 'release label (local provider)' },
    'skip-gates': { type: 'boolean', description: 'skip the pre-deploy gates (recorded)' },
    'no-cache': { type: 'boolean', description: 'rerun every gate, ignoring cached results' },
    'lead-time': {
      type: 'string',
      valueName: 'DURATION',
      description:
        'wait this long after the start announcement instead of announcements.leadTime (0: at once)',
    },
    confirm: {
      type: 'string',
      multiple: true,
      valueName: 'ID',
      description: 'confirm a manual gate, or a deploy.verify.confirm question (verify-1, verify-2, ...)',
    },
  },
  positionals: [],
});

export const MIGRATE_ARGS = defineArgs({
  flags: {
    dir: {
      type: 'string',
      valueName: 'DIR',
      description: 'folder of NNN_name.sql files (default: migrations)',
    },
    'database-url': {
      type: 'string',
      valueName: 'URL',
      description: 'target database (default: $DATABASE_URL)',
    },
    schema: {
      type: 'string',
      valueName: 'NAME',
      description: 'schema of the history tables (default: opsbook_migrations)',
    },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'apply without asking (required when not interactive)',
    },
    'dry-run': { type: 'boolean', description: 'print the plan and change nothing' },
    'no-backup': {
      type: 'boolean',
      description: 'skip the pg_dump before destructive files (needs --reason)',
    },
    reason: {
      type: 'string',
      valueName: 'TEXT',
      description: 'why, recorded with --no-backup, repair and baseline',
    },
    'allow-out-of-order': {
      type: 'boolean',
      description: 'apply pending files older than the newest applied one',
    },
    'pg-version': {
      type: 'string',
      valueName: 'N',
      description: 'Postgres version to lint for without a database (default: 15)',
    },
    all: { type: 'boolean', description: 'lint: every file, not only those not yet applied or changed' },
    since: {
      type: 'string',
      valueName: 'REF',
      description: 'lint: only files changed since this git ref (default: the upstream branch)',
    },
    to: {
      type: 'string',
      valueName: 'VERSION',
      description: 'baseline: mark files up to VERSION as applied',
    },
    from: {
      type: 'string',
      valueName: 'TOOL',
      choices: ['prisma', 'supabase', 'alembic'],
      description: 'baseline: import the history of prisma or supabase',
    },
  },
  positionals: [
    { name: 'ACTION', choices: ['lint', 'plan', 'up', 'status', 'verify', 'test', 'baseline', 'repair'] },
    { name: 'PATH', description: 'lint: SQL files or folders', variadic: true },
  ],
});

export const ROLLBACK_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    resume: {
      type: 'boolean',
      description: 'finish the rollback that was cut short, with the targets it chose',
    },
    to: { type: 'string', valueName: 'DEPLOY', description: 'the deploy id to go back to (one service)' },
    reason: { type: 'string', valueName: 'TEXT', description: 'why, for the record' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation' },
  },
  positionals: [{ name: 'SERVICE', description: 'services to roll back (default: all)', variadic: true }],
});

export const UNLOCK_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    force: { type: 'boolean', description: 'release even if the holding run looks alive' },
  },
  positionals: [],
});

export const VERIFY_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    service: { type: 'string', multiple: true, valueName: 'NAME', description: 'verify only this service' },
    count: {
      type: 'string',
      valueName: 'N',
      description: 'measurements to take (default: bake / interval)',
    },
    interval: { type: 'string', valueName: 'DURATION', description: 'time between measurements' },
  },
  positionals: [],
});

export const LOG_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    run: { type: 'string', valueName: 'ID', description: 'one run, in full' },
    full: { type: 'boolean', description: 'every entry in the deployment log template' },
    markdown: { type: 'string', valueName: 'FILE', description: 'write the deployment log as markdown' },
    limit: { type: 'string', valueName: 'N', description: 'entries to show (default 20)' },
    days: { type: 'string', valueName: 'N', description: 'metrics window in days (default 30)' },
  },
  positionals: [],
});

export const COMPLETION_ARGS = defineArgs({
  flags: {},
  positionals: [{ name: 'SHELL', choices: ['bash', 'zsh', 'fish'] }],
});
