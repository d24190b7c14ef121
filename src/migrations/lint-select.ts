/**
 * Which files `migrate lint` looks at. Files given on the command line are linted as given; otherwise only what is
 * new: not yet applied (asked of the database's history when a URL is configured), or changed against a git base
 * (`--since REF`, default the upstream branch). `--all` lints the whole history. Shipped files never fail a gate again.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { compareText, type Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { type Engine, type EngineMigration, engineFor } from './engines/index.js';
import { engineSqlSources } from './engines/sql-sources.js';
import { compareVersions } from './files.js';
import type { BatchFile } from './lint/batch.js';
import { DEFAULTS, type MigrateOptions } from './options.js';

const exec = promisify(execFile);

export interface LintSelectOptions extends MigrateOptions {
  paths?: string[];
  all?: boolean;
  since?: string;
}

export interface LintSelection {
  /** Every migration found, before selecting what is new. */
  candidates: number;
  files: BatchFile[];
  /** What was linted, in words: "all 40 files", "2 files not yet applied". */
  scope: string;
  /** Where the migrations were looked for, and in what layout, for "no files found". */
  where: string;
  layout?: string;
  diagnostics: Diagnostic[];
}

/** A migration found on disk; `migration` is set for an engine's, whose SQL may have to come from its own CLI. */
interface Candidate extends BatchFile {
  migration?: EngineMigration;
}

export async function selectLintFiles(options: LintSelectOptions): Promise<LintSelection> {
  const diagnostics: Diagnostic[] = [];
  const explicit = Boolean(options.paths?.length);
  const engine =
    !explicit && options.engine && options.engine !== 'sql' && options.engine !== 'other'
      ? engineFor(options.engine)
      : undefined;
  const where = explicit
    ? (options.paths ?? []).join(', ')
    : (options.dir ?? engine?.defaultDir ?? DEFAULTS.dir);
  const candidates: Candidate[] = explicit
    ? await explicitFiles(options)
    : engine
      ? await engineCandidates(engine, options, diagnostics)
      : await folderFiles(options);
  const chosen = await chooseNew(candidates, options, explicit, diagnostics);
  const selection = { candidates: candidates.length, where, layout: engine?.layout, diagnostics };
  if (!engine) return { ...selection, files: chosen.files, scope: chosen.scope };
  // An engine's migrations become SQL to lint: the files, the engine's dry run, or a plain "not linted" and why.
  const selected = chosen.files.flatMap((c) => (c.migration ? [c.migration] : []));
  const ids = new Set(selected.map((m) => m.id));
  const all = candidates.flatMap((c) => (c.migration ? [c.migration] : []));
  const sql = await engineSqlSources(engine, selected, {
    all,
    applied: all.filter((m) => !ids.has(m.id)).map((m) => m.id),
    options,
    // The engine's dry run may need the database (Django's sqlmigrate): not when it just failed to answer.
    database: Boolean(options.databaseUrl) && !chosen.unreachable,
  });
  diagnostics.push(...sql.diagnostics);
  const pathOf = new Map(selected.map((m) => [m.id, m.path]));
  return {
    ...selection,
    files: sql.sources.map((s) => ({ file: s.file, path: (s.id && pathOf.get(s.id)) || '', text: s.text })),
    scope: chosen.scope,
  };
}

/** Only what is new: not applied (from the history), else changed against git; everything with --all or paths. */
async function chooseNew(
  candidates: Candidate[],
  options: LintSelectOptions,
  explicit: boolean,
  diagnostics: Diagnostic[],
): Promise<{ files: Candidate[]; scope: string; unreachable?: boolean }> {
  let unreachable = false;
  const all = (scope: string) => ({ files: candidates, scope, unreachable });
  if (explicit) return all(`${candidates.length} file(s) given`);
  if (options.all || !candidates.length) return all(`all ${candidates.length} file(s)`);
  if (options.databaseUrl && !options.since) {
    const pending = await pendingFromDatabase(options).catch((error: Error) => {
      unreachable = true;
      diagnostics.push({
        severity: 'info',
        code: 'migration/lint-scope',
        message: `could not read the migration history (${error.message}); comparing with git instead`,
      });
      return undefined;
    });
    if (pending) {
      const files = candidates.filter((f) => pending.has(f.file));
      return { files, scope: `${files.length} file(s) not yet applied` };
    }
  }
  // CI checkouts often have no upstream configured: fall back to the remote's default branch.
  const bases = options.since
    ? [options.since]
    : ['@{upstream}', 'origin/HEAD', 'origin/main', 'origin/master'];
  let base = bases[0] as string;
  let changed: Set<string> | undefined;
  for (const candidate of bases) {
    changed = await changedSince(options.cwd, candidate);
    base = candidate;
    if (changed) break;
  }
  if (!changed) {
    if (options.since) {
      throw new UserError(
        `cannot compare with ${options.since}: git does not know it here`,
        'pass a branch, tag or commit that exists, or --all',
      );
    }
    diagnostics.push({
      severity: 'info',
      code: 'migration/lint-scope',
      message: 'no database history and no upstream branch to compare with, so every file was linted',
      hint: 'pass --since origin/main (or any base), or configure the database URL, to lint only new files',
    });
    return all(`all ${candidates.length} file(s)`);
  }
  const files = candidates.filter((f) => changed.has(resolve(f.path)));
  return { files, scope: `${files.length} file(s) changed since ${base}`, unreachable };
}

async function explicitFiles(options: LintSelectOptions): Promise<BatchFile[]> {
  const files: BatchFile[] = [];
  for (const p of options.paths ?? [])
    for (const path of await expand(resolve(options.cwd, p), options.cwd))
      files.push({ file: relative(options.cwd, path) || path, path });
  return files;
}

/** The configured folder of plain .sql files (`engine: sql`, or `other`, whose SQL files are linted as they are). */
async function folderFiles(options: LintSelectOptions): Promise<BatchFile[]> {
  const dir = options.dir ?? DEFAULTS.dir;
  return (await expand(resolve(options.cwd, dir), options.cwd)).map((path) => ({
    file: relative(options.cwd, path) || path,
    path,
  }));
}

/** Every migration of the engine, in its layout, whether or not its SQL can be seen. */
async function engineCandidates(
  engine: Engine,
  options: LintSelectOptions,
  diagnostics: Diagnostic[],
): Promise<Candidate[]> {
  const listed = await engine.list(options.cwd, options.dir ?? engine.defaultDir, options.maxFileBytes);
  diagnostics.push(...listed.diagnostics);
  return listed.migrations.map((m) => ({ file: m.display, path: m.path, text: m.sql, migration: m }));
}

async function pendingFromDatabase(options: LintSelectOptions): Promise<Set<string>> {
  // Loaded only here: plain `migrate lint` must not pay for the driver.
  const { readPlanState } = await import('./plan.js');
  const plan = await readPlanState(options);
  return new Set(
    plan.entries.filter((e) => e.state !== 'applied').flatMap((e) => (e.file ? [e.file.display] : [])),
  );
}

/** Absolute paths added or modified since `base` (committed, staged, in the work tree, or untracked). */
async function changedSince(cwd: string, base: string): Promise<Set<string> | undefined> {
  try {
    const top = (await exec('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim();
    // From where this branch left the base, so what the base gained meanwhile does not count as ours.
    const fork = (await exec('git', ['merge-base', base, 'HEAD'], { cwd: top })).stdout.trim();
    const diff = await exec('git', ['diff', '--name-only', '--diff-filter=AMR', fork, '--'], { cwd: top });
    const untracked = await exec('git', ['ls-files', '--others', '--exclude-standard'], { cwd: top });
    const names = `${diff.stdout}\n${untracked.stdout}`.split('\n').filter(Boolean);
    return new Set(names.map((n) => resolve(top, n)));
  } catch {
    return undefined;
  }
}

export async function expand(path: string, cwd: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new UserError(
      `no such file or folder: ${relative(cwd, path) || path}`,
      'pass .sql files or folders of them',
    );
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.sql'));
  const version = (n: string) => /^\d+/.exec(n)?.[0];
  names.sort((a, b) => {
    const [va, vb] = [version(a), version(b)];
    return va && vb ? compareVersions(va, vb) || compareText(a, b) : compareText(a, b);
  });
  return names.map((n) => join(path, n));
}
