/** How `opsbook status` prints: the architecture table, maintenance, the last run and the lock. */
import type { StatusResult } from '../app/status.js';
import type { Output } from '../output/index.js';

function healthText(out: Output, h: { state: string; reasons: string[] }): string {
  const color =
    h.state === 'healthy'
      ? 'green'
      : h.state === 'degraded'
        ? 'yellow'
        : h.state === 'unhealthy'
          ? 'red'
          : 'dim';
  const why =
    h.state === 'healthy' || !h.reasons[0]
      ? ''
      : `: ${h.reasons[0].length > 60 ? `${h.reasons[0].slice(0, 57)}...` : h.reasons[0]}`;
  return `${out.style(color, h.state)}${why}`;
}

export function printStatus(out: Output, result: StatusResult): void {
  out.heading(`${result.stack} · ${result.environment}`);
  out.table(result.services, [
    { header: 'SERVICE', value: (s) => s.service },
    { header: 'KIND', value: (s) => s.kind },
    { header: 'PLATFORM', value: (s) => s.platform },
    { header: 'URL', value: (s) => s.url ?? '-' },
    {
      header: 'DEPENDS ON',
      value: (s) =>
        s.dependsOn.map((d) => (d.critical ? d.service : `${d.service} (non-critical)`)).join(', ') || '-',
    },
    { header: 'HEALTH', value: (s) => (s.health ? healthText(out, s.health) : '-') },
    {
      header: 'LAST DEPLOY',
      value: (s) =>
        s.lastDeploy
          ? `${s.lastDeploy.commit?.slice(0, 8) ?? s.lastDeploy.id} ${s.lastDeploy.at.replace('T', ' ').slice(0, 16)}${s.lastDeploy.unverified ? ' (NOT verified, still serving)' : ''}`
          : '-',
    },
  ]);
  const m = result.maintenance;
  for (const w of m?.windows ?? [])
    out.line(
      `\nunder maintenance until ${w.endsAt}: ${w.services.join(', ')}${w.reason ? ` (${w.reason})` : ''}`,
    );
  if (m?.due.length) {
    out.line('');
    out.line(
      `maintenance due: ${m.due.map((t) => `${t.id} (${t.state} since ${t.dueSince?.slice(0, 10) ?? '?'})`).join(', ')}`,
    );
  }
  const d = result.deploy;
  if (d?.lastRun) {
    const r = d.lastRun;
    out.line('');
    out.line(
      `last ${r.kind}: ${r.status} (run ${r.id}, ${r.startedAt.replace('T', ' ').slice(0, 16)} UTC${r.stoppedAt ? `, stopped at ${r.stoppedAt}` : ''})`,
    );
    if (r.status === 'interrupted' || r.status === 'running')
      out.note(
        r.kind === 'rollback'
          ? `'opsbook rollback --resume --env ${result.environment}' finishes it; 'opsbook unlock' gives up on it`
          : "'opsbook deploy --resume' continues it; 'opsbook unlock' gives up on it",
      );
  }
  if (d?.lock)
    out.line(
      `${out.style('yellow', 'locked')}: ${d.lock.reason ?? d.lock.holder}${d.lock.processGone && ['running', 'interrupted'].includes(d.lastRun?.status ?? '') ? ' (its process is gone)' : ''}`,
    );
}
