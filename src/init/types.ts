/** What the detectors find in a repository, before it becomes an opsbook.yaml. */
import type { Diagnostic } from '../diagnostics/index.js';

export type ServiceKind = 'web' | 'worker' | 'cron' | 'static' | 'database' | 'cache' | 'external';
export type MigrationEngine =
  | 'sql'
  | 'prisma'
  | 'supabase'
  | 'alembic'
  | 'django'
  | 'rails'
  | 'ecto'
  | 'drizzle'
  | 'knex'
  | 'node-pg-migrate';

export interface DetectedEnvVar {
  name: string;
  secret: boolean;
  required: boolean;
  /** Only for values that are not secret. */
  default?: string;
  example?: string;
  description?: string;
  /** A reference to another service's variable: `${{db.connectionString}}`. */
  from?: string;
  url?: boolean;
  format?: 'port';
}

export interface DetectedService {
  name: string;
  kind: ServiceKind;
  /** The file it was read from, e.g. `render.yaml` or `backend/railway.toml`. */
  source: string;
  /** Directory inside the repository; '' is the root. */
  root: string;
  platform?: 'render' | 'vercel' | 'railway' | 'fly' | 'heroku' | 'netlify' | 'supabase';
  provider?: Record<string, string>;
  runtime?: string;
  build?: string;
  start?: string;
  schedule?: string;
  replicas?: number;
  /** Production URL, when the platform makes it predictable. */
  url?: string;
  health?: { type: 'liveness' | 'readiness'; path: string };
  engine?: { name: string; version?: string };
  dependsOn: string[];
  env: DetectedEnvVar[];
  /** A weak guess (Procfile, package.json start): it only fills in a service of its kind at its root, or adds one. */
  fallback?: boolean;
}

export interface DetectedGate {
  id: string;
  name: string;
  run: string;
  cwd?: string;
  source: string;
}

export interface DetectedMigrations {
  engine: MigrationEngine;
  dir: string;
  command?: string;
  /** The database engine, when the files say (prisma's datasource provider). */
  database?: string;
  /** The variable the engine reads its URL from, when the files name one other than DATABASE_URL. */
  urlEnv?: string;
  root: string;
  source: string;
}

export interface DetectedEnvFile {
  root: string;
  source: string;
  vars: DetectedEnvVar[];
}

/** One detector's contribution; `detectRepo` merges them in order. */
export interface Finding {
  sources?: string[];
  name?: string;
  services?: DetectedService[];
  gates?: DetectedGate[];
  migrations?: DetectedMigrations[];
  envFiles?: DetectedEnvFile[];
  /** Commands a platform runs before each release (Procfile `release`, fly `release_command`). */
  releaseCommands?: { command: string; source: string }[];
  branch?: string;
  /** The platform deploys on push (render.yaml autoDeploy, the default there). */
  deploysOnPush?: boolean;
  lockfile?: string;
  diagnostics?: Diagnostic[];
}

export interface Detection {
  name: string;
  sources: string[];
  services: DetectedService[];
  gates: DetectedGate[];
  migrations?: DetectedMigrations & { databaseService: string };
  branch?: string;
  deploysOnPush: boolean;
  lockfile?: string;
  diagnostics: Diagnostic[];
}

/** Where a per-directory detector looks: the repository and one directory in it ('' for the root). */
export interface DirContext {
  repo: string;
  dir: string;
}
