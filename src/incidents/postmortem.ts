/** The postmortem draft: the facts from the record filled in, the blameless sections left for people. */

import { printable } from '../probes/index.js';
import { formatRoughly } from '../timing/index.js';
import type { IncidentReport } from './report.js';

const DEFAULT_SECTIONS = [
  'Root cause',
  'Contributing factors',
  'What went well',
  'What went wrong',
  'Action items',
];

const dur = (ms: number | null) => (ms === null ? 'n/a' : formatRoughly(ms));
/**
 * A time against its target. No time yet is a missed target only once the target has passed: a draft written while
 * the incident is young, or of one resolved with nobody acknowledging in time, said 'missed' of a target not missed.
 */
const against = (ms: number | null, target: number | null, elapsedMs: number, unmet: string) => {
  if (target === null) return dur(ms);
  const verdict = ms !== null ? (ms <= target ? 'met' : 'missed') : elapsedMs > target ? 'missed' : unmet;
  return `${dur(ms)} (target ${formatRoughly(target)}: ${verdict})`;
};
const pct = (r: number) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`;

export function renderPostmortem(r: IncidentReport, sections: string[] = DEFAULT_SECTIONS): string {
  const i = r.incident;
  const lines = [
    `# Postmortem: #${i.number} ${i.title}`,
    '',
    `- Severity: ${i.severity}`,
    `- Environment: ${i.environment}`,
    `- Opened: ${i.openedAt}`,
    `- Resolved: ${i.resolvedAt ?? 'still open'}`,
    `- Commander: ${i.commander ?? i.acknowledgedBy ?? 'n/a'}`,
    '',
    '## Summary',
    '',
    i.summary ?? '_To be written._',
    '',
    '## Impact',
    '',
    `- Duration: ${dur(r.impact.durationMs)}`,
    `- Affected components: ${r.impact.components.join(', ') || 'none recorded'}`,
    r.impact.failedShare === null
      ? '- Failed requests: unknown (no probe data for the affected services in the window)'
      : `- Failed checks: ${r.impact.checks.down} of ${r.impact.checks.total} (an estimated ${pct(r.impact.failedShare)} of requests failed)`,
    ...r.impact.slos.map((s) =>
      s.budgetBurned === null
        ? `- SLO ${s.id} (${s.objective}%): budget burned unknown (no probe data)`
        : `- SLO ${s.id} (${s.objective}%): ${pct(s.budgetBurned)} of the error budget burned`,
    ),
    '',
    '## Response',
    '',
    `- Time to detect: ${dur(r.times.detectMs)}`,
    `- Time to acknowledge: ${against(r.times.ackMs, r.times.ackTargetMs, r.impact.durationMs, i.resolvedAt ? 'resolved within it, unacknowledged' : 'not due yet')}`,
    `- Time to resolve: ${against(r.times.resolveMs, r.times.resolveTargetMs, r.impact.durationMs, 'not due yet')}`,
    '',
    '## Deploys involved',
    '',
    ...(r.deploys.length
      ? r.deploys.map(
          (d) =>
            `- ${d.kind} ${d.id} by ${d.actor ?? 'unknown'}: ${d.status}, started ${d.startedAt} (${d.when} the incident)`,
        )
      : ['- none in the hour before or during the incident']),
    '',
    '## Timeline (UTC)',
    '',
    ...(r.timeline.length
      ? r.timeline.map(
          (e) =>
            `- ${e.at.slice(0, 19).replace('T', ' ')} ${e.kind}: ${e.message}${e.actor ? ` (${e.actor})` : ''}`,
        )
      : ['- nothing recorded']),
    '',
    ...sections.flatMap((s) => [`## ${s}`, '', '_To be written._', '']),
  ];
  // The timeline quotes outside text (status pages, PagerDuty names): the draft is read in terminals and editors, so
  // control characters are written as \xNN; the lines stay lines.
  const text = lines.join('\n').trimEnd().split('\n').map((s) => printable(s)).join('\n');
  return `${text}\n`;
}
