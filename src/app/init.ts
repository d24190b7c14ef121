/** The init use-case: detect what the repository runs on and write a starter opsbook.yaml that validates. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CONFIG_FILES } from '../config/index.js';
import { validateConfigText } from '../config/validate.js';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { type Detection, detectRepo, formatConfig } from '../init/index.js';

const exec = promisify(execFile);

export interface InitOptions {
  cwd: string;
  /** Where to write, relative to cwd. Default: opsbook.yaml. */
  file?: string;
  name?: string;
  /** Overwrite an existing config. */
  force?: boolean;
  /** Build and validate the config but write nothing. */
  dryRun?: boolean;
}

export interface InitSummary {
  files: string[];
  services: { name: string; kind: string; platform: string | null; source: string | null }[];
  gates: string[];
  migrations: { engine: string; dir: string; database: string; source: string } | null;
  env: { service: string; variables: number; secrets: number }[];
}

export interface InitResult {
  /** The config file, relative to cwd. */
  file: string;
  written: boolean;
  /** `.opsbook/` was added to .gitignore. */
  gitignored: boolean;
  dryRun: boolean;
  /** The generated config validated without errors (nothing is written otherwise). */
  valid: boolean;
  text: string;
  detected: InitSummary;
  diagnostics: Diagnostic[];
}

function summarize(d: Detection): InitSummary {
  return {
    files: d.sources,
    services: d.services.map((s) => ({
      name: s.name,
      kind: s.kind,
      platform: s.platform ?? null,
      source: s.source || null,
    })),
    gates: d.gates.map((g) => g.id),
    migrations: d.migrations
      ? {
          engine: d.migrations.engine,
          dir: d.migrations.dir,
          database: d.migrations.databaseService,
          source: d.migrations.source,
        }
      : null,
    env: d.services
      .filter((s) => s.env.length)
      .map((s) => ({
        service: s.name,
        variables: s.env.length,
        secrets: s.env.filter((v) => v.secret).length,
      })),
  };
}

/** opsbook's state (.opsbook/: the SQLite store, gate logs, backups) must never be committed: add it to .gitignore. */
async function ignoreStateDir(cwd: string): Promise<boolean> {
  const path = join(cwd, '.gitignore');
  // In a monorepo the config sits in a package folder with no .git of its own: git's answer, not the folder's, says
  // whether this is a repository and whether .opsbook/ is ignored already (by the root .gitignore, say).
  const ignored = await gitIgnores(cwd, '.opsbook/state.sqlite');
  if (ignored) return false;
  if (ignored === undefined && !existsSync(path)) return false;
  const current = existsSync(path) ? await readFile(path, 'utf8') : '';
  if (/^\/?\.opsbook\/?\s*$/m.test(current)) return false;
  const sep = current && !current.endsWith('\n') ? '\n' : '';
  await writeFile(
    path,
    `${current}${sep}# opsbook state: the local store, gate logs and backups\n.opsbook/\n`,
    'utf8',
  );
  return true;
}

/** Whether git ignores `path` there; undefined outside a repository (or without git). */
async function gitIgnores(cwd: string, path: string): Promise<boolean | undefined> {
  try {
    await exec('git', ['check-ignore', '-q', path], { cwd });
    return true;
  } catch (error) {
    // 1: not ignored; 128: not a repository.
    return (error as { code?: unknown }).code === 1 ? false : undefined;
  }
}

export async function initProject(options: InitOptions): Promise<InitResult> {
  const cwd = resolve(options.cwd);
  if (!existsSync(cwd))
    throw new UserError(`no such directory: ${options.cwd}`, 'pass an existing directory with --cwd');
  const target = resolve(cwd, options.file ?? 'opsbook.yaml');
  const file = relative(cwd, target) || target;
  if (!options.force && !options.dryRun) {
    const existing = [target, ...CONFIG_FILES.map((f) => join(cwd, f))].find((f) => existsSync(f));
    if (existing)
      throw new UserError(
        `${relative(cwd, existing) || existing} already exists`,
        'pass --force to overwrite it, or --dry-run to see what init would write',
        'init/config-exists',
      );
  }
  const detection = await detectRepo({ cwd, name: options.name });
  const text = formatConfig(detection);
  const validation = validateConfigText(text, file);
  const valid = !hasErrors(validation.diagnostics);
  const written = valid && !options.dryRun;
  if (written) await writeFile(target, text, 'utf8');
  const gitignored = written ? await ignoreStateDir(cwd) : false;
  return {
    file,
    written,
    gitignored,
    dryRun: Boolean(options.dryRun),
    valid,
    text,
    detected: summarize(detection),
    diagnostics: [...detection.diagnostics, ...validation.diagnostics],
  };
}
