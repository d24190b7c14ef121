/** How `opsbook maintenance` prints: the tasks and their state, a run or a completion, the maintenance windows. */
import type { Completion, TaskStatus } from '../maintenance/index.js';
import type { MaintenanceWindow } from '../maintenance-windows/index.js';
import { type Output, printable } from '../output/index.js';

export function printStatus(out: Output, rows: readonly TaskStatus[], empty: string): void {
  if (!rows.length) {
    out.note(empty);
    return;
  }
  out.table(rows, [
    { header: 'TASK', value: (t) => t.id },
    { header: 'TITLE', value: (t) => t.title },
    { header: 'EVERY', value: (t) => t.every },
    { header: 'OWNER', value: (t) => t.owner ?? '-' },
    { header: 'HOW', value: (t) => t.kind },
    {
      header: 'STATE',
      value: (t) => (t.state === 'ok' ? 'ok' : `${t.state} since ${t.dueSince?.slice(0, 10) ?? '?'}`),
    },
    { header: 'NEXT', value: (t) => t.nextDue.slice(0, 10) },
    {
      header: 'LAST DONE',
      value: (t) =>
        t.lastDone ? `${t.lastDone.at.slice(0, 10)}${t.lastDone.ok ? '' : ' (failed)'}` : 'never',
    },
  ]);
}

export function printCompletion(out: Output, c: Completion): void {
  const e = c.evidence;
  // Evidence quotes what the checks read (npm advisories, certificate names, a command's output): whatever a check
  // did not already escape is shown with control characters as \xNN, never replayed on the terminal.
  const summary = e?.summary === undefined ? undefined : printable(e.summary, { newlines: true });
  if (c.ok) out.success(`${c.task}: ${summary ?? 'done'}`);
  else out.error(`${c.task}: ${summary ?? 'failed'}`, 'the task stays due until it passes or is marked done');
  for (const f of e?.findings ?? [])
    out.line(`  ${f.severity === 'warning' ? '!' : '-'} ${printable(f.message, { newlines: true })}`);
}

export function printWindows(out: Output, windows: readonly MaintenanceWindow[]): void {
  if (!windows.length) {
    out.note('no maintenance window is open');
    return;
  }
  out.table(windows, [
    { header: 'ID', value: (w) => w.id },
    { header: 'SERVICES', value: (w) => w.services.join(', ') },
    { header: 'FROM', value: (w) => w.startsAt },
    { header: 'UNTIL', value: (w) => w.endsAt },
    { header: 'HOW', value: (w) => (w.source === 'config' ? 'scheduled' : `by ${w.by ?? '?'}`) },
    { header: 'REASON', value: (w) => w.reason ?? '-' },
  ]);
}

export function printWindowChange(
  out: Output,
  w: MaintenanceWindow,
  started: boolean,
  environment: string,
): void {
  if (started)
    out.success(
      `${w.services.join(', ')} under maintenance in ${environment} until ${w.endsAt} (window ${w.id}): alerts silenced`,
    );
  else out.success(`maintenance window ${w.id} ended: ${w.services.join(', ')} alert again`);
}
