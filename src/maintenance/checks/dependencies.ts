/**
 * The `dependencies` check: audit and outdated with the folder's package manager (npm, pnpm or yarn, from its
 * lockfile) in the project and every service root, and `pip-audit` where requirements.txt is found. A tool that is
 * missing or could not answer (no registry, bad JSON) makes the check fail: not knowing is not a pass.
 */
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Evidence, Finding } from '../types.js';
import type { CheckContext } from './context.js';
import { type FolderReport, nodeFolder, pipFolder } from './dependency-tools.js';

export type { FolderReport } from './dependency-tools.js';

const FIX: Record<FolderReport['manager'], string> = {
  npm: 'npm audit fix',
  pnpm: 'pnpm audit --fix',
  yarn: 'yarn upgrade the packages named',
  pip: 'pip install -U the packages named, then pin them',
};

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

export async function dependenciesCheck(ctx: CheckContext): Promise<Evidence> {
  const roots = new Set([
    ctx.cwd,
    ...Object.values(ctx.config.services).flatMap((s) => (s.root ? [resolve(ctx.cwd, s.root)] : [])),
  ]);
  const reports: FolderReport[] = [];
  for (const dir of roots) {
    if (await exists(join(dir, 'pnpm-lock.yaml'))) reports.push(await nodeFolder(dir, 'pnpm', ctx));
    else if (await exists(join(dir, 'yarn.lock'))) reports.push(await nodeFolder(dir, 'yarn', ctx));
    else if (await exists(join(dir, 'package-lock.json'))) reports.push(await nodeFolder(dir, 'npm', ctx));
    if (await exists(join(dir, 'requirements.txt'))) reports.push(await pipFolder(dir, ctx));
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
        })${r.advisories?.length ? `: ${r.advisories.slice(0, 3).join('; ')}${r.advisories.length > 3 ? '; ...' : ''}` : ''}. Fix: ${FIX[r.manager]}`,
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
        'no lockfile (package-lock.json, pnpm-lock.yaml, yarn.lock) or requirements.txt found: nothing was audited',
      findings,
    };
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const failed = reports.filter((r) => r.error).length;
  return {
    ok: warnings === 0,
    summary: failed
      ? `could not audit ${failed} of ${reports.length} folder(s); ${warnings} warning(s)`
      : `${reports.length} folder(s) audited, ${warnings} warning(s)`,
    findings,
    data: reports,
  };
}
