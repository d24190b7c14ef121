/**
 * One package manager's audit and outdated report for one folder: npm and pnpm (JSON), yarn 1 (NDJSON) and
 * pip-audit. A tool that is missing or whose answer cannot be read leaves `error` set: not knowing is not a pass.
 */
import { execFile } from 'node:child_process';
import type { CheckContext } from './context.js';

export type Manager = 'npm' | 'pnpm' | 'yarn' | 'pip';

export interface FolderReport {
  folder: string;
  manager: Manager;
  vulnerabilities?: Record<string, number>;
  /** Advisories by package, e.g. `lodash: Prototype Pollution (high)`. */
  advisories?: string[];
  outdated?: { name: string; current: string; latest: string }[];
  error?: string;
}

interface ToolRun {
  stdout: string;
  stderr: string;
  missing: boolean;
}

function runTool(cmd: string, args: string[], dir: string, ctx: CheckContext): Promise<ToolRun> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      {
        cwd: dir,
        env: ctx.env,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      },
      (error, stdout, stderr) => {
        done({ stdout, stderr, missing: (error as NodeJS.ErrnoException | null)?.code === 'ENOENT' });
      },
    );
  });
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** yarn 1 prints one JSON object per line. */
function lines(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((l) => {
    const v = parse(l);
    return v ? [v] : [];
  });
}

const firstLine = (run: ToolRun, body?: Record<string, unknown>) =>
  String(
    (body?.error as { summary?: string } | undefined)?.summary ||
      run.stderr.trim().split('\n')[0] ||
      'no output',
  ).slice(0, 200);

/** npm 7+ and pnpm: `vulnerabilities` by package, each with `via` advisories. */
function advisoriesOf(report: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, v] of Object.entries(
    (report.vulnerabilities ?? {}) as Record<string, { via?: unknown[]; severity?: string }>,
  ))
    for (const via of v.via ?? [])
      if (via && typeof via === 'object' && 'title' in via)
        out.push(
          `${name}: ${(via as { title: string }).title} (${(via as { severity?: string }).severity ?? v.severity ?? '?'})`,
        );
  return out;
}

export async function nodeFolder(
  dir: string,
  manager: 'npm' | 'pnpm' | 'yarn',
  ctx: CheckContext,
): Promise<FolderReport> {
  const report: FolderReport = { folder: dir, manager };
  const audit = await runTool(manager, ['audit', '--json'], dir, ctx);
  if (audit.missing) report.error = `${manager} is not installed: nothing was audited`;
  else if (manager === 'yarn') {
    const summary = lines(audit.stdout).find((l) => l.type === 'auditSummary');
    const counts = (summary?.data as { vulnerabilities?: Record<string, number> } | undefined)
      ?.vulnerabilities;
    if (counts)
      report.vulnerabilities = { ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
    else report.error = `yarn audit gave no result: ${firstLine(audit)}`;
  } else {
    const a = parse(audit.stdout);
    const counts = (a?.metadata as { vulnerabilities?: Record<string, number> } | undefined)?.vulnerabilities;
    if (counts && a) {
      report.vulnerabilities = counts;
      report.advisories = advisoriesOf(a);
    } else report.error = `${manager} audit gave no result: ${firstLine(audit, a)}`;
  }
  if (audit.missing) return report;
  const outdated = await runTool(
    manager,
    manager === 'pnpm' ? ['outdated', '--format', 'json'] : ['outdated', '--json'],
    dir,
    ctx,
  );
  if (manager === 'yarn') {
    const table = lines(outdated.stdout).find((l) => l.type === 'table')?.data as
      | { body?: string[][] }
      | undefined;
    // yarn 1 prints no table when nothing is outdated; an error line means it could not tell.
    if (table?.body)
      report.outdated = table.body.map((r) => ({
        name: r[0] ?? '?',
        current: r[1] ?? '?',
        latest: r[3] ?? '?',
      }));
    else if (outdated.stderr.includes('error'))
      report.error ??= `yarn outdated gave no result: ${firstLine(outdated)}`;
    else report.outdated = [];
    return report;
  }
  // npm prints nothing at all when every dependency is current.
  const o = parse(outdated.stdout || '{}');
  if (!o || 'error' in o) report.error ??= `${manager} outdated gave no result: ${firstLine(outdated, o)}`;
  else
    report.outdated = Object.entries(o).map(([name, v]) => {
      const info = v as { current?: string; latest?: string };
      return { name, current: info.current ?? 'not installed', latest: info.latest ?? '?' };
    });
  return report;
}

export async function pipFolder(dir: string, ctx: CheckContext): Promise<FolderReport> {
  const run = await runTool('pip-audit', ['-r', 'requirements.txt', '-f', 'json'], dir, ctx);
  if (run.missing)
    return {
      folder: dir,
      manager: 'pip',
      error: 'requirements.txt is not audited: pip-audit is not installed (pipx install pip-audit)',
    };
  const data = parse(run.stdout) as
    | { dependencies?: { name?: string; vulns?: { id?: string }[] }[] }
    | undefined;
  if (!data?.dependencies)
    return { folder: dir, manager: 'pip', error: `pip-audit gave no result: ${firstLine(run)}` };
  const vulnerable = data.dependencies.filter((d) => d.vulns?.length);
  return {
    folder: dir,
    manager: 'pip',
    vulnerabilities: { total: vulnerable.reduce((n, d) => n + (d.vulns?.length ?? 0), 0) },
    advisories: vulnerable.map((d) => `${d.name}: ${(d.vulns ?? []).map((v) => v.id).join(', ')}`),
  };
}
