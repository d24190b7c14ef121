/** The init use-case: detect what the repository runs on and write a starter opsbook.yaml that validates. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILES } from '../config/index.js';
import { validateConfigText } from '../config/validate.js';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { type Detection, detectRepo, formatConfig } from '../init/index.js';

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
  if (!existsSync(join(cwd, '.git')) && !existsSync(path)) return false;
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
