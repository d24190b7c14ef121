/** Runs every detector over the repository root and the usual app folders, in a fixed order, and merges the findings. */
import { basename, resolve } from 'node:path';
import { detectAlembic } from './detect-alembic.js';
import { detectEngines } from './detect-engines.js';
import { detectEnvExample } from './detect-env-example.js';
import { detectFly } from './detect-fly.js';
import { detectHeroku } from './detect-heroku.js';
import { detectLockfile } from './detect-lockfile.js';
import { detectNetlify } from './detect-netlify.js';
import { detectPackageJson } from './detect-package-json.js';
import { detectPrisma } from './detect-prisma.js';
import { detectProcfile } from './detect-procfile.js';
import { detectRailway } from './detect-railway.js';
import { detectRender } from './detect-render.js';
import { detectSqlMigrations } from './detect-sql-migrations.js';
import { detectSupabase } from './detect-supabase.js';
import { detectVercel } from './detect-vercel.js';
import { isDir, listDir } from './files.js';
import { mergeFindings } from './merge-findings.js';
import { toId } from './names.js';
import type { Detection, DirContext, Finding } from './types.js';

const APP_DIRS = ['backend', 'frontend', 'api', 'web'];

/**
 * Each detector runs over every folder before the next one starts: platform files come first so that the weaker
 * guesses after them (Procfile, a start script) fill in those services instead of adding look-alikes.
 */
const DETECTORS: ((ctx: DirContext) => Promise<Finding>)[] = [
  detectRender,
  detectVercel,
  detectRailway,
  detectFly,
  detectNetlify,
  detectHeroku,
  detectProcfile,
  detectPackageJson,
  detectLockfile,
  detectPrisma,
  detectSupabase,
  detectAlembic,
  detectEngines,
  detectSqlMigrations,
  detectEnvExample,
];

export interface DetectOptions {
  cwd: string;
  /** Stack name; default: the root package.json's name, else the folder's. */
  name?: string;
}

/** The root, then backend/, frontend/, api/, web/ and apps/* where they exist. */
export function appDirs(repo: string): string[] {
  const dirs = APP_DIRS.filter((d) => isDir(repo, d));
  for (const app of listDir(repo, 'apps')) if (isDir(repo, `apps/${app}`)) dirs.push(`apps/${app}`);
  return ['', ...dirs];
}

export async function detectRepo(options: DetectOptions): Promise<Detection> {
  const repo = resolve(options.cwd);
  const findings: Finding[] = [];
  const dirs = appDirs(repo);
  for (const detect of DETECTORS) for (const dir of dirs) findings.push(await detect({ repo, dir }));
  const detection = mergeFindings(findings, basename(repo));
  return options.name ? { ...detection, name: toId(options.name) } : detection;
}
