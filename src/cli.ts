/**
 * The command table. Kept free of heavy imports: each command's module is loaded only when it runs,
 * so `opsbook --help` and `--version` start as fast as Node itself.
 */
import {
  BACKUP_ARGS,
  DOCTOR_ARGS,
  HEALTH_ARGS,
  INCIDENT_ARGS,
  LOGS_ARGS,
  MAINTENANCE_ARGS,
  ONCALL_ARGS,
  SERVE_ARGS,
  SILENCE_ARGS,
  SLO_ARGS,
} from './commands/specs-operate.js';
import {
  CHECK_ARGS,
  COMPLETION_ARGS,
  DEPLOY_ARGS,
  ENV_ARGS,
  HOOK_ARGS,
  INIT_ARGS,
  LOG_ARGS,
  MIGRATE_ARGS,
  ROLLBACK_ARGS,
  SCHEMA_ARGS,
  SECRETS_ARGS,
  STATUS_ARGS,
  UNLOCK_ARGS,
  VALIDATE_ARGS,
  VERIFY_ARGS,
} from './commands/specs-release.js';
import { type CommandSpec, defineCommand, type FlagSpecs, GLOBAL_FLAGS } from './commands/types.js';

export const COMMANDS: CommandSpec[] = [
  defineCommand(INIT_ARGS, {
    name: 'init',
    summary: 'detect the repository and write a starter opsbook.yaml',
    usage: 'opsbook init [--force] [--dry-run]',
    details:
      'Reads package.json scripts, prisma/, supabase/migrations/, alembic.ini, render.yaml, vercel.json, railway.json|toml,\nfly.toml, Procfile + app.json, netlify.toml and .env.example, and writes an opsbook.yaml that validates.',
    load: async () => (await import('./commands/init.js')).run,
  }),
  defineCommand(VALIDATE_ARGS, {
    name: 'validate',
    summary: 'check a config and report every problem with its line and column',
    usage: 'opsbook validate [FILE...]',
    load: async () => (await import('./commands/validate.js')).run,
  }),
  defineCommand(STATUS_ARGS, {
    name: 'status',
    summary:
      'the architecture table, live: services, platform, URL, dependencies, health, last deploy, the lock',
    usage: 'opsbook status [--env ENV] [--offline]',
    load: async () => (await import('./commands/status.js')).run,
  }),
  defineCommand(SCHEMA_ARGS, {
    name: 'schema',
    summary: 'print the JSON Schema of opsbook.yaml (for editors)',
    usage: 'opsbook schema [--write FILE]',
    load: async () => (await import('./commands/schema.js')).run,
  }),
  defineCommand(CHECK_ARGS, {
    name: 'check',
    summary: 'run the pre-deploy checklist: command, built-in and confirmation gates, in parallel and cached',
    usage: 'opsbook check [--env ENV] [--only ID...] [--confirm ID...] [--no-cache] [--markdown FILE]',
    details:
      'Command gates run in parallel up to the core count; a passed gate is replayed from cache while its definition\nand inputs are unchanged. Confirmation gates are asked for on a terminal, or taken from --confirm.',
    load: async () => (await import('./commands/check.js')).run,
  }),
  defineCommand(HOOK_ARGS, {
    name: 'hook',
    summary: 'the git pre-push hook: run the gates before a push-triggered platform builds',
    usage: 'opsbook hook install|uninstall|status [--force]',
    details:
      'install   write .git/hooks/pre-push (core.hooksPath respected); a hook opsbook did not write needs --force\n' +
      "uninstall remove it (only opsbook's own)\n" +
      'status    installed, outdated, foreign or absent\n' +
      'pre-push  what the hook runs: `opsbook check` for each environment the pushed branch deploys on push;\n' +
      '          OPSBOOK_CONFIRM=id[,id] confirms manual gates',
    load: async () => (await import('./commands/hook.js')).run,
  }),
  defineCommand(ENV_ARGS, {
    name: 'env',
    summary: 'the env contract: check values, diff sources, generate .env.example and the env docs table',
    usage:
      'opsbook env check|diff|example|docs [--env ENV] [--from SOURCE] [--against SOURCE] [--write [FILE]]',
    details:
      "check    every contract rule for every service of the environment; values are never shown\ndiff     missing, extra and (with --against) changed keys, compared by SHA-256\nexample  .env.example from the contract (--write: beside the config, or FILE)\ndocs     the markdown table Variable | Required | Secret | Default | Description (--write FILE)\nSOURCE is process, file:PATH or provider (each service's own platform: Render, Vercel, Railway; write-only\nvalues are compared by presence only); default: the environment's envFile, else process.",
    load: async () => (await import('./commands/env.js')).run,
  }),
  defineCommand(SECRETS_ARGS, {
    name: 'secrets',
    summary: 'scan the working tree or git history for committed secrets (values are never shown)',
    usage: 'opsbook secrets scan [PATH] [--history] [--baseline FILE] [--write-baseline]',
    details:
      'Built-in rules for Anthropic, OpenAI, Stripe, Clerk, Supabase, AWS, GitHub, Slack, Resend, Sentry, private keys,\ndatabase/Redis URLs and generic secret assignments; reads .gitleaks.toml and .gitleaksignore when present.\nRespects .gitignore; skips binary files and files over 5 MiB. Exit code 1 when a secret is found.',
    load: async () => (await import('./commands/secrets.js')).run,
  }),
  defineCommand(DEPLOY_ARGS, {
    name: 'deploy',
    summary: 'gates, migrations, deploy in order, watch logs, verify, roll back automatically',
    usage: 'opsbook deploy [--env ENV] [--service NAME...] [--dry-run] [--yes] [--resume] [--no-cache]',
    details:
      'Holds the environment lock for the whole run. Every step is journaled: if opsbook is killed, `opsbook status`\nshows where it stopped and `opsbook deploy --resume` continues without deploying twice.',
    load: async () => (await import('./commands/deploy.js')).run,
  }),
  defineCommand(MIGRATE_ARGS, {
    name: 'migrate',
    summary: 'lint, plan and apply Postgres migrations: locked, checksummed, resumable, backed up',
    usage:
      'opsbook migrate lint|plan|up|status|verify|test|baseline|repair [FILE|DIR...] [--dir DIR] [--database-url URL]',
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
    load: async () => (await import('./commands/migrate.js')).run,
  }),
  defineCommand(ROLLBACK_ARGS, {
    name: 'rollback',
    summary: 'roll back to the last verified-good deploy, verify it, and keep the environment locked',
    usage: 'opsbook rollback [SERVICE...] [--env ENV] [--to DEPLOY] [--reason TEXT] [--yes] [--resume]',
    load: async () => (await import('./commands/rollback.js')).run,
  }),
  defineCommand(UNLOCK_ARGS, {
    name: 'unlock',
    summary: 'release the environment lock after a rollback or a killed run',
    usage: 'opsbook unlock [--env ENV] [--force]',
    load: async () => (await import('./commands/unlock.js')).run,
  }),
  defineCommand(VERIFY_ARGS, {
    name: 'verify',
    summary:
      "run the deploy's verification on its own: health endpoints and smoke requests over a bake window",
    usage: 'opsbook verify [--env ENV] [--service NAME...] [--count N] [--interval DURATION]',
    load: async () => (await import('./commands/verify.js')).run,
  }),
  defineCommand(LOG_ARGS, {
    name: 'log',
    summary:
      'the deployment log and delivery metrics (deploy frequency, lead time, change failure rate, time to restore)',
    usage: 'opsbook log [--env ENV] [--run ID] [--full] [--markdown FILE] [--limit N] [--days N]',
    load: async () => (await import('./commands/log.js')).run,
  }),
  defineCommand(HEALTH_ARGS, {
    name: 'health',
    summary: 'probe every service once: healthy, degraded, unhealthy or unknown, and the stack status',
    usage: 'opsbook health [--env ENV] [--service S]',
    details:
      'Calls liveness, readiness, deep and ping endpoints, and databases and caches through the connection URL\nthe apps read (DATABASE_URL, REDIS_URL, ...). Exit code 1 when the stack (or --service) is unhealthy, or unknown (nothing could be probed).',
    load: async () => (await import('./commands/health.js')).run,
  }),
  defineCommand(DOCTOR_ARGS, {
    name: 'doctor',
    summary: 'diagnose the stack: small named checks, each saying what it looked at, found and what to do',
    usage: 'opsbook doctor [SERVICE] [--env ENV]',
    details:
      'Checks DNS and TLS of every URL, database and cache connections, platform credentials, env drift against the\ncontract and against the last verified deploy (by salted hash: names, never values), CORS preflights from each frontend, the deploy lock, failing health followed down its dependencies,\nrecent deploys and error logs, PostgreSQL and Redis live state, pending migrations, and shows `detailed` endpoints.\nProblems come first, the likeliest cause first. Exit code 1 when there is a problem.',
    load: async () => (await import('./commands/doctor.js')).run,
  }),
  defineCommand(LOGS_ARGS, {
    name: 'logs',
    summary: "services' log lines from their platforms, interleaved by time, secrets masked",
    usage:
      'opsbook logs [SERVICE...] [--follow] [--since 15m] [--grep TEXT] [--level LEVEL] [--lines N] [--env ENV]',
    details:
      'Reads the live release of each service (local, command, Render, Vercel, Railway, Fly, Heroku, Netlify) and\nprints its lines with a service prefix. Levels are read from JSON logs and common text formats; --level keeps\nthat level and above. --grep takes text or /regex/. With --json and --follow, one JSON line per log line.',
    load: async () => (await import('./commands/logs.js')).run,
  }),
  defineCommand(SLO_ARGS, {
    name: 'slo',
    summary: 'error budget remaining and burn rates of every SLO, from the monitor history',
    usage: 'opsbook slo [--env ENV] [--slo ID]',
    load: async () => (await import('./commands/slo.js')).run,
  }),
  defineCommand(SILENCE_ARGS, {
    name: 'silence',
    summary: 'mute alerts by label matchers until a time: add, list, expire',
    usage:
      'opsbook silence add MATCHER... --comment TEXT [--duration 2h | --until TIME] | list [--all] | expire ID',
    details:
      'MATCHER is label=value, label!=value, label=~regex or label!~regex over the labels alertname, service,\nenvironment, condition and severity, e.g. service=api alertname=~"api-.*". Default duration 2h.',
    load: async () => (await import('./commands/silence.js')).run,
  }),
  defineCommand(SERVE_ARGS, {
    name: 'serve',
    summary: 'run monitors and alerts, and serve the status page, the JSON API and Prometheus metrics',
    usage: 'opsbook serve [--env ENV] [--port N] [--host ADDRESS]',
    details:
      'Pages: /status (public, read-only, Atom feed at /status/feed.atom), /api/v1/{status,services/NAME,slo,alerts,incidents,deploys},\n/metrics, and the acknowledge links of incident notifications (OPSBOOK_PUBLIC_URL: the URL they point at).\nWith OPSBOOK_DATABASE_URL several instances share the checks, alert evaluations and escalations. Stops on SIGINT or SIGTERM.',
    load: async () => (await import('./commands/serve.js')).run,
  }),
  defineCommand(BACKUP_ARGS, {
    name: 'backup',
    summary: 'PostgreSQL backups proven by restores: run, list, verify, restore, prune',
    usage:
      'opsbook backup run [ENTRY] [--no-prune] | list [ENTRY] | verify [ENTRY|ID] | restore ID --target-env VAR [--dry-run] [--yes] | prune [ENTRY] [--dry-run] | confirm ENTRY [--at TIME] [--note TEXT]',
    details:
      "ENTRY is a backups: id of opsbook.yaml (default: the only one); ID is ENTRY/STAMP as `backup list` shows it.\nverify restores into a scratch database, compares row counts with the manifest and runs the invariants.\nrestore refuses the production database unless --force-production --confirm-database NAME.\nFor managed: true entries, list shows the newest backup from the Supabase or Railway API, or the last confirmation;\nconfirm records that a person saw the platform's backup (Render, Neon), with who and when.",
    load: async () => (await import('./commands/backup.js')).run,
  }),
  defineCommand(MAINTENANCE_ARGS, {
    name: 'maintenance',
    summary:
      'recurring chores with schedules, owners and evidence: list, due, run, done; maintenance windows',
    usage:
      'opsbook maintenance list | due | run TASK | done TASK [--note TEXT] | window start SERVICE... --duration 1h [--reason TEXT] | window end [ID] | window list',
    details:
      "run executes the task's built-in check or its run: command and records the evidence; done records that a person\ndid a checklist. A maintenance window shows its services under maintenance on the status page, silences their\nalerts until it ends, and is recorded in the timeline of their open incidents.",
    load: async () => (await import('./commands/maintenance.js')).run,
  }),
  defineCommand(INCIDENT_ARGS, {
    name: 'incident',
    summary:
      'incidents: open, acknowledge, post public updates, note, resolve, list, show, write the postmortem',
    usage:
      'opsbook incident open SEVERITY TITLE [--service S] | ack ID | update ID --status S --message TEXT | resolve ID [--summary TEXT] | note ID TEXT | list [--all] | show ID | postmortem ID [--format markdown|json] [--output FILE]',
    details:
      "'opsbook serve' escalates open incidents (alerts with a severity open them too). update's --status is one of\ninvestigating, identified, monitoring: the update appears on the status page. resolve asks for a summary.",
    load: async () => (await import('./commands/incident.js')).run,
  }),
  defineCommand(ONCALL_ARGS, {
    name: 'oncall',
    summary: 'who is on call now or at a time, and the coming shifts of each schedule',
    usage: 'opsbook oncall [now] | at TIME | schedule [ID] [--days N]',
    load: async () => (await import('./commands/oncall.js')).run,
  }),
  defineCommand(COMPLETION_ARGS, {
    name: 'completion',
    summary: 'print the shell completion script for bash, zsh or fish',
    usage: 'opsbook completion bash|zsh|fish',
    details:
      'bash  opsbook completion bash > ~/.local/share/bash-completion/completions/opsbook\n' +
      "      (or add 'source <(opsbook completion bash)' to ~/.bashrc)\n" +
      'zsh   opsbook completion zsh > "$fpath[1]/_opsbook"\n' +
      "      (or add 'source <(opsbook completion zsh)' to ~/.zshrc, after compinit)\n" +
      'fish  opsbook completion fish > ~/.config/fish/completions/opsbook.fish\n' +
      'Commands, their options and the values opsbook knows (subcommands, levels, formats, files) are completed.',
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
