/** `opsbook init`: detect what the repository runs on and write a starter opsbook.yaml that validates. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { CONFIG_FILES, validateConfigText } from '../config/index.js';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { EXIT, UserError } from '../errors.js';
import { type Detection, detectRepo, formatConfig } from '../init/index.js';
import type { Output } from '../output/index.js';
import { flagBool, flagString } from './args.js';
import type { CommandHandler } from './types.js';

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

/** After a dry run stdout holds the config alone (so it can be redirected): the summary goes to stderr. */
function printSummary(out: Output, r: InitResult): void {
  const d = r.detected;
  const write = r.dryRun ? (t: string) => out.note(t) : (t: string) => out.line(t);
  const row = (label: string, text: string) => write(`  ${out.style('dim', label.padEnd(10))} ${text}`);
  row('detected', d.files.join(', ') || 'nothing: a placeholder service was written');
  row(
    'services',
    d.services.map((s) => `${s.name} (${[s.kind, s.platform].filter(Boolean).join(', ')})`).join(', '),
  );
  row('gates', d.gates.length ? `${d.gates.join(', ')} and the built-in checks` : 'the built-in checks');
  if (d.migrations)
    row('migrations', `${d.migrations.engine} in ${d.migrations.dir} for ${d.migrations.database}`);
  for (const e of d.env) row('env', `${e.service}: ${e.variables} variable(s), ${e.secrets} secret`);
}

export const run: CommandHandler = async (input) => {
  const result = await initProject({
    cwd: input.cwd,
    file: flagString(input, 'config'),
    name: flagString(input, 'name'),
    force: flagBool(input, 'force'),
    dryRun: flagBool(input, 'dry-run'),
  });
  const { text, ...data } = result;
  return {
    ok: result.valid,
    exitCode: result.valid ? EXIT.ok : EXIT.failed,
    data: result.dryRun ? { ...data, text } : data,
    diagnostics: result.diagnostics,
    print: (out) => {
      if (!result.valid) {
        out.error(
          'the generated config did not validate, so nothing was written',
          "the problems below point into it (see it with 'opsbook init --dry-run'); fix their source files or report this",
        );
        return;
      }
      if (result.dryRun) out.line(text);
      if (result.written) out.success(`wrote ${result.file}`);
      if (result.gitignored) out.success('added .opsbook/ (opsbook state) to .gitignore');
      else out.note(`dry run: ${result.file} was not written`);
      printSummary(out, result);
      if (result.written)
        out.line(`next: review ${result.file}, then run 'opsbook validate' and 'opsbook check'`);
    },
  };
};
