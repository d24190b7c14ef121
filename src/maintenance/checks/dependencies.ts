/**
 * The `dependencies` check: `npm audit` and `npm outdated` (pnpm likewise) in every folder of the project with a
 * lockfile, and `pip-audit` where Python requirements are found and the tool is installed. A tool that could not
 * answer (no registry, bad JSON) makes the check fail: not knowing is not a pass.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Evidence, Finding } from '../types.js';
import type { CheckContext } from './context.js';

interface ToolRun {
  stdout: string;
  stderr: string;
  missing: boolean;
}

function runTool(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal,
): Promise<ToolRun> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...(signal ? { signal } : {}) },
      (error, stdout, stderr) => {
        done({ stdout, stderr, missing: (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' });
      },
    );
  });
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface FolderReport {
  folder: string;
  manager: 'npm' | 'pnpm' | 'pip';
  vulnerabilities?: Record<string, number>;
  outdated?: { name: string; current: string; latest: string }[];
  error?: string;
}

async function nodeFolder(dir: string, manager: 'npm' | 'pnpm', ctx: CheckContext): Promise<FolderReport> {
  const report: FolderReport = { folder: dir, manager };
  const audit = await runTool(manager, ['audit', '--json'], dir, ctx.env, ctx.signal);
  const a = parse(audit.stdout);
  const counts = (a?.metadata as { vulnerabilities?: Record<string, number> } | undefined)?.vulnerabilities;
  if (audit.missing) report.error = `${manager} is not installed`;
  else if (!counts)
    report.error = `${manager} audit gave no result: ${String((a?.error as { summary?: string })?.summary ?? audit.stderr.trim().split('\n')[0] ?? '').slice(0, 200)}`;
  else report.vulnerabilities = counts;
  const outdated = await runTool(
    manager,
    manager === 'npm' ? ['outdated', '--json'] : ['outdated', '--format', 'json'],
    dir,
    ctx.env,
    ctx.signal,
  );
  const o = parse(outdated.stdout || '{}');
  if (!o || 'error' in o)
    report.error ??= `${manager} outdated gave no result: ${outdated.stderr.trim().split('\n')[0] ?? ''}`;
  else
    report.outdated = Object.entries(o).map(([name, v]) => {
      const info = v as { current?: string; latest?: string };
      return { name, current: info.current ?? '?', latest: info.latest ?? '?' };
    });
  return report;
}

async function pipFolder(dir: string, ctx: CheckContext): Promise<FolderReport | undefined> {
  const run = await runTool('pip-audit', ['-r', 'requirements.txt', '-f', 'json'], dir, ctx.env, ctx.signal);
  if (run.missing) return undefined;
  const data = parse(run.stdout) as { dependencies?: { vulns?: unknown[] }[] } | undefined;
  if (!data?.dependencies)
    return {
      folder: dir,
      manager: 'pip',
      error: `pip-audit gave no result: ${run.stderr.trim().split('\n')[0] ?? ''}`,
    };
  const total = data.dependencies.reduce((n, d) => n + (d.vulns?.length ?? 0), 0);
  return { folder: dir, manager: 'pip', vulnerabilities: { total } };
}

export async function dependenciesCheck(ctx: CheckContext): Promise<Evidence> {
  const roots = new Set([
    ctx.cwd,
    ...Object.values(ctx.config.services).flatMap((s) => (s.root ? [resolve(ctx.cwd, s.root)] : [])),
  ]);
  const reports: FolderReport[] = [];
  for (const dir of roots) {
    if (await exists(join(dir, 'pnpm-lock.yaml'))) reports.push(await nodeFolder(dir, 'pnpm', ctx));
    else if (await exists(join(dir, 'package-lock.json'))) reports.push(await nodeFolder(dir, 'npm', ctx));
    if (await exists(join(dir, 'requirements.txt'))) {
      const pip = await pipFolder(dir, ctx);
      if (pip) reports.push(pip);
    }
  }
  const findings: Finding[] = [];
  for (const r of reports) {
    const where = r.folder === ctx.cwd ? '.' : r.folder.slice(ctx.cwd.length + 1);
    if (r.error) findings.push({ severity: 'warning', message: `${where}: ${r.error}` });
    const v = r.vulnerabilities;
    const serious = v ? (v.high ?? 0) + (v.critical ?? 0) + (r.manager === 'pip' ? (v.total ?? 0) : 0) : 0;
    if (v && (v.total ?? 0) > 0)
      findings.push({
        severity: serious > 0 ? 'warning' : 'info',
        message: `${where}: ${v.total} known vulnerabilit${v.total === 1 ? 'y' : 'ies'} (${
          Object.entries(v)
            .filter(([k, n]) => k !== 'total' && n > 0)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ') || 'see the audit'
        }): ${r.manager} audit fix`,
      });
    if (r.outdated?.length)
      findings.push({
        severity: 'info',
        message: `${where}: ${r.outdated.length} outdated: ${r.outdated
          .slice(0, 5)
          .map((o) => `${o.name} ${o.current} → ${o.latest}`)
          .join(', ')}${r.outdated.length > 5 ? ', ...' : ''}`,
      });
  }
  if (!reports.length)
    return {
      ok: false,
      summary:
        'no lockfile (package-lock.json, pnpm-lock.yaml) or requirements.txt found: nothing was audited',
      findings,
    };
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return {
    ok: warnings === 0,
    summary: `${reports.length} folder(s) audited, ${warnings} warning(s)`,
    findings,
    data: reports,
  };
}
