/**
 * Which files `migrate lint` looks at. Files given on the command line are linted as given; otherwise only what is
 * new: not yet applied (asked of the database's history when a URL is configured), or changed against a git base
 * (`--since REF`, default the upstream branch). `--all` lints the whole history. Shipped files never fail a gate again.
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Diagnostic } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import { engineFor } from './engines/index.js';
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
  /** Every migration file found, before selecting what is new. */
  candidates: number;
  files: BatchFile[];
  /** What was linted, in words: "all 40 files", "2 files not yet applied". */
  scope: string;
  diagnostics: Diagnostic[];
}

export async function selectLintFiles(options: LintSelectOptions): Promise<LintSelection> {
  const diagnostics: Diagnostic[] = [];
  const explicit = Boolean(options.paths?.length);
  const candidates = explicit ? await explicitFiles(options) : await configuredFiles(options, diagnostics);
  const all = (scope: string): LintSelection => ({
    candidates: candidates.length,
    files: candidates,
    scope,
    diagnostics,
  });
  if (explicit) return all(`${candidates.length} file(s) given`);
  if (options.all || !candidates.length) return all(`all ${candidates.length} file(s)`);
  if (options.databaseUrl && !options.since) {
    const pending = await pendingFromDatabase(options).catch((error: Error) => {
      diagnostics.push({
        severity: 'info',
        code: 'migration/lint-scope',
        message: `could not read the migration history (${error.message}); comparing with git instead`,
      });
      return undefined;
    });
    if (pending) {
      const files = candidates.filter((f) => pending.has(f.file));
      return {
        candidates: candidates.length,
        files,
        scope: `${files.length} file(s) not yet applied`,
        diagnostics,
      };
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
  return {
    candidates: candidates.length,
    files,
    scope: `${files.length} file(s) changed since ${base}`,
    diagnostics,
  };
}

async function explicitFiles(options: LintSelectOptions): Promise<BatchFile[]> {
  const files: BatchFile[] = [];
  for (const p of options.paths ?? [])
    for (const path of await expand(resolve(options.cwd, p), options.cwd))
      files.push({ file: relative(options.cwd, path) || path, path });
  return files;
}

/** The configured folder, in the engine's layout: only migrations whose SQL is a file. */
async function configuredFiles(options: LintSelectOptions, diagnostics: Diagnostic[]): Promise<BatchFile[]> {
  const engine = options.engine && options.engine !== 'sql' ? engineFor(options.engine) : undefined;
  if (!engine) {
    const dir = options.dir ?? DEFAULTS.dir;
    return (await expand(resolve(options.cwd, dir), options.cwd)).map((path) => ({
      file: relative(options.cwd, path) || path,
      path,
    }));
  }
  const listed = await engine.list(options.cwd, options.dir ?? engine.defaultDir, options.maxFileBytes);
  diagnostics.push(...listed.diagnostics);
  if (engine.sqlSource.kind !== 'files') {
    const why =
      engine.sqlSource.kind === 'none'
        ? engine.sqlSource.why
        : `${engine.name} shows its SQL only through its own CLI against the database's current revision`;
    diagnostics.push({
      severity: 'warning',
      code: 'migration/not-linted',
      message: `${listed.migrations.length} ${engine.name} migration(s) not linted: ${why}`,
      hint:
        engine.sqlSource.kind === 'command'
          ? "run 'opsbook migrate plan' with the database URL set: it lints the SQL of what is pending"
          : undefined,
    });
    return [];
  }
  return listed.migrations.flatMap((m) =>
    m.sql === undefined ? [] : [{ file: m.display, path: m.path, text: m.sql }],
  );
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
    return va && vb ? compareVersions(va, vb) || a.localeCompare(b) : a.localeCompare(b);
  });
  return names.map((n) => join(path, n));
}
