/** How `opsbook doctor` prints its findings: problems first with where it looked and the fix, then a verdict. */
import type { DoctorReport, Finding } from '../doctor/index.js';
import type { Output } from '../output/index.js';

const MARK: Record<
  Finding['verdict'],
  { pretty: string; plain: string; style: 'red' | 'yellow' | 'green' | 'dim' }
> = {
  problem: { pretty: '✗', plain: 'PROBLEM', style: 'red' },
  warning: { pretty: '!', plain: 'WARNING', style: 'yellow' },
  ok: { pretty: '✓', plain: 'ok', style: 'green' },
  skipped: { pretty: '-', plain: 'skipped', style: 'dim' },
};

export function printDoctor(report: DoctorReport, out: Output): void {
  out.heading(`doctor · ${report.environment}${report.service ? ` · ${report.service}` : ''}`);
  for (const f of report.findings) {
    const mark = MARK[f.verdict];
    const label = `${f.check}${f.service ? ` ${f.service}` : ''}`;
    out.line(
      `${out.style(mark.style, out.mode === 'plain' ? mark.plain : mark.pretty)} ${out.style('bold', label)}: ${f.found}`,
    );
    if (f.verdict === 'ok' || f.verdict === 'skipped') continue;
    out.line(`    looked at: ${f.looked}`);
    for (const d of f.details ?? []) out.line(`    ${d}`);
    if (f.fix) out.line(`    ${out.style('cyan', 'fix:')} ${f.fix}`);
  }
  out.line();
  if (report.problems)
    out.line(`${report.problems} problem(s), ${report.warnings} warning(s); the likeliest cause is first`);
  else if (report.warnings) out.line(`no problem found; ${report.warnings} warning(s)`);
  else if (report.findings.some((f) => f.verdict === 'ok')) out.success('no problem found');
  else out.line('nothing could be checked: give services URLs, health endpoints and connection URLs');
}
