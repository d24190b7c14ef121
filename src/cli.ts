/**
 * The command table. Kept free of heavy imports: each command's module is loaded only when it runs,
 * so `opsbook --help` and `--version` start as fast as Node itself.
 */
import {
  type CommandSpec,
  defineCommand,
  type FlagSpecs,
  GLOBAL_FLAGS,
  type StringFlag,
} from './commands/types.js';

const ENV_FLAG = {
  type: 'string',
  short: 'e',
  valueName: 'ENV',
  description: 'environment (default: production)',
} as const satisfies StringFlag;

export const COMMANDS: CommandSpec[] = [
  defineCommand({
    name: 'init',
    summary: 'detect the repository and write a starter opsbook.yaml',
    usage: 'opsbook init [--force] [--dry-run]',
    details:
      'Reads package.json scripts, prisma/, supabase/migrations/, alembic.ini, render.yaml, vercel.json, railway.json|toml,\nfly.toml, Procfile + app.json, netlify.toml and .env.example, and writes an opsbook.yaml that validates.',
    flags: {
      force: { type: 'boolean', description: 'overwrite an existing config' },
      'dry-run': { type: 'boolean', description: 'print the config instead of writing it' },
      name: {
        type: 'string',
        valueName: 'NAME',
        description: 'stack name (default: package name or folder name)',
      },
    },
    load: async () => (await import('./commands/init.js')).run,
  }),
  defineCommand({
    name: 'validate',
    summary: 'check a config and report every problem with its line and column',
    usage: 'opsbook validate [FILE...]',
    positionals: [{ name: 'FILE', description: 'config files to check', variadic: true }],
    flags: {},
    load: async () => (await import('./commands/validate.js')).run,
  }),
  defineCommand({
    name: 'status',
    summary:
      'the architecture table, live: services, platform, URL, dependencies, health, last deploy, the lock',
    usage: 'opsbook status [--env ENV] [--offline]',
    flags: {
      env: ENV_FLAG,
      offline: { type: 'boolean', description: 'do not probe the services (config and recorded state only)' },
    },
    load: async () => (await import('./commands/status.js')).run,
  }),
  defineCommand({
    name: 'schema',
    summary: 'print the JSON Schema of opsbook.yaml (for editors)',
    usage: 'opsbook schema [--write FILE]',
    flags: {
      write: { type: 'string', valueName: 'FILE', description: 'write the schema to FILE instead of stdout' },
    },
    load: async () => (await import('./commands/schema.js')).run,
  }),
  defineCommand({
    name: 'check',
    summary: 'run the pre-deploy checklist: command, built-in and confirmation gates, in parallel and cached',
    usage: 'opsbook check [--env ENV] [--only ID...] [--confirm ID...] [--no-cache] [--markdown FILE]',
    details:
      'Command gates run in parallel up to the core count; a passed gate is replayed from cache while its definition\nand inputs are unchanged. Confirmation gates are asked for on a terminal, or taken from --confirm.',
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
    load: async () => (await import('./commands/check.js')).run,
  }),
  defineCommand({
    name: 'hook',
    summary: 'the git pre-push hook: run the gates before a push-triggered platform builds',
    usage: 'opsbook hook install|uninstall|status [--force]',
    positionals: [{ name: 'ACTION', choices: ['install', 'uninstall', 'status', 'pre-push'] }],
    details:
      'install   write .git/hooks/pre-push (core.hooksPath respected); a hook opsbook did not write needs --force\n' +
      "uninstall remove it (only opsbook's own)\n" +
      'status    installed, outdated, foreign or absent\n' +
      'pre-push  what the hook runs: `opsbook check` for each environment the pushed branch deploys on push;\n' +
      '          OPSBOOK_CONFIRM=id[,id] confirms manual gates',
    flags: {
      force: { type: 'boolean', description: 'install over a pre-push hook opsbook did not write' },
    },
    load: async () => (await import('./commands/hook.js')).run,
  }),
  defineCommand({
    name: 'env',
    summary: 'the env contract: check values, diff sources, generate .env.example and the env docs table',
    usage:
      'opsbook env check|diff|example|docs [--env ENV] [--from SOURCE] [--against SOURCE] [--write [FILE]]',
    positionals: [
      { name: 'ACTION', choices: ['check', 'diff', 'example', 'docs'] },
      { name: 'FILE', description: 'with --write: the file to write' },
    ],
    details:
      "check    every contract rule for every service of the environment; values are never shown\ndiff     missing, extra and (with --against) changed keys, compared by SHA-256\nexample  .env.example from the contract (--write: beside the config, or FILE)\ndocs     the markdown table Variable | Required | Secret | Default | Description (--write FILE)\nSOURCE is process, file:PATH or provider (each service's own platform: Render, Vercel, Railway; write-only\nvalues are compared by presence only); default: the environment's envFile, else process.",
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
    load: async () => (await import('./commands/env.js')).run,
  }),
  defineCommand({
    name: 'secrets',
    summary: 'scan the working tree or git history for committed secrets (values are never shown)',
    usage: 'opsbook secrets scan [PATH] [--history] [--baseline FILE] [--write-baseline]',
    positionals: [
      { name: 'ACTION', choices: ['scan'] },
      { name: 'PATH', description: 'folder to scan (default: the working tree)' },
    ],
    details:
      'Built-in rules for Anthropic, OpenAI, Stripe, Clerk, Supabase, AWS, GitHub, Slack, Resend, Sentry, private keys,\ndatabase/Redis URLs and generic secret assignments; reads .gitleaks.toml and .gitleaksignore when present.\nRespects .gitignore; skips binary files and files over 5 MiB. Exit code 1 when a secret is found.',
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
    load: async () => (await import('./commands/secrets.js')).run,
  }),
  defineCommand({
    name: 'deploy',
    summary: 'gates, migrations, deploy in order, watch logs, verify, roll back automatically',
    usage: 'opsbook deploy [--env ENV] [--service NAME...] [--dry-run] [--yes] [--resume] [--no-cache]',
    details:
      'Holds the environment lock for the whole run. Every step is journaled: if opsbook is killed, `opsbook status`\nshows where it stopped and `opsbook deploy --resume` continues without deploying twice.',
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
    load: async () => (await import('./commands/deploy.js')).run,
  }),
  defineCommand({
    name: 'migrate',
    summary: 'lint, plan and apply Postgres migrations: locked, checksummed, resumable, backed up',
    usage:
      'opsbook migrate lint|plan|up|status|verify|test|baseline|repair [FILE|DIR...] [--dir DIR] [--database-url URL]',
    positionals: [
      { name: 'ACTION', choices: ['lint', 'plan', 'up', 'status', 'verify', 'test', 'baseline', 'repair'] },
      { name: 'PATH', description: 'lint: SQL files or folders', variadic: true },
    ],
    details:
      'lint [PATH...]  lint the given files, else only new ones: not yet applied (with a database URL) or\n' +
      '                changed since --since REF (default: upstream); --all for every file\n' +
      'plan            what up would do, with lint findings and destructive changes\n' +
      'up              apply pending files under an advisory lock (needs --yes when not interactive)\n' +
      'status          applied, pending, partial, edited and missing files, plus Prisma/Supabase/Alembic history\n' +
      'verify          fail unless every file is applied and unchanged\n' +
      'test            apply every file to a scratch database on the same server, then drop it\n' +
      'baseline        mark files applied without running them (--to VERSION or --from prisma|supabase)\n' +
      'repair          accept edited files and forget deleted ones\n' +
      'The database comes from --database-url or DATABASE_URL; the password is never printed.\n' +
      "Silence a finding with '-- opsbook-ignore RULE: reason' above the statement.",
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
    load: async () => (await import('./commands/migrate.js')).run,
  }),
  defineCommand({
    name: 'rollback',
    summary: 'roll back to the last verified-good deploy, verify it, and keep the environment locked',
    usage: 'opsbook rollback [SERVICE...] [--env ENV] [--to DEPLOY] [--reason TEXT] [--yes] [--resume]',
    positionals: [{ name: 'SERVICE', description: 'services to roll back (default: all)', variadic: true }],
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
    load: async () => (await import('./commands/rollback.js')).run,
  }),
  defineCommand({
    name: 'unlock',
    summary: 'release the environment lock after a rollback or a killed run',
    usage: 'opsbook unlock [--env ENV] [--force]',
    flags: {
      env: ENV_FLAG,
      force: { type: 'boolean', description: 'release even if the holding run looks alive' },
    },
    load: async () => (await import('./commands/unlock.js')).run,
  }),
  defineCommand({
    name: 'verify',
    summary:
      "run the deploy's verification on its own: health endpoints and smoke requests over a bake window",
    usage: 'opsbook verify [--env ENV] [--service NAME...] [--count N] [--interval DURATION]',
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
    load: async () => (await import('./commands/verify.js')).run,
  }),
  defineCommand({
    name: 'log',
    summary:
      'the deployment log and delivery metrics (deploy frequency, lead time, change failure rate, time to restore)',
    usage: 'opsbook log [--env ENV] [--run ID] [--full] [--markdown FILE] [--limit N] [--days N]',
    flags: {
      env: ENV_FLAG,
      run: { type: 'string', valueName: 'ID', description: 'one run, in full' },
      full: { type: 'boolean', description: 'every entry in the deployment log template' },
      markdown: { type: 'string', valueName: 'FILE', description: 'write the deployment log as markdown' },
      limit: { type: 'string', valueName: 'N', description: 'entries to show (default 20)' },
      days: { type: 'string', valueName: 'N', description: 'metrics window in days (default 30)' },
    },
    load: async () => (await import('./commands/log.js')).run,
  }),
  defineCommand({
    name: 'health',
    summary: 'probe every service once: healthy, degraded, unhealthy or unknown, and the stack status',
    usage: 'opsbook health [--env ENV] [--service S]',
    details:
      'Calls liveness, readiness, deep and ping endpoints, and databases and caches through the connection URL\nthe apps read (DATABASE_URL, REDIS_URL, ...). Exit code 1 when the stack (or --service) is unhealthy.',
    flags: {
      env: ENV_FLAG,
      service: { type: 'string', valueName: 'S', description: 'only this service and what it depends on' },
    },
    load: async () => (await import('./commands/health.js')).run,
  }),
  defineCommand({
    name: 'doctor',
    summary: 'diagnose the stack: small named checks, each saying what it looked at, found and what to do',
    usage: 'opsbook doctor [SERVICE] [--env ENV]',
    details:
      'Checks DNS and TLS of every URL, database and cache connections, platform credentials, env drift against the\ncontract and against the last verified deploy (by salted hash: names, never values), CORS preflights from each frontend, the deploy lock, failing health followed down its dependencies,\nrecent deploys and error logs, PostgreSQL and Redis live state, pending migrations, and shows `detailed` endpoints.\nProblems come first, the likeliest cause first. Exit code 1 when there is a problem.',
    positionals: [{ name: 'SERVICE', description: 'only this service and what it depends on' }],
    flags: { env: ENV_FLAG },
    load: async () => (await import('./commands/doctor.js')).run,
  }),
  defineCommand({
    name: 'logs',
    summary: "services' log lines from their platforms, interleaved by time, secrets masked",
    usage:
      'opsbook logs [SERVICE...] [--follow] [--since 15m] [--grep TEXT] [--level LEVEL] [--lines N] [--env ENV]',
    details:
      'Reads the live release of each service (local, command, Render, Vercel, Railway, Fly, Heroku, Netlify) and\nprints its lines with a service prefix. Levels are read from JSON logs and common text formats; --level keeps\nthat level and above. --grep takes text or /regex/. With --json and --follow, one JSON line per log line.',
    positionals: [
      { name: 'SERVICE', description: 'services to read (default: every deployed one)', variadic: true },
    ],
    flags: {
      env: ENV_FLAG,
      follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until Ctrl-C' },
      since: {
        type: 'string',
        valueName: 'DURATION',
        description: 'only lines of the last DURATION, e.g. 15m',
      },
      grep: {
        type: 'string',
        valueName: 'TEXT',
        description: 'only lines containing TEXT (or matching /regex/)',
      },
      level: {
        type: 'string',
        valueName: 'LEVEL',
        choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal'],
        description: 'only this level and above: trace, debug, info, warn, error, fatal',
      },
      lines: { type: 'string', valueName: 'N', description: 'how many recent lines (default 100)' },
    },
    load: async () => (await import('./commands/logs.js')).run,
  }),
  defineCommand({
    name: 'slo',
    summary: 'error budget remaining and burn rates of every SLO, from the monitor history',
    usage: 'opsbook slo [--env ENV] [--slo ID]',
    flags: { env: ENV_FLAG, slo: { type: 'string', valueName: 'ID', description: 'only this SLO' } },
    load: async () => (await import('./commands/slo.js')).run,
  }),
  defineCommand({
    name: 'silence',
    summary: 'mute alerts by label matchers until a time: add, list, expire',
    usage:
      'opsbook silence add MATCHER... --comment TEXT [--duration 2h | --until TIME] | list [--all] | expire ID',
    positionals: [
      { name: 'ACTION', choices: ['add', 'list', 'expire'] },
      { name: 'ARG', description: 'add: MATCHER...; expire: ID', variadic: true },
    ],
    details:
      'MATCHER is label=value, label!=value, label=~regex or label!~regex over the labels alertname, service,\nenvironment, condition and severity, e.g. service=api alertname=~"api-.*". Default duration 2h.',
    flags: {
      env: {
        type: 'string',
        short: 'e',
        valueName: 'ENV',
        description: 'only alerts of this environment (default: all)',
      },
      duration: {
        type: 'string',
        valueName: 'DURATION',
        description: 'add: how long, e.g. 30m, 2h (default 2h)',
      },
      until: {
        type: 'string',
        valueName: 'TIME',
        description: 'add: end time (ISO 8601) instead of a duration',
      },
      comment: { type: 'string', valueName: 'TEXT', description: 'add: why (required)' },
      author: { type: 'string', valueName: 'NAME', description: 'add: who (default: git user)' },
      all: { type: 'boolean', description: 'list: include ended silences' },
    },
    load: async () => (await import('./commands/silence.js')).run,
  }),
  defineCommand({
    name: 'serve',
    summary: 'run monitors and alerts, and serve the status page, the JSON API and Prometheus metrics',
    usage: 'opsbook serve [--env ENV] [--port N] [--host ADDRESS]',
    details:
      'Pages: /status (public, read-only, Atom feed at /status/feed.atom), /api/v1/{status,services/NAME,slo,alerts,incidents,deploys},\n/metrics, and the acknowledge links of incident notifications (OPSBOOK_PUBLIC_URL: the URL they point at).\nWith OPSBOOK_DATABASE_URL several instances share the checks, alert evaluations and escalations. Stops on SIGINT or SIGTERM.',
    flags: {
      env: ENV_FLAG,
      port: {
        type: 'string',
        valueName: 'N',
        description: 'port to listen on (default 8080; 0: any free port)',
      },
      host: { type: 'string', valueName: 'ADDRESS', description: 'address to listen on (default 127.0.0.1)' },
    },
    load: async () => (await import('./commands/serve.js')).run,
  }),
  defineCommand({
    name: 'backup',
    summary: 'PostgreSQL backups proven by restores: run, list, verify, restore, prune',
    usage:
      'opsbook backup run [ENTRY] [--no-prune] | list [ENTRY] | verify [ENTRY|ID] | restore ID --target-env VAR [--dry-run] [--yes] | prune [ENTRY] [--dry-run] | confirm ENTRY [--at TIME] [--note TEXT]',
    positionals: [
      { name: 'ACTION', choices: ['run', 'list', 'verify', 'restore', 'prune', 'confirm'] },
      { name: 'TARGET', description: 'ENTRY, or a backup ID for verify and restore' },
    ],
    details:
      "ENTRY is a backups: id of opsbook.yaml (default: the only one); ID is ENTRY/STAMP as `backup list` shows it.\nverify restores into a scratch database, compares row counts with the manifest and runs the invariants.\nrestore refuses the production database unless --force-production --confirm-database NAME.\nFor managed: true entries, list shows the newest backup from the Supabase or Railway API, or the last confirmation;\nconfirm records that a person saw the platform's backup (Render, Neon), with who and when.",
    flags: {
      'no-prune': { type: 'boolean', description: 'run: keep every old backup this time' },
      'dry-run': { type: 'boolean', description: 'restore, prune: show the plan, change nothing' },
      yes: { type: 'boolean', short: 'y', description: 'restore: no confirmation prompt' },
      target: { type: 'string', valueName: 'URL', description: 'restore: the target database URL' },
      'target-env': {
        type: 'string',
        valueName: 'VAR',
        description: 'restore: variable holding the target URL',
      },
      'force-production': { type: 'boolean', description: 'restore: allow the database the entry backs up' },
      'confirm-database': {
        type: 'string',
        valueName: 'NAME',
        description: 'restore: the production database name, typed',
      },
      at: {
        type: 'string',
        valueName: 'TIME',
        description: 'confirm: when the backup was taken (default now)',
      },
      note: {
        type: 'string',
        valueName: 'TEXT',
        description: 'confirm: what was checked, e.g. the dashboard entry',
      },
    },
    load: async () => (await import('./commands/backup.js')).run,
  }),
  defineCommand({
    name: 'maintenance',
    summary:
      'recurring chores with schedules, owners and evidence: list, due, run, done; maintenance windows',
    usage:
      'opsbook maintenance list | due | run TASK | done TASK [--note TEXT] | window start SERVICE... --duration 1h [--reason TEXT] | window end [ID] | window list',
    positionals: [
      { name: 'ACTION', choices: ['list', 'due', 'run', 'done', 'window'] },
      {
        name: 'ARG',
        description: 'run, done: the task id; window: start|end|list, then services or the window id',
        variadic: true,
      },
    ],
    details:
      "run executes the task's built-in check or its run: command and records the evidence; done records that a person\ndid a checklist. A maintenance window shows its services under maintenance on the status page, silences their\nalerts until it ends, and is recorded in the timeline of their open incidents.",
    flags: {
      env: ENV_FLAG,
      note: { type: 'string', valueName: 'TEXT', description: 'done: a note kept with the record' },
      duration: { type: 'string', valueName: 'DURATION', description: 'window start: how long (default 1h)' },
      reason: {
        type: 'string',
        valueName: 'TEXT',
        description: 'window start: why (shown in incident timelines)',
      },
    },
    load: async () => (await import('./commands/maintenance.js')).run,
  }),
  defineCommand({
    name: 'incident',
    summary:
      'incidents: open, acknowledge, post public updates, note, resolve, list, show, write the postmortem',
    usage:
      'opsbook incident open SEVERITY TITLE [--service S] | ack ID | update ID --status S --message TEXT | resolve ID [--summary TEXT] | note ID TEXT | list [--all] | show ID | postmortem ID [--format markdown|json] [--output FILE]',
    positionals: [
      { name: 'ACTION', choices: ['open', 'ack', 'update', 'resolve', 'note', 'list', 'show', 'postmortem'] },
      {
        name: 'ARG',
        description: 'open: SEVERITY TITLE...; others: the incident number, then text',
        variadic: true,
      },
    ],
    details:
      "'opsbook serve' escalates open incidents (alerts with a severity open them too). update's --status is one of\ninvestigating, identified, monitoring: the update appears on the status page. resolve asks for a summary.",
    flags: {
      env: ENV_FLAG,
      service: {
        type: 'string',
        multiple: true,
        valueName: 'SERVICE',
        description: 'open: an affected service',
      },
      commander: { type: 'string', valueName: 'NAME', description: 'open: the incident commander' },
      by: { type: 'string', valueName: 'NAME', description: 'who acts (default: git user or OPSBOOK_ACTOR)' },
      status: {
        type: 'string',
        valueName: 'STATUS',
        choices: ['investigating', 'identified', 'monitoring'],
        description: 'update: investigating, identified or monitoring',
      },
      message: { type: 'string', valueName: 'TEXT', description: 'update: the public text' },
      summary: { type: 'string', valueName: 'TEXT', description: 'resolve: what happened and what fixed it' },
      all: { type: 'boolean', description: 'list: resolved incidents too' },
      format: {
        type: 'string',
        valueName: 'FORMAT',
        choices: ['markdown', 'json'],
        description: 'postmortem: markdown (default) or json',
      },
      output: { type: 'string', valueName: 'FILE', description: 'postmortem: write to FILE' },
    },
    load: async () => (await import('./commands/incident.js')).run,
  }),
  defineCommand({
    name: 'oncall',
    summary: 'who is on call now or at a time, and the coming shifts of each schedule',
    usage: 'opsbook oncall [now] | at TIME | schedule [ID] [--days N]',
    positionals: [
      { name: 'ACTION', choices: ['now', 'at', 'schedule'] },
      { name: 'ARG', description: 'at: an ISO 8601 time; schedule: a schedule id' },
    ],
    flags: {
      days: { type: 'string', valueName: 'N', description: 'schedule: how many days ahead (default 14)' },
    },
    load: async () => (await import('./commands/oncall.js')).run,
  }),
  defineCommand({
    name: 'completion',
    summary: 'print the shell completion script for bash, zsh or fish',
    usage: 'opsbook completion bash|zsh|fish',
    positionals: [{ name: 'SHELL', choices: ['bash', 'zsh', 'fish'] }],
    details:
      'bash  opsbook completion bash > ~/.local/share/bash-completion/completions/opsbook\n' +
      "      (or add 'source <(opsbook completion bash)' to ~/.bashrc)\n" +
      'zsh   opsbook completion zsh > "$fpath[1]/_opsbook"\n' +
      "      (or add 'source <(opsbook completion zsh)' to ~/.zshrc, after compinit)\n" +
      'fish  opsbook completion fish > ~/.config/fish/completions/opsbook.fish\n' +
      'Commands, their options and the values opsbook knows (subcommands, levels, formats, files) are completed.',
    flags: {},
    load: async () => (await import('./commands/completion.js')).completionCommand(COMMANDS),
  }),
  // <<commands>> new command specs go above this line
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function flagLines(flags: FlagSpecs): string[] {
  return Object.entries(flags).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : '    '}--${name}${f.type === 'string' ? ` ${f.valueName ?? 'VALUE'}` : ''}`;
    return `  ${left.padEnd(28)} ${f.description}${f.type === 'string' && f.multiple ? ' (repeatable)' : ''}`;
  });
}

export function mainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `opsbook ${version}: your production runbook as software`,
    '',
    'Usage: opsbook <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '  -v, --version                print the version',
    '',
    'Exit codes: 0 ok, 1 the result is a failure, 2 bad usage or input, 3 platform error, 4 locked, 5 environment (disk full, no permission, database lost), 70 bug, 130 interrupted.',
    "Run 'opsbook <command> --help' for a command's options.",
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [
    `${spec.usage}`,
    '',
    spec.summary,
    ...(spec.details ? ['', spec.details] : []),
    '',
    ...(Object.keys(spec.flags).length ? ['Options:', ...flagLines(spec.flags), ''] : []),
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
  ].join('\n');
}
