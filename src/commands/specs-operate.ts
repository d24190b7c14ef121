/**
 * The arguments (flags and positionals) of the commands that run and look after what is live. The command table (cli.ts)
 * and each handler read them from here, so a handler is typed by exactly what the table declares.
 * Data only: cli.ts loads it for --help.
 */
import { defineArgs, ENV_FLAG } from './types.js';

export const HEALTH_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    service: { type: 'string', valueName: 'S', description: 'only this service and what it depends on' },
  },
  positionals: [],
});

export const DOCTOR_ARGS = defineArgs({
  flags: { env: ENV_FLAG },
  positionals: [{ name: 'SERVICE', description: 'only this service and what it depends on' }],
});

export const LOGS_ARGS = defineArgs({
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
  positionals: [
    { name: 'SERVICE', description: 'services to read (default: every deployed one)', variadic: true },
  ],
});

export const SLO_ARGS = defineArgs({
  flags: { env: ENV_FLAG, slo: { type: 'string', valueName: 'ID', description: 'only this SLO' } },
  positionals: [],
});

export const SILENCE_ARGS = defineArgs({
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
  positionals: [
    { name: 'ACTION', choices: ['add', 'list', 'expire'] },
    { name: 'ARG', description: 'add: MATCHER...; expire: ID', variadic: true },
  ],
});

export const SERVE_ARGS = defineArgs({
  flags: {
    env: ENV_FLAG,
    port: {
      type: 'string',
      valueName: 'N',
      description: 'port to listen on (default 8080; 0: any free port)',
    },
    host: { type: 'string', valueName: 'ADDRESS', description: 'address to listen on (default 127.0.0.1)' },
  },
  positionals: [],
});

export const BACKUP_ARGS = defineArgs({
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
  positionals: [
    { name: 'ACTION', choices: ['run', 'list', 'verify', 'restore', 'prune', 'confirm'] },
    { name: 'TARGET', description: 'ENTRY, or a backup ID for verify and restore' },
  ],
});

export const MAINTENANCE_ARGS = defineArgs({
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
  positionals: [
    { name: 'ACTION', choices: ['list', 'due', 'run', 'done', 'window'] },
    {
      name: 'ARG',
      description: 'run, done: the task id; window: start|end|list, then services or the window id',
      variadic: true,
    },
  ],
});

export const INCIDENT_ARGS = defineArgs({
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
  positionals: [
    { name: 'ACTION', choices: ['open', 'ack', 'update', 'resolve', 'note', 'list', 'show', 'postmortem'] },
    {
      name: 'ARG',
      description: 'open: SEVERITY TITLE...; others: the incident number, then text',
      variadic: true,
    },
  ],
});

export const ONCALL_ARGS = defineArgs({
  flags: {
    days: { type: 'string', valueName: 'N', description: 'schedule: how many days ahead (default 14)' },
  },
  positionals: [
    { name: 'ACTION', choices: ['now', 'at', 'schedule'] },
    { name: 'ARG', description: 'at: an ISO 8601 time; schedule: a schedule id' },
  ],
});
