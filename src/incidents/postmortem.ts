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
const against = (ms: number | null, target: number | null) =>
  target === null
    ? dur(ms)
    : `${dur(ms)} (target ${formatRoughly(target)}: ${ms !== null && ms <= target ? 'met' : 'missed'})`;
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
    `- Time to acknowledge: ${against(r.times.ackMs, r.times.ackTargetMs)}`,
    `- Time to resolve: ${against(r.times.resolveMs, r.times.resolveTargetMs)}`,
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
    ...r.timeline.map(
      (e) =>
        `- ${e.at.slice(0, 19).replace('T', ' ')} ${e.kind}: ${e.message}${e.actor ? ` (${e.actor})` : ''}`,
    ),
    '',
    ...sections.flatMap((s) => [`## ${s}`, '', '_To be written._', '']),
  ];
  // The timeline quotes outside text (status pages, PagerDuty names): the draft is read in terminals and editors, so
  // control characters are written as \xNN; the lines stay lines.
  const text = lines.join('\n').trimEnd().split('\n').map(printable).join('\n');
  return `${text}\n`;
}
