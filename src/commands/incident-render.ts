/** How `opsbook incident` prints an incident, a list and a report's timeline. */
import type { IncidentReport } from '../incidents/index.js';
import type { Output } from '../output/index.js';
import type { IncidentRecord } from '../store/index.js';

export function printIncident(i: IncidentRecord, out: Output): void {
  out.line(`#${i.number} [${i.severity}] ${i.title}`);
  out.line(
    `  state ${i.state} · opened ${i.openedAt}${i.acknowledgedBy ? ` · acknowledged by ${i.acknowledgedBy}` : ''}${i.resolvedAt ? ` · resolved ${i.resolvedAt}` : ''}`,
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
    { header: 'TITLE', value: (i) => i.title },
  ]);
}

export function printReport(report: IncidentReport, out: Output): void {
  printIncident(report.incident, out);
  for (const e of report.timeline)
    out.line(`  ${e.at.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(10)} ${e.message}`);
}
