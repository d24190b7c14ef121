/** How `opsbook incident` prints an incident, a list, a report's timeline and each action's outcome. */
import type { PostmortemResult } from '../app/incident.js';
import type { IncidentReport, PolicySnapshot } from '../incidents/index.js';
import type { Output } from '../output/index.js';
import { printable } from '../probes/index.js';
import type { IncidentRecord } from '../store/index.js';
import type { CommandOutcome } from './types.js';

/*
 * Titles, actors and timeline text come from outside too: an alert's probe failure, a provider's status page, the
 * name of whoever acknowledged in PagerDuty. Their control characters are shown as \xNN, never sent to the terminal.
 */
const p = printable;

export function printIncident(i: IncidentRecord, out: Output): void {
  out.line(`#${i.number} [${i.severity}] ${p(i.title)}`);
  out.line(
    `  state ${i.state} · opened ${i.openedAt}${i.acknowledgedBy ? ` · acknowledged by ${p(i.acknowledgedBy)}` : ''}${i.resolvedAt ? ` · resolved ${i.resolvedAt}` : ''}`,
  );
  if (i.services.length) out.line(`  services ${i.services.join(', ')}`);
}

export function printList(list: IncidentRecord[], all: boolean, out: Output): void {
  if (!list.length) {
    out.note(all ? 'no incidents' : 'no open incidents');
    return;
  }
  out.table(list, [
    { header: 'ID', value: (i) => `#${i.number}` },
    { header: 'SEV', value: (i) => i.severity },
    { header: 'STATE', value: (i) => i.state },
    { header: 'OPENED', value: (i) => i.openedAt },
    { header: 'TITLE', value: (i) => p(i.title) },
  ]);
}

export function printReport(report: IncidentReport, out: Output): void {
  printIncident(report.incident, out);
  for (const e of report.timeline)
    out.line(`  ${e.at.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(10)} ${p(e.message)}`);
}

type Changed = { incident: IncidentRecord; changed: boolean };

const success = (data: unknown, message: string): CommandOutcome => ({
  ok: true,
  data,
  print: (out) => out.success(message),
});

export function openedOutcome(i: IncidentRecord, severity: string, title: string): CommandOutcome {
  const policy = (i.escalation as { policy?: PolicySnapshot } | null)?.policy;
  // "serve escalates it" of a severity no step and no channel applies to promised a page nobody will get.
  const unheard = policy && !policy.steps.length && !policy.channels.length;
  return {
    ok: true,
    data: i,
    print: (out) => {
      out.success(
        `opened incident #${i.number} [${severity}] ${p(title)}${unheard ? '' : "; 'opsbook serve' escalates it"}`,
      );
      if (unheard)
        out.warn(
          `nobody is notified of ${severity} incidents: no escalation step applies to ${severity} and it has no channels (give incidents.severities.${severity} channels, or an escalation step for it)`,
        );
    },
  };
}

export const updatedOutcome = (i: IncidentRecord, status: string) =>
  success(i, `posted '${status}' on #${i.number}: it is on the status page`);

export const notedOutcome = (i: IncidentRecord, note: string) =>
  success({ incident: i.number, note }, `noted on #${i.number}`);

/** An action that found nothing to change (already acknowledged, already resolved) fails: it did nothing. */
const changedOutcome = (r: Changed, print: CommandOutcome['print']): CommandOutcome => ({
  ok: r.changed,
  exitCode: r.changed ? 0 : 1,
  data: r,
  print,
});

export const ackOutcome = (r: Changed) =>
  changedOutcome(r, (out) => {
    const i = r.incident;
    if (r.changed) out.success(`acknowledged #${i.number}; escalation stopped`);
    else
      out.error(
        `#${i.number} is ${i.state}${i.acknowledgedBy ? ` (acknowledged by ${p(i.acknowledgedBy)})` : ''}: nothing to acknowledge`,
      );
  });

export const resolvedOutcome = (r: Changed & { postmortemDue?: string }) =>
  changedOutcome(r, (out) =>
    r.changed
      ? out.success(
          // The deadline was only written on the timeline: whoever resolved it was not told a postmortem is owed.
          `resolved #${r.incident.number}${r.postmortemDue ? `; a postmortem is due by ${r.postmortemDue}: draft it with 'opsbook incident postmortem ${r.incident.number}'` : ''}`,
        )
      : out.error(`#${r.incident.number} was already resolved`),
  );

export function postmortemOutcome(r: PostmortemResult, format: 'markdown' | 'json'): CommandOutcome {
  return {
    ok: true,
    data: format === 'json' ? r.report : { markdown: r.text, ...(r.file ? { file: r.file } : {}) },
    print: (out) =>
      r.file
        ? out.success(`wrote the postmortem draft of #${r.report.incident.number} to ${r.file}`)
        : out.line(r.text.trimEnd()),
  };
}
